/* sandbox.c - see sandbox.h. */
#include "sandbox.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#include "coverage.h"
#include "lpattern.h"
#include "timeutil.h"
#include "util.h"

struct st_sandbox {
  lua_State *L;
  st_limits limits;
  char *name, *stdlib_dir;
  size_t mem_used, mem_peak;
  int mem_unlimited;         /* while the host builds the environment */
  uint64_t used;             /* instructions counted in this call */
  double deadline;           /* monotonic seconds */
  int killed;                /* st_errkind of a kill, 0 if none */
  int co_nesting;            /* resumes and closes in progress (5.4) */
  uint64_t refusals;         /* allocations the cap refused, ever */
  uint64_t refusals_at_arm;  /* ... when the current call started */
  double now;                /* evaluation clock */
  double call_start;
  st_coverage *coverage;     /* borrowed; NULL unless measuring */
  int hook_mask;             /* LUA_MASKCOUNT, plus LUA_MASKLINE to measure */
  uintptr_t cstack_base;     /* LuaJIT: the C stack where this call began */
  int period;                /* instructions between count hooks */
  int resumes;               /* LuaJIT: coroutine resumes now nested */
  size_t gc_mark;            /* LuaJIT: collect in the hook past this */
  size_t mem_at_hook;        /* LuaJIT: usage at the last count hook */
};

/* Registry keys (addresses of these statics are unique light userdata). */
static const char LOADED_KEY = 'L';

static double mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void st_limits_default(st_limits *l) {
  if (!l->instructions) l->instructions = ST_DEFAULT_INSTRUCTIONS;
  if (!l->memory) l->memory = ST_DEFAULT_MEMORY;
  if (!(l->seconds > 0)) l->seconds = ST_DEFAULT_SECONDS;
}

/* {=== Allocation ======================================================= */

/* Lua passes a type tag in osize when ptr is NULL; only growth past the cap
 * is refused, frees and shrinks always succeed (Lua relies on that). */
static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  st_sandbox *sb = ud;
  if (!ptr) osize = 0;
  if (nsize == 0) {
    free(ptr);
    sb->mem_used -= osize;
    return NULL;
  }
  if (nsize > osize && !sb->mem_unlimited &&
      sb->mem_used - osize + nsize > sb->limits.memory) {
    sb->refusals++;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (!p) return nsize <= osize ? ptr : NULL;
  sb->mem_used = sb->mem_used - osize + nsize;
  if (sb->mem_used > sb->mem_peak) sb->mem_peak = sb->mem_used;
  return p;
}

st_sandbox *st_sandbox_of(lua_State *L) {
  void *ud = NULL;
  lua_getallocf(L, &ud);
  return ud;
}

/* A memory error is the cap's only when the allocator refused something
 * during this call: Lua 5.4 raises error("not enough memory") from policy
 * code with the memory-error status too, and that must stay an ordinary
 * error the policy can catch. */
static int out_of_memory(const st_sandbox *sb, int status) {
  return status == LUA_ERRMEM && sb->refusals != sb->refusals_at_arm;
}

/* }=== */

/* {=== Limits =========================================================== */

static const char *kill_message(const st_sandbox *sb) {
  switch (sb->killed) {
  case ST_ERRK_INSTRUCTIONS: return "steward: instruction budget exhausted";
  case ST_ERRK_DEADLINE: return "steward: deadline exceeded";
  default: return "steward: memory limit exceeded";
  }
}

static void count_hook(lua_State *L, lua_Debug *ar);

#if ST_LUAJIT

/* LuaJIT has no emergency collection: where Lua 5.4 runs a full GC and
 * retries an allocation the cap refuses, LuaJIT raises "not enough memory"
 * with the heap full of garbage (a policy building long strings in a loop
 * is killed far below the cap in live data). So the count hook collects
 * whenever usage has grown halfway from the last collection's live size to
 * the cap: garbage never fills more than half of the room left. A single
 * C call that allocates more than that between hooks can still fail where
 * 5.4 would have collected first. */
static void set_gc_mark(st_sandbox *sb) {
  size_t cap = sb->limits.memory;
  sb->gc_mark = sb->mem_used >= cap ? cap :
                sb->mem_used + (cap - sb->mem_used) / 2;
}

static void collect(lua_State *L, st_sandbox *sb) {
  lua_gc(L, LUA_GCCOLLECT, 0);
  set_gc_mark(sb);
}

/* Some code allocates tens of KiB per instruction (an error message that
 * grows at every level of a deep unwind): when usage grew by more than an
 * eighth of the room left since the last hook, the hook comes back every
 * ST_LJ_FAST_PERIOD instructions until growth calms down. */
#define ST_LJ_FAST_PERIOD 10

static void pace_hook(lua_State *L, st_sandbox *sb) {
  if (sb->mem_used > sb->gc_mark) collect(L, sb);
  size_t cap = sb->limits.memory;
  size_t room = cap > sb->mem_used ? cap - sb->mem_used : 0;
  size_t grown = sb->mem_used > sb->mem_at_hook ?
                 sb->mem_used - sb->mem_at_hook : 0;
  int period = grown > room / 8 ? ST_LJ_FAST_PERIOD : ST_HOOK_PERIOD;
  if (period != sb->period) {
    sb->period = period;
    lua_sethook(L, count_hook, sb->hook_mask, period);
  }
  sb->mem_at_hook = sb->mem_used;
}

#endif

/* Raises the kill again and makes this thread raise at every instruction
 * from now on. Does not return. */
static int raise_kill(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  return luaL_error(L, "%s", kill_message(sb));
}

static void check_limits(lua_State *L, st_sandbox *sb) {
  if (!sb->killed && sb->used > sb->limits.instructions)
    sb->killed = ST_ERRK_INSTRUCTIONS;
  if (!sb->killed && mono_now() > sb->deadline) sb->killed = ST_ERRK_DEADLINE;
  if (sb->killed) raise_kill(L);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  st_sandbox *sb = st_sandbox_of(L);
  if (ar->event == LUA_HOOKLINE) {
    if (sb->coverage && lua_getinfo(L, "S", ar))
      st_coverage_hit(sb->coverage, ar->source, ar->currentline);
    return;
  }
  /* After a kill the hook only re-raises it (at every instruction): the
   * count stays at how far the policy got. */
  if (!sb->killed) sb->used += (uint64_t)sb->period;
  check_limits(L, sb);
#if ST_LUAJIT
  pace_hook(L, sb);
#endif
}

#if ST_LUAJIT

/* LuaJIT counts no C calls: a C function that calls back into Lua (a gsub
 * replacement function, a sort comparator, an __index under os.time) can
 * recurse until the C stack runs out and the process dies. Lua 5.4 stops
 * such recursion with "C stack overflow" after 200 C levels; here every C
 * function of steward that calls back into Lua checks how much C stack the
 * running sandbox call has used instead, and LuaJIT's own (table.sort,
 * string.format) are called through a check (`guarded` in PCALL_CHUNK).
 * Never from the count hook: LuaJIT leaves hooks off for good when an
 * error raised inside a hook is caught by load (a protected C call that
 * does not restore them), so the hook raises nothing but kills, which
 * load re-raises. */
static _Thread_local st_sandbox *running;   /* the innermost call's sandbox */

/* Whether the running sandbox call has used more than ST_CSTACK_LIMIT. */
static int cstack_exceeded(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  if (!running || sb != running) return 0;  /* not a sandbox in a call */
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  return sb->cstack_base > here && sb->cstack_base - here > ST_CSTACK_LIMIT;
}

/* Raises "C stack overflow", with the position of the Lua function
 * `level` levels up, when the running call used too much C stack. */
static void cstack_check_at(lua_State *L, int level) {
  if (cstack_exceeded(L)) {
    luaL_where(L, level);
    lua_pushliteral(L, "C stack overflow");
    lua_concat(L, 2);
    lua_error(L);
  }
}

void st_lua_cstack_check(lua_State *L) { cstack_check_at(L, 1); }

#endif

void st_sandbox_tick(lua_State *L, uint64_t steps) {
  st_sandbox *sb = st_sandbox_of(L);
  sb->used += steps;
  check_limits(L, sb);
}

static void pattern_tick(lua_State *L, void *ud) {
  (void)ud;
  st_sandbox_tick(L, ST_PATTERN_TICK);
}

/* }=== */

/* {=== Replacements for unsafe base functions =========================== */

static int is_memory_error(lua_State *L, int idx);

/* The user's message handler, skipped once the sandbox is killed: after a
 * kill raised from inside the count hook Lua runs handlers with hooks off. */
static int guarded_handler(lua_State *L) {
#if !ST_LUAJIT
  if (st_sandbox_of(L)->killed) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
#else
  /* LuaJIT calls the handler again for an error that escapes it once a
   * pcall inside it has caught one (the throw clears the "in error
   * handling" state), so a handler that fails after recovering once
   * recurses without end. It runs protected here, and an escaping error
   * becomes 5.4's "error in error handling"; a kill or a memory error is
   * raised on. Past the C stack limit the error stays as it was. */
  st_sandbox *sb = st_sandbox_of(L);
  if (sb->killed || cstack_exceeded(L)) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  int status = lua_pcall(L, lua_gettop(L) - 1, 1, 0);
  if (status != LUA_OK) {
    if (status == LUA_ERRMEM || is_memory_error(L, -1))
      sb->killed = ST_ERRK_MEMORY;
    if (sb->killed) return raise_kill(L);
    lua_pushliteral(L, "error in error handling");
  }
  return 1;
#endif
}

#if !ST_LUAJIT

/* pcall and xpcall end here: a kill or a memory error is re-raised instead
 * of being returned, so it cannot be swallowed. */
static int finish_pcall(lua_State *L, int status, lua_KContext extra) {
  st_sandbox *sb = st_sandbox_of(L);
  /* By status, never by text: error("not enough memory") is the policy's
   * own error, not a memory kill. */
  if (out_of_memory(sb, status)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return raise_kill(L);
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - (int)extra;
}

static int safe_pcall(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0,
                          finish_pcall);
  return finish_pcall(L, status, 0);
}

static int safe_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, guarded_handler, 1);
  lua_replace(L, 2);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);          /* handler, true, f, args... */
  int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
  return finish_pcall(L, status, 2);
}

#else

/* LuaJIT has no continuations: a C pcall would make every yield inside it
 * fail ("attempt to yield across C-call boundary"). So pcall and xpcall are
 * small Lua functions around the stock ones (which LuaJIT can yield
 * through) that pass the outcome to pcall_check. A call with bad arguments
 * is a tail call of the stock function, so its error reads as the stock
 * one ("t:1: bad argument #1 to 'pcall' (value expected)"). */
static const char PCALL_CHUNK[] =
  "local pcall0, xpcall0, check, guard, room, cstack, select, type = ...\n"
  "local function pcall(...)\n"
  "  if select('#', ...) == 0 then return pcall0() end\n"
  "  room()\n"
  "  return check(pcall0(...))\n"
  "end\n"
  "local function xpcall(...)\n"
  "  local f, h = ...\n"
  "  if type(h) ~= 'function' then return xpcall0(...) end\n"
  "  room()\n"
  "  return check(xpcall0(f, guard(h), select(3, ...)))\n"
  "end\n"
  "local function guarded(f)\n"
  "  return function(...) cstack() return f(...) end\n"
  "end\n"
  "return pcall, xpcall, guarded\n";

/* room(): before each pcall and xpcall. A policy that catches stack
 * overflows with pcall and loops at the deepest level (local function f()
 * while true do pcall(f) end end) must neither starve the count hook
 * (LuaJIT calls a hook only when the Lua stack has room for it) nor make
 * every turn of its loop an overflow (each one reallocates the whole
 * stack twice). So, as Lua 5.4 does with its C-call limit, pcalls nest at
 * most ST_LJ_MAX_PCALLS deep in a thread ("C stack overflow", cheap), and
 * room() also wants ST_LJ_PCALL_ROOM free slots (a "stack overflow" for
 * frames so large that 200 levels fill the stack): the catching loop runs
 * where the hook still fits. The depth is kept per thread in a weak table,
 * raised here and lowered by check(), which every pcall reaches. */
#define ST_LJ_MAX_PCALLS 200
#define ST_LJ_PCALL_ROOM 1000

static const char PCALL_DEPTH_KEY = 'P';

/* This thread's pcall depth plus delta, stored. [-0, +0, m] */
static lua_Integer pcall_depth(lua_State *L, lua_Integer delta) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &PCALL_DEPTH_KEY);
  lua_pushthread(L);
  lua_rawget(L, -2);
  lua_Integer d = lua_tointeger(L, -1) + delta;
  lua_pop(L, 1);
  if (delta) {
    lua_pushthread(L);
    if (d > 0) lua_pushinteger(L, d);
    else lua_pushnil(L);
    lua_rawset(L, -3);
  }
  lua_pop(L, 1);
  return d;
}

static int pcall_room(lua_State *L) {
  if (pcall_depth(L, 0) >= ST_LJ_MAX_PCALLS) {
    luaL_where(L, 2);                   /* past the wrapper */
    lua_pushliteral(L, "C stack overflow");
    lua_concat(L, 2);
    return lua_error(L);
  }
  if (!lua_checkstack(L, ST_LJ_PCALL_ROOM))
    return luaL_error(L, "stack overflow");
  pcall_depth(L, 1);
  return 0;
}

/* cstack(): "C stack overflow" past ST_CSTACK_LIMIT. In a Lua wrapper that
 * tail-calls the stock function, so argument errors still name it and the
 * policy's line ("t:1: bad argument #1 to 'sort' ..."). */
static int cstack_check(lua_State *L) {
  cstack_check_at(L, 2);                /* past the wrapper */
  return 0;
}

/* check(ok, ...): a kill or a memory error is re-raised instead of being
 * returned, so it cannot be swallowed; anything else passes through. */
static int pcall_check(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  pcall_depth(L, -1);
  if (!lua_toboolean(L, 1) && is_memory_error(L, 2))
    sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return raise_kill(L);
  return lua_gettop(L);
}

static int new_guard(lua_State *L) {
  lua_settop(L, 1);
  lua_pushcclosure(L, guarded_handler, 1);
  return 1;
}

#endif

/* coroutine.resume and coroutine.close report errors as values; wrap them
 * so that a kill or a memory error inside a coroutine still ends the policy
 * (the memory error shows as the coroutine's status, or as the message when
 * it crossed a coroutine.wrap boundary). */
static int is_memory_error(lua_State *L, int idx) {
  st_sandbox *sb = st_sandbox_of(L);
  return sb->refusals != sb->refusals_at_arm &&   /* the cap refused */
         lua_type(L, idx) == LUA_TSTRING &&
         strcmp(lua_tostring(L, idx), "not enough memory") == 0;
}

#if ST_LUAJIT

/* LuaJIT does not count nested resumes either; each holds a coroutine
 * stack, so a resume inside a resume inside... runs out of memory long
 * before the C stack limit. Like Lua 5.4 (LUAI_MAXCCALLS), a resume that
 * would nest deeper than ST_LJ_MAX_RESUMES raises "C stack overflow".
 * Calls the stock resume below nargs arguments; a non-thread is left to
 * it to refuse, uncounted. [-(nargs+1), +?] */
#define ST_LJ_MAX_RESUMES 200

static void call_resume(lua_State *L, st_sandbox *sb, int nargs) {
  if (lua_type(L, -nargs) != LUA_TTHREAD) {
    lua_call(L, nargs, LUA_MULTRET);
    return;
  }
  if (sb->resumes >= ST_LJ_MAX_RESUMES) luaL_error(L, "C stack overflow");
  sb->resumes++;
  lua_call(L, nargs, LUA_MULTRET);      /* errors inside are returned */
  sb->resumes--;
}

#endif

#if !ST_LUAJIT
/* Lua 5.4.4 does not count the C calls of a coroutine.close that runs a
 * __close that closes another coroutine (fixed upstream in 5.4.5): a long
 * chain overflows the C stack. Resumes and closes nest at most this deep. */
#define ST_MAX_CO_NESTING 150

/* Calls the stock function below nargs arguments, counting the nesting;
 * an error it raises (a bad argument) is raised again after the count is
 * restored. [-(nargs+1), +?] */
static void call_counted(lua_State *L, st_sandbox *sb, int nargs) {
  if (sb->co_nesting >= ST_MAX_CO_NESTING) luaL_error(L, "C stack overflow");
  sb->co_nesting++;
  int status = lua_pcall(L, nargs, LUA_MULTRET, 0);
  sb->co_nesting--;
  if (out_of_memory(sb, status)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) raise_kill(L);
  if (status != LUA_OK) lua_error(L);
}
#endif

static int safe_co_call(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  ST_CSTACK_CHECK(L);
#if !ST_LUAJIT
  lua_State *co = lua_tothread(L, 1);
#endif
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
#if ST_LUAJIT
  call_resume(L, sb, lua_gettop(L) - 1);
  int nres = lua_gettop(L);
  if (nres >= 2 && lua_toboolean(L, 1) == 0 && is_memory_error(L, 2))
    sb->killed = ST_ERRK_MEMORY;
#else
  call_counted(L, sb, lua_gettop(L) - 1);
  int nres = lua_gettop(L);
  if (co && out_of_memory(sb, lua_status(co))) sb->killed = ST_ERRK_MEMORY;
#endif
  if (sb->killed) return raise_kill(L);
  return nres;
}

#if !ST_LUAJIT

static int safe_wrap_call(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int narg = lua_gettop(L), nres;
  if (lua_status(co) == LUA_OK && lua_gettop(co) == 0)
    return luaL_error(L, "cannot resume dead coroutine");
  if (!lua_checkstack(co, narg + 1)) return luaL_error(L, "too many arguments");
  if (sb->co_nesting >= ST_MAX_CO_NESTING)
    return luaL_error(L, "C stack overflow");
  lua_xmove(L, co, narg);
  sb->co_nesting++;
  int st = lua_resume(co, L, narg, &nres);
  sb->co_nesting--;
  if (st == LUA_OK || st == LUA_YIELD) {
    if (!lua_checkstack(L, nres + 1)) return luaL_error(L, "too many results");
    lua_xmove(co, L, nres);
    return nres;
  }
  if (out_of_memory(sb, st)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return raise_kill(L);
  /* The error goes on as it is: stock wrap adds a position at each level,
   * and a deep chain of them would bury the cause. */
  st = lua_resetthread(co);
  lua_xmove(co, L, 1);
  return lua_error(L);
}

static int safe_wrap(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  lua_pushcclosure(L, safe_wrap_call, 1);
  return 1;
}

#else

/* LuaJIT: the wrapped function resumes through the stock coroutine.resume
 * (upvalue 2), which checks the coroutine's state itself (dead, running,
 * errored), and raises its error as 5.4's wrap does: a string gets the
 * caller's position. No to-be-closed variables, so nothing to reset. */
static int safe_wrap_call(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  int narg = lua_gettop(L);
  ST_CSTACK_CHECK(L);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_insert(L, 1);                     /* resume, co, args... */
  call_resume(L, sb, narg + 1);
  int nres = lua_gettop(L);
  if (!lua_toboolean(L, 1) && is_memory_error(L, 2))
    sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return raise_kill(L);
  if (lua_toboolean(L, 1)) return nres - 1;
  lua_settop(L, 2);
  if (lua_type(L, 2) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

static int safe_wrap(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushcclosure(L, safe_wrap_call, 2);
  return 1;
}

#endif

/* LuaJIT words a refused binary chunk its own way; policies and hosts see
 * 5.4's message on both VMs. [-0, +0] */
static void binary_chunk_message(lua_State *L, int idx) {
#if ST_LUAJIT
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TSTRING &&
      !strcmp(lua_tostring(L, idx), "attempt to load chunk with wrong mode")) {
    lua_pushliteral(L, "attempt to load a binary chunk (mode is 't')");
    lua_replace(L, idx);
  }
#else
  (void)L;
  (void)idx;
#endif
}

/* load(chunk [, chunkname [, mode [, env]]]) with mode forced to "t"; an
 * absent env stays absent, so the chunk gets this state's globals. */
static int safe_load(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  ST_CSTACK_CHECK(L);                   /* a reader function is Lua */
  if (lua_gettop(L) < 3) lua_settop(L, 3);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  if (lua_isnil(L, 1)) binary_chunk_message(L, 2);
  if (lua_isnil(L, 1) && is_memory_error(L, 2)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return raise_kill(L);
  return lua_gettop(L);
}

static int safe_setmetatable(lua_State *L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "setmetatable: __gc is not allowed in policies");
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static int safe_collectgarbage(lua_State *L) {
  const char *opt = luaL_optstring(L, 1, "count");
  if (strcmp(opt, "count") != 0)
    return luaL_error(L, "collectgarbage: only \"count\" is allowed");
  lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) +
                    (lua_Number)lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
  return 1;
}

/* Pushes the text of the value at idx as tostring would, but with no
 * address: a table, function, coroutine or userdata without __tostring
 * shows as its type (or its __name), because an address helps an exploit
 * defeat ASLR and says nothing a policy needs. [-0, +1, e] */
static const char *safe_tolstring(lua_State *L, int idx, size_t *len) {
  idx = lua_absindex(L, idx);
  if (luaL_callmeta(L, idx, "__tostring")) {
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "'__tostring' must return a string");
    return lua_tolstring(L, -1, len);
  }
  switch (lua_type(L, idx)) {
  case LUA_TNUMBER: case LUA_TSTRING: case LUA_TBOOLEAN: case LUA_TNIL:
    return luaL_tolstring(L, idx, len);
  default:
    if (luaL_getmetafield(L, idx, "__name")) {
      if (lua_type(L, -1) == LUA_TSTRING) return lua_tolstring(L, -1, len);
      lua_pop(L, 1);
    }
    lua_pushstring(L, luaL_typename(L, idx));
    return lua_tolstring(L, -1, len);
  }
}

static int safe_tostring(lua_State *L) {
  luaL_checkany(L, 1);
  ST_CSTACK_CHECK(L);
  safe_tolstring(L, 1, NULL);
  return 1;
}

/* string.format with no way to print an address: %p is refused and %s of
 * a table, function or coroutine gets safe_tolstring's text. */
static int safe_format(lua_State *L) {
  const char *fmt = luaL_checkstring(L, 1);
  int arg = 1;
  ST_CSTACK_CHECK(L);
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') continue;
    if (*++p == '%') continue;
    while (*p && strchr("-+ #0123456789.", *p)) p++;
    if (!*p) break;
    arg++;
    if (*p == 'p') return luaL_error(L, "string.format: '%%p' is not allowed");
    if (*p == 's' && arg <= lua_gettop(L)) {
      int t = lua_type(L, arg);
      if (t != LUA_TSTRING && t != LUA_TNUMBER) {
        safe_tolstring(L, arg, NULL);
        lua_replace(L, arg);
      }
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* Library functions that do a lot of work inside one C call (a 60 MiB
 * string.upper, a million-element table.sort, compiling a large chunk) run
 * between two count-hook ticks unseen. Each is wrapped to charge its work
 * to the budget: before the call when its size is known from the arguments
 * (so table.move(t, 1, 2^62) is refused before it starts), after the call
 * from the size of what it returned, which also checks the deadline right
 * away. A unit of work is about one VM instruction's worth. */
enum { COST_RESULT_BYTES, COST_ARG_LEN, COST_MOVE, COST_ARG_BYTES,
       COST_TABLE_LEN };

static uint64_t bytes_cost(size_t n) { return n / 8 + 1; }

static int charged(lua_State *L) {
  int how = (int)lua_tointeger(L, lua_upvalueindex(2));
  if (how == COST_MOVE) {              /* table.move(a1, f, e, t [, a2]) */
    lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
    if (e >= f)
      st_sandbox_tick(L, (uint64_t)(e - f) >= UINT64_MAX / 2 ?
                      UINT64_MAX / 2 : (uint64_t)(e - f) + 1);
  } else if (how == COST_TABLE_LEN) {  /* insert/remove shift the array */
    st_sandbox_tick(L, lua_type(L, 1) == LUA_TTABLE ? lua_rawlen(L, 1) : 0);
  } else if (how == COST_ARG_LEN) {    /* table.sort: n log n compares */
    size_t n = lua_type(L, 1) == LUA_TTABLE ? lua_rawlen(L, 1) : 0;
    uint64_t lg = 1;
    for (size_t m = n; m > 1; m >>= 1) lg++;
    st_sandbox_tick(L, (uint64_t)n * lg);
  }
  uint64_t after = how == COST_ARG_BYTES && lua_type(L, 1) == LUA_TSTRING ?
                   bytes_cost(lua_rawlen(L, 1)) : 0;
  int base = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, base, LUA_MULTRET);
  if (how == COST_RESULT_BYTES) {
    uint64_t cost = 0;
    for (int i = 1; i <= lua_gettop(L); i++)
      if (lua_type(L, i) == LUA_TSTRING) cost += bytes_cost(lua_rawlen(L, i));
    st_sandbox_tick(L, cost);
  }
  if (after) st_sandbox_tick(L, after);
  return lua_gettop(L);
}

/* Replaces table[name] (table at -1) by a charged wrapper. [-0, +0] */
static void charge_field(lua_State *L, const char *name, int how) {
  lua_getfield(L, -1, name);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushinteger(L, how);
  lua_pushcclosure(L, charged, 2);
  lua_setfield(L, -2, name);
}

/* print writes to stderr, prefixed with the policy, a line at most 4 KiB:
 * enough to debug a policy, not enough to flood a daemon's log. */
static int safe_print(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  int n = lua_gettop(L);        /* before luaL_buffinit, which may push */
  ST_CSTACK_CHECK(L);           /* __tostring is Lua */
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&b, '\t');
    safe_tolstring(L, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  size_t len;
  const char *s = lua_tolstring(L, -1, &len);
  fprintf(stderr, "[%s] %.*s\n", sb->name, (int)(len > 4096 ? 4096 : len), s);
  return 0;
}

/* }=== */

/* {=== A pure os: time, date and clock on the evaluation clock ========== */

static int get_field(lua_State *L, const char *key, int dflt, int required) {
  int t = lua_getfield(L, 1, key);
  int isnum;
  lua_Integer v = lua_tointegerx(L, -1, &isnum);
  lua_pop(L, 1);
  if (isnum) return (int)(v < -1000000 ? -1000000 : v > 1000000 ? 1000000 : v);
  if (t != LUA_TNIL) return luaL_error(L, "field '%s' is not an integer", key);
  if (required) return luaL_error(L, "field '%s' missing in date table", key);
  return dflt;
}

/* os.time([t]): with no argument the evaluation clock; with a table, that
 * UTC date (policies must not depend on the machine's time zone). */
static int os_time(lua_State *L) {
  if (lua_isnoneornil(L, 1)) {
    lua_pushinteger(L, (lua_Integer)floor(st_sandbox_of(L)->now));
    return 1;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  ST_CSTACK_CHECK(L);                   /* the fields may have __index */
  long year = get_field(L, "year", 0, 1);
  long month = get_field(L, "month", 0, 1) - 1;
  long day = get_field(L, "day", 0, 1);
  long secs = get_field(L, "hour", 12, 0) * 3600L +
              get_field(L, "min", 0, 0) * 60L + get_field(L, "sec", 0, 0);
  year += month / 12;
  month %= 12;
  if (month < 0) { month += 12; year--; }
  long days = st_time_days_from_civil(year, (unsigned)month + 1, 1) + day - 1;
  lua_pushinteger(L, (lua_Integer)days * 86400 + secs);
  return 1;
}

static void set_int(lua_State *L, const char *k, long v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

/* Times beyond ±10^13 s (some 300,000 years) are refused, as stock Lua
 * refuses what its time_t cannot hold. */
static double check_time(lua_State *L, double t) {
  if (!(t > -1e13 && t < 1e13)) luaL_error(L, "time out-of-bounds");
  return t;
}

static int os_date(lua_State *L) {
  size_t flen;
  const char *fmt = luaL_optlstring(L, 1, "%c", &flen);
  double t = check_time(L, luaL_opt(L, luaL_checknumber, 2,
                                    st_sandbox_of(L)->now));
  if (*fmt == '!') fmt++;                    /* always UTC anyway */
  st_tm tm;
  st_time_split(t, &tm);
  if (!strcmp(fmt, "*t")) {
    lua_createtable(L, 0, 9);
    set_int(L, "year", tm.year); set_int(L, "month", tm.month);
    set_int(L, "day", tm.day); set_int(L, "hour", tm.hour);
    set_int(L, "min", tm.min); set_int(L, "sec", tm.sec);
    set_int(L, "wday", tm.wday + 1); set_int(L, "yday", tm.yday + 1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "isdst");
    return 1;
  }
  struct tm ct = {0};
  ct.tm_year = (int)(tm.year - 1900); ct.tm_mon = tm.month - 1;
  ct.tm_mday = tm.day; ct.tm_hour = tm.hour; ct.tm_min = tm.min;
  ct.tm_sec = tm.sec; ct.tm_wday = tm.wday; ct.tm_yday = tm.yday;
  for (const char *p = fmt; *p; p++)      /* only portable conversions */
    if (*p == '%' && (!p[1] || !strchr("aAbBcdHIjmMpSUwWxXyYZ%", *++p)))
      return luaL_error(L, "os.date: invalid conversion in format");
  /* No conversion above writes more than 26 bytes for its 2: 16 bytes per
   * format byte always suffice. */
  size_t cap = flen * 16 + 64;
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, cap);
  size_t n = strftime(out, cap, fmt, &ct);
  luaL_pushresultsize(&b, n);
  return 1;
}

static int os_clock(lua_State *L) {
  lua_pushnumber(L, mono_now() - st_sandbox_of(L)->call_start);
  return 1;
}

/* }=== */

/* {=== require ========================================================== */

static int valid_module_name(const char *s) {
  if (strncmp(s, "steward.", 8) != 0) return 0;
  s += 8;
  if (!*s) return 0;
  for (int dot = 1; *s; s++) {
    if (*s == '.') { if (dot) return 0; dot = 1; continue; }
    if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
      return 0;
    dot = 0;
  }
  return s[-1] != '.';
}

static int load_module(lua_State *L, st_sandbox *sb, const char *name) {
  st_buf path;
  st_buf_init(&path);
  st_buf_printf(&path, "%s/", sb->stdlib_dir ? sb->stdlib_dir : ".");
  for (const char *p = name; *p; p++) st_buf_putc(&path, *p == '.' ? '/' : *p);
  st_buf_puts(&path, ".lua");
  char err[ST_ERRLEN];
  size_t len;
  char *text = st_read_file(path.data, &len, err, sizeof err);
  if (!text) {
    st_buf_free(&path);
    return luaL_error(L, "module '%s' not found", name);
  }
  st_buf chunk;
  st_buf_init(&chunk);
  st_buf_printf(&chunk, "@%s", path.data);
  int rc = luaL_loadbufferx(L, text, len, chunk.data, "t");
  st_buf_free(&chunk);
  free(text);
  st_buf_free(&path);
  if (rc != LUA_OK) return lua_error(L);
  return 1;
}

/* require(name): steward.* only, from the stdlib directory, cached per
 * state in a registry table the policy cannot reach. */
static int safe_require(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  st_sandbox *sb = st_sandbox_of(L);
  if (!valid_module_name(name))
    return luaL_error(L, "require: '%s' is not a steward.* module", name);
  lua_settop(L, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &LOADED_KEY);
  int t = lua_getfield(L, 2, name);
  if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))
    return luaL_error(L, "require: '%s' requires itself while loading", name);
  if (t != LUA_TNIL) return 1;
  lua_pop(L, 1);
  load_module(L, sb, name);                 /* raises before anything is kept */
  lua_pushboolean(L, 0);                    /* marks "being loaded" */
  lua_setfield(L, 2, name);
  lua_pushvalue(L, 1);
  ST_CSTACK_CHECK(L);
  int status = lua_pcall(L, 1, 1, 0);
  if (status != LUA_OK) {                   /* forget it, then re-raise */
    lua_pushnil(L);
    lua_setfield(L, 2, name);
    if (out_of_memory(sb, status)) sb->killed = ST_ERRK_MEMORY;
    if (sb->killed) return raise_kill(L);
    return lua_error(L);
  }
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, 2, name);
  return 1;
}

void st_sandbox_preload(lua_State *L, const char *name) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &LOADED_KEY);
  lua_insert(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

/* }=== */

/* {=== Building the environment ========================================= */

/* What LuaJIT changes (a build with LUA=luajit; ST_LUAJIT in luacompat.h).
 * The rule: the same names with the same meaning on both VMs where that is
 * cheap and exact; a name that cannot mean the same is absent, so a policy
 * that needs it fails loudly on LuaJIT rather than quietly differing.
 *
 * - The JIT compiler is off in every sandbox state (luaJIT_setmode, and the
 *   jit library is never opened): hooks do not run inside compiled traces,
 *   so with it on a hot loop would never meet the count hook.
 * - Hooks belong to the whole VM, not to each coroutine: one lua_sethook
 *   covers every coroutine, whenever created, and the sticky kill (count 1)
 *   reaches them all. Finalizers run with hooks off, as in 5.4; only
 *   userdata and cdata have __gc there, and neither newproxy nor ffi exists.
 * - Never reachable: ffi, jit, bit (pure arithmetic and harmless, but 5.4
 *   has operators instead, so a policy using it could not run on 5.4),
 *   newproxy (__gc userdata), setfenv/getfenv (they reach other functions'
 *   environments), module, loadstring, dofile, loadfile, gcinfo, unpack
 *   (table.unpack instead), table.foreach/foreachi/getn/maxn, string.dump.
 *   The allowlist below prunes the globals; the table extras are removed by
 *   name.
 * - Added to match 5.4: rawlen, table.pack, table.unpack (the stock
 *   unpack), pairs honouring __pairs, ipairs honouring __index (graph views
 *   rely on both). pcall and xpcall are Lua wrappers around the stock ones,
 *   so yields still cross them (LuaJIT has no C continuations).
 * - Absent on LuaJIT: utf8 (no such library), string.pack/packsize/unpack,
 *   math.type/tointeger/maxinteger/mininteger/ult (every number is a
 *   double), coroutine.close (no to-be-closed variables), _ENV, and 5.4
 *   syntax (//, bitwise operators, <close>, <const>; goto is there).
 * - Runaways end as the same finding kinds, but LuaJIT needs help where
 *   5.4 counts for itself: C calls (a C-stack limit, ST_CSTACK_LIMIT), and,
 *   as 5.4's 200-deep C-call limit does, nested pcalls and nested resumes
 *   (ST_LJ_MAX_PCALLS, ST_LJ_MAX_RESUMES: "C stack overflow"); no
 *   emergency GC (the hook collects, collect()); an xpcall handler that
 *   fails after recovering would be called again without end (it runs
 *   protected, guarded_handler). All strings are interned, so repeating
 *   one string costs no memory and comparing two is one instruction: such
 *   loops end on the instruction budget or the deadline rather than the
 *   memory cap.
 * - Different but equivalent: error messages of the VM itself ("attempt to
 *   index global 'x' (a nil value)", "chunk has too many syntax levels",
 *   "loop in gettable"), number formatting (3.0 prints as 3), the random
 *   sequence behind the fixed seed, _VERSION ("Lua 5.1"). Patterns are
 *   steward's own matcher on both VMs (lpattern.c), so they follow 5.4
 *   exactly.
 */
static const char *const allowed_globals[] = {
  "_G", "_VERSION", "assert", "collectgarbage", "error", "getmetatable",
  "ipairs", "load", "next", "pairs", "pcall", "print", "rawequal", "rawget",
  "rawlen", "rawset", "require", "select", "setmetatable", "tonumber",
  "tostring", "type", "xpcall", "string", "table", "math",
#if !ST_LUAJIT
  "utf8",
#endif
  "coroutine", "os", NULL};

static int is_allowed(const char *name) {
  for (int i = 0; allowed_globals[i]; i++)
    if (!strcmp(name, allowed_globals[i])) return 1;
  return 0;
}

/* Removes every global not on the allowlist. [-0, +0] */
static void prune_globals(lua_State *L) {
  lua_pushglobaltable(L);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING || !is_allowed(lua_tostring(L, -1))) {
      lua_pushvalue(L, -1);
      lua_pushnil(L);
      lua_rawset(L, -4);
    }
  }
  lua_pop(L, 1);
}

/* Replaces table[name] (table at -1) with fn closed over the original.
 * [-0, +0] */
static void wrap_field(lua_State *L, const char *name, lua_CFunction fn) {
  lua_getfield(L, -1, name);
  lua_pushcclosure(L, fn, 1);
  lua_setfield(L, -2, name);
}

#if ST_LUAJIT

/* {--- LuaJIT: the 5.4 base functions it lacks or means otherwise -------- */

static int lj_rawlen(lua_State *L) {
  int t = lua_type(L, 1);
  luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1,
                   "table or string");
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
  return 1;
}

/* pairs(t): __pairs when there is one, else next (upvalue 1), t, nil. */
static int lj_pairs(lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs")) {
    ST_CSTACK_CHECK(L);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

/* ipairs as in 5.4: t[1], t[2], ... through __index, up to the first nil. */
static int lj_ipairs_aux(lua_State *L) {
  lua_Integer i = luaL_checkinteger(L, 2) + 1;
  ST_CSTACK_CHECK(L);                   /* __index may be Lua */
  lua_pushinteger(L, i);
  lua_pushinteger(L, i);
  return lua_gettable(L, 1) == LUA_TNIL ? 1 : 2;
}

static int lj_ipairs(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushcfunction(L, lj_ipairs_aux);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

static int lj_table_pack(lua_State *L) {
  int n = lua_gettop(L);
  lua_createtable(L, n, 1);
  lua_insert(L, 1);
  for (int i = n; i >= 1; i--) lua_rawseti(L, 1, i);
  lua_pushinteger(L, n);
  lua_setfield(L, 1, "n");
  return 1;
}

/* Globals table at -1. [-0, +0] */
static void install_luajit_base(lua_State *L) {
  lua_newtable(L);                      /* thread -> pcall depth, weak */
  lua_newtable(L);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &PCALL_DEPTH_KEY);
  if (luaL_loadbuffer(L, PCALL_CHUNK, sizeof PCALL_CHUNK - 1, "=[steward]"))
    lua_error(L);
  lua_getfield(L, -2, "pcall");
  lua_getfield(L, -3, "xpcall");
  lua_pushcfunction(L, pcall_check);
  lua_pushcfunction(L, new_guard);
  lua_pushcfunction(L, pcall_room);
  lua_pushcfunction(L, cstack_check);
  lua_getfield(L, -8, "select");
  lua_getfield(L, -9, "type");
  lua_call(L, 8, 3);                    /* G, pcall, xpcall, guarded */
  static const char *const calling_back[][2] = {
    {"table", "sort"}, {"string", "format"}};
  for (size_t i = 0; i < 2; i++) {
    lua_getfield(L, -4, calling_back[i][0]);
    lua_pushvalue(L, -2);
    lua_getfield(L, -2, calling_back[i][1]);
    lua_call(L, 1, 1);
    lua_setfield(L, -2, calling_back[i][1]);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_setfield(L, -3, "xpcall");
  lua_setfield(L, -2, "pcall");
  lua_pushcfunction(L, lj_rawlen);
  lua_setfield(L, -2, "rawlen");
  lua_getfield(L, -1, "next");
  lua_pushcclosure(L, lj_pairs, 1);     /* closes over the stock next */
  lua_setfield(L, -2, "pairs");
  lua_pushcfunction(L, lj_ipairs);
  lua_setfield(L, -2, "ipairs");
  lua_getfield(L, -1, "table");
  lua_pushcfunction(L, lj_table_pack);
  lua_setfield(L, -2, "pack");
  lua_getfield(L, -2, "unpack");
  lua_setfield(L, -2, "unpack");
  static const char *const gone[] = {"foreach", "foreachi", "getn", "maxn"};
  for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
    lua_pushnil(L);
    lua_setfield(L, -2, gone[i]);
  }
  lua_pop(L, 1);
}

/* }--- */

#endif

static void install_base(lua_State *L) {
  lua_pushglobaltable(L);
  wrap_field(L, "load", safe_load);
  wrap_field(L, "setmetatable", safe_setmetatable);
#if ST_LUAJIT
  install_luajit_base(L);
#else
  lua_pushcfunction(L, safe_pcall);
  lua_setfield(L, -2, "pcall");
  lua_pushcfunction(L, safe_xpcall);
  lua_setfield(L, -2, "xpcall");
#endif
  lua_pushcfunction(L, safe_collectgarbage);
  lua_setfield(L, -2, "collectgarbage");
  lua_pushcfunction(L, safe_print);
  lua_setfield(L, -2, "print");
  lua_pushcfunction(L, safe_require);
  lua_setfield(L, -2, "require");
  lua_pushcfunction(L, safe_tostring);
  lua_setfield(L, -2, "tostring");
  charge_field(L, "load", COST_ARG_BYTES);      /* the compiled text */
  lua_pop(L, 1);
}

static void install_libs(lua_State *L) {
  static const luaL_Reg os_funcs[] = {
    {"time", os_time}, {"date", os_date}, {"clock", os_clock}, {NULL, NULL}};
  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  st_pattern_install(L, lua_gettop(L), pattern_tick, NULL);
  wrap_field(L, "format", safe_format);
  for (const char *f = "upper\0lower\0rep\0reverse\0format\0sub\0char\0";
       *f; f += strlen(f) + 1)
    charge_field(L, f, COST_RESULT_BYTES);
  lua_pop(L, 1);
  lua_getglobal(L, "table");
  charge_field(L, "concat", COST_RESULT_BYTES);
  charge_field(L, "sort", COST_ARG_LEN);
  charge_field(L, "move", COST_MOVE);
  charge_field(L, "insert", COST_TABLE_LEN);
  charge_field(L, "remove", COST_TABLE_LEN);
  lua_pop(L, 1);
  lua_getglobal(L, "coroutine");
#if ST_LUAJIT
  lua_getfield(L, -1, "resume");        /* the stock resume, for wrap */
  lua_pushcclosure(L, safe_wrap, 1);
#else
  lua_pushcfunction(L, safe_wrap);
#endif
  lua_setfield(L, -2, "wrap");
  wrap_field(L, "resume", safe_co_call);
#if !ST_LUAJIT
  wrap_field(L, "close", safe_co_call);
#endif
  lua_pop(L, 1);
  luaL_newlib(L, os_funcs);
  lua_setglobal(L, "os");
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &LOADED_KEY);
}

static int build_env(lua_State *L) {
  static const luaL_Reg libs[] = {
    {LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string},
    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
#if !ST_LUAJIT                          /* LuaJIT's base opens coroutine */
    {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
#endif
    {NULL, NULL}};
  for (const luaL_Reg *lib = libs; lib->func; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  /* luaL_requiref leaves the libraries in package.loaded-style registry
   * table "_LOADED"; nothing reachable from policy code points at it. */
  install_base(L);
  install_libs(L);
  prune_globals(L);
  /* A fixed seed: the same inputs give the same findings (DESIGN.md). */
  lua_getglobal(L, "math");
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, 0x5eed);
  lua_call(L, 1, 0);
  lua_pop(L, 1);
  return 0;
}

/* }=== */

st_sandbox *st_sandbox_new(const st_sandbox_opts *o, char *err,
                           size_t errlen) {
  st_sandbox *sb = st_xcalloc(1, sizeof *sb);
  sb->limits = o->limits;
  st_limits_default(&sb->limits);
  sb->name = st_xstrdup(o->name ? o->name : "policy");
  sb->stdlib_dir = o->stdlib_dir ? st_xstrdup(o->stdlib_dir) : NULL;
  sb->now = o->now;
  sb->coverage = o->coverage;
  sb->hook_mask = LUA_MASKCOUNT | (o->coverage ? LUA_MASKLINE : 0);
  sb->period = ST_HOOK_PERIOD;
  sb->mem_unlimited = 1;
  sb->L = lua_newstate(sandbox_alloc, sb);
  if (!sb->L) {
    st_sandbox_free(sb);
    st_errf(err, errlen, ST_ERUN, "cannot create a Lua state");
    return NULL;
  }
#if ST_LUAJIT
  /* Compiled traces never call hooks: the budget and the deadline hold
   * only in the interpreter. */
  if (!luaJIT_setmode(sb->L, 0, LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF)) {
    st_sandbox_free(sb);
    st_errf(err, errlen, ST_ERUN, "cannot turn the LuaJIT compiler off");
    return NULL;
  }
#endif
  lua_pushcfunction(sb->L, build_env);
  if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
    st_errf(err, errlen, ST_ERUN, "cannot build the sandbox: %s",
            lua_type(sb->L, -1) == LUA_TSTRING ? lua_tostring(sb->L, -1) : "?");
    st_sandbox_free(sb);
    return NULL;
  }
  /* The hook goes on before any policy code runs and never comes off:
   * every coroutine inherits it from the thread that creates it. */
  lua_sethook(sb->L, count_hook, sb->hook_mask, ST_HOOK_PERIOD);
  sb->mem_unlimited = 0;
  return sb;
}

void st_sandbox_free(st_sandbox *sb) {
  if (!sb) return;
  if (sb->L) {
    sb->mem_unlimited = 1;
    lua_close(sb->L);
  }
  free(sb->name);
  free(sb->stdlib_dir);
  free(sb);
}

lua_State *st_sandbox_state(st_sandbox *sb) { return sb->L; }

void st_sandbox_set_limits(st_sandbox *sb, const st_limits *l) {
  sb->limits = *l;
  st_limits_default(&sb->limits);
}
int st_sandbox_dead(const st_sandbox *sb) { return sb->killed != 0; }
int st_sandbox_kill_kind(const st_sandbox *sb) { return sb->killed; }

int st_sandbox_kill(lua_State *L, int kind) {
  st_sandbox *sb = st_sandbox_of(L);
  if (!sb->killed) sb->killed = kind;
  return raise_kill(L);
}
const st_limits *st_sandbox_limits(const st_sandbox *sb) { return &sb->limits; }
uint64_t st_sandbox_used_instructions(const st_sandbox *sb) { return sb->used; }
size_t st_sandbox_used_memory(const st_sandbox *sb) { return sb->mem_used; }
size_t st_sandbox_peak_memory(const st_sandbox *sb) { return sb->mem_peak; }
double st_sandbox_now(const st_sandbox *sb) { return sb->now; }
void st_sandbox_set_now(st_sandbox *sb, double now) { sb->now = now; }

/* Copies msg into err; a message too long keeps its start and its end,
 * where an error that grew through many levels says what went wrong. */
static void abbreviate(const char *msg, size_t len, char *err, size_t errlen) {
  if (len < errlen) {
    memcpy(err, msg, len);
    err[len] = '\0';
    return;
  }
  size_t head = errlen / 4, tail = errlen - head - 6;
  memcpy(err, msg, head);
  memcpy(err + head, " ... ", 5);
  memcpy(err + head + 5, msg + len - tail, tail);
  err[errlen - 1] = '\0';
}

/* The message handler: keeps string errors, describes others without
 * running any of their metamethods (the host never runs policy code while
 * turning an error into a message). */
static int message_handler(lua_State *L) {
  if (lua_type(L, 1) == LUA_TSTRING) return 1;
  lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  return 1;
}

static void arm(st_sandbox *sb) {
  sb->used = 0;
  sb->refusals_at_arm = sb->refusals;
  sb->period = ST_HOOK_PERIOD;
#if ST_LUAJIT
  sb->resumes = 0;
  sb->mem_at_hook = sb->mem_used;
  set_gc_mark(sb);
#endif
  sb->call_start = mono_now();
  sb->deadline = sb->call_start + sb->limits.seconds;
  lua_sethook(sb->L, count_hook, sb->hook_mask, ST_HOOK_PERIOD);
}

int st_sandbox_load(st_sandbox *sb, const char *text, size_t len,
                    const char *chunkname, char *err, size_t errlen) {
  int rc = luaL_loadbufferx(sb->L, text, len, chunkname, "t");
  if (rc == LUA_OK) return ST_OK;
  binary_chunk_message(sb->L, -1);
  const char *msg = lua_type(sb->L, -1) == LUA_TSTRING ?
                    lua_tostring(sb->L, -1) : "cannot load chunk";
  st_errf(err, errlen, ST_ERUN, "%s", msg);
  lua_pop(sb->L, 1);
  if (out_of_memory(sb, rc)) sb->killed = ST_ERRK_MEMORY;
  return ST_ERUN;
}

int st_sandbox_call(st_sandbox *sb, int nargs, int nresults, int *kind,
                    char *err, size_t errlen) {
  lua_State *L = sb->L;
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, message_handler);
  lua_insert(L, base);
  arm(sb);
#if ST_LUAJIT
  st_sandbox *outer = running;          /* testing.check nests sandboxes */
  uintptr_t outer_base = sb->cstack_base;
  running = sb;
  sb->cstack_base = (uintptr_t)__builtin_frame_address(0);
#endif
  int rc = lua_pcall(L, nargs, nresults, base);
#if ST_LUAJIT
  running = outer;
  sb->cstack_base = outer_base;
#endif
  lua_remove(L, base);
  if (rc == LUA_OK && !sb->killed) return ST_OK;
  if (out_of_memory(sb, rc) && !sb->killed) sb->killed = ST_ERRK_MEMORY;
  *kind = sb->killed ? sb->killed : ST_ERRK_RUNTIME;
  if (sb->killed) {
    st_errf(err, errlen, ST_ERUN, "%s", kill_message(sb));
  } else {
    size_t len;
    const char *msg = lua_type(L, -1) == LUA_TSTRING ?
                      lua_tolstring(L, -1, &len) : (len = 5, "error");
    abbreviate(msg, len, err, errlen);
  }
  if (rc != LUA_OK) lua_pop(L, 1);
  else lua_pop(L, nresults == LUA_MULTRET ? 0 : nresults);
  return ST_ERUN;
}
