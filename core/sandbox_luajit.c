/*
 * sandbox_luajit.c - what the sandbox does differently on LuaJIT (a build
 * with LUA=luajit; ST_LUAJIT in luacompat.h). Compiled only there: on Lua
 * 5.4 the st_lj_* functions are empty inlines in sandbox_internal.h and the
 * st_vm_* ones are in sandbox_guard.c.
 *
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
 *   The allowlist (sandbox_env.c) prunes the globals; the table extras are
 *   removed by name here.
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
#include "sandbox.h"
#include "sandbox_internal.h"

#if ST_LUAJIT

#include <string.h>

/* {=== Garbage collection from the hook ================================= */

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

void st_lj_pace_hook(lua_State *L, st_sandbox *sb) {
  if (sb->mem_used > sb->gc_mark) collect(L, sb);
  size_t cap = sb->limits.memory;
  size_t room = cap > sb->mem_used ? cap - sb->mem_used : 0;
  size_t grown = sb->mem_used > sb->mem_at_hook ?
                 sb->mem_used - sb->mem_at_hook : 0;
  int period = grown > room / 8 ? ST_LJ_FAST_PERIOD : ST_HOOK_PERIOD;
  if (period != sb->period) {
    sb->period = period;
    lua_sethook(L, st_sb_count_hook, sb->hook_mask, period);
  }
  sb->mem_at_hook = sb->mem_used;
}

void st_lj_arm(st_sandbox *sb) {
  sb->resumes = 0;
  sb->mem_at_hook = sb->mem_used;
  set_gc_mark(sb);
}

/* }=== */

/* {=== The C stack ====================================================== */

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

void st_lj_enter(st_sandbox *sb, st_lj_frame *outer, uintptr_t cstack_base) {
  outer->running = running;
  outer->cstack_base = sb->cstack_base;
  running = sb;
  sb->cstack_base = cstack_base;
}

void st_lj_leave(st_sandbox *sb, const st_lj_frame *outer) {
  running = outer->running;
  sb->cstack_base = outer->cstack_base;
}

/* Whether the running sandbox call has used more than ST_CSTACK_LIMIT. */
static int cstack_exceeded(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  if (!running || sb != running) return 0;  /* not a sandbox in a call */
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  return sb->cstack_base > here && sb->cstack_base - here > ST_CSTACK_LIMIT;
}

/* Raises "C stack overflow", with the position of the Lua function
 * `level` levels up, when the running call used too much C stack.
 * [-0, +0, v] */
static void cstack_check_at(lua_State *L, int level) {
  if (cstack_exceeded(L)) {
    luaL_where(L, level);
    lua_pushliteral(L, "C stack overflow");
    lua_concat(L, 2);
    lua_error(L);
  }
}

void st_lua_cstack_check(lua_State *L) { cstack_check_at(L, 1); }

/* }=== */

/* {=== pcall and xpcall ================================================= */

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
  if (!lua_toboolean(L, 1) && st_sb_memory_error(L, 2))
    sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return st_sb_raise_kill(L);
  return lua_gettop(L);
}

/* The user's message handler, skipped once the sandbox is killed. LuaJIT
 * calls the handler again for an error that escapes it once a pcall inside
 * it has caught one (the throw clears the "in error handling" state), so a
 * handler that fails after recovering once recurses without end. It runs
 * protected here, and an escaping error becomes 5.4's "error in error
 * handling"; a kill or a memory error is raised on. Past the C stack limit
 * the error stays as it was. */
static int guarded_handler(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  if (sb->killed || cstack_exceeded(L)) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  int status = lua_pcall(L, lua_gettop(L) - 1, 1, 0);
  if (status != LUA_OK) {
    if (status == LUA_ERRMEM || st_sb_memory_error(L, -1))
      sb->killed = ST_ERRK_MEMORY;
    if (sb->killed) return st_sb_raise_kill(L);
    lua_pushliteral(L, "error in error handling");
  }
  return 1;
}

/* guard(h): h as a guarded message handler. */
static int new_guard(lua_State *L) {
  lua_settop(L, 1);
  lua_pushcclosure(L, guarded_handler, 1);
  return 1;
}

/* Runs PCALL_CHUNK (globals at -1) and pushes what it returns: pcall,
 * xpcall and guarded. [-0, +3, e] */
static void load_pcall_chunk(lua_State *L) {
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
}

/* Calls LuaJIT's own functions that call back into Lua through `guarded`
 * (at -1; globals at -4). [-0, +0, e] */
static void guard_calling_back(lua_State *L) {
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
}

/* }=== */

/* {=== Coroutines ======================================================= */

/* LuaJIT does not count nested resumes either; each holds a coroutine
 * stack, so a resume inside a resume inside... runs out of memory long
 * before the C stack limit. Like Lua 5.4 (LUAI_MAXCCALLS), a resume that
 * would nest deeper than ST_LJ_MAX_RESUMES raises "C stack overflow".
 * Calls the stock resume below nargs arguments; a non-thread is left to
 * it to refuse, uncounted. [-(nargs+1), +?, e] */
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

/* The memory error of the coroutine shows as resume's message. */
int st_vm_resume(lua_State *L, st_sandbox *sb, lua_State *co, int nargs) {
  (void)co;
  call_resume(L, sb, nargs);
  return lua_gettop(L) >= 2 && lua_toboolean(L, 1) == 0 &&
         st_sb_memory_error(L, 2);
}

/* The function coroutine.wrap returns: resumes through the stock
 * coroutine.resume (upvalue 2), which checks the coroutine's state itself
 * (dead, running, errored), and raises its error as 5.4's wrap does: a
 * string gets the caller's position. No to-be-closed variables, so nothing
 * to reset. */
static int wrap_call(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  int narg = lua_gettop(L);
  ST_CSTACK_CHECK(L);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_insert(L, 1);                     /* resume, co, args... */
  call_resume(L, sb, narg + 1);
  int nres = lua_gettop(L);
  if (!lua_toboolean(L, 1) && st_sb_memory_error(L, 2))
    sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return st_sb_raise_kill(L);
  if (lua_toboolean(L, 1)) return nres - 1;
  lua_settop(L, 2);
  if (lua_type(L, 2) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

/* coroutine.wrap, closed over the stock resume. */
static int safe_wrap(lua_State *L) {
  st_sb_push_coroutine(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushcclosure(L, wrap_call, 2);
  return 1;
}

/* }=== */

void st_vm_install_guards(lua_State *L) {
  load_pcall_chunk(L);
  guard_calling_back(L);
  lua_pop(L, 1);
  lua_setfield(L, -3, "xpcall");
  lua_setfield(L, -2, "pcall");
  lua_getfield(L, -1, "coroutine");
  lua_getfield(L, -1, "resume");        /* the stock resume, for wrap */
  lua_pushcclosure(L, safe_wrap, 1);
  lua_setfield(L, -2, "wrap");
  lua_pop(L, 1);
}

/* {=== The 5.4 base functions LuaJIT lacks or means otherwise =========== */

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

/* table.pack and table.unpack in, the 5.1 extras out (table at -1, the
 * globals below it). [-0, +0, m] */
static void fix_table(lua_State *L) {
  lua_pushcfunction(L, lj_table_pack);
  lua_setfield(L, -2, "pack");
  lua_getfield(L, -2, "unpack");
  lua_setfield(L, -2, "unpack");
  static const char *const gone[] = {"foreach", "foreachi", "getn", "maxn"};
  for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
    lua_pushnil(L);
    lua_setfield(L, -2, gone[i]);
  }
}

void st_lj_install_base(lua_State *L) {
  lua_pushcfunction(L, lj_rawlen);
  lua_setfield(L, -2, "rawlen");
  lua_getfield(L, -1, "next");
  lua_pushcclosure(L, lj_pairs, 1);     /* closes over the stock next */
  lua_setfield(L, -2, "pairs");
  lua_pushcfunction(L, lj_ipairs);
  lua_setfield(L, -2, "ipairs");
  lua_getfield(L, -1, "table");
  fix_table(L);
  lua_pop(L, 1);
}

/* }=== */

/* {=== The state and its messages ======================================= */

int st_lj_init(lua_State *L) {
  return luaJIT_setmode(L, 0, LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF);
}

/* LuaJIT words a refused binary chunk its own way; policies and hosts see
 * 5.4's message on both VMs. */
void st_lj_chunk_message(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TSTRING &&
      !strcmp(lua_tostring(L, idx), "attempt to load chunk with wrong mode")) {
    lua_pushliteral(L, "attempt to load a binary chunk (mode is 't')");
    lua_replace(L, idx);
  }
}

/* }=== */

#else

/* Lua 5.4 needs none of this; ISO C wants a translation unit to declare
 * something. */
typedef int st_sandbox_luajit_unused;

#endif
