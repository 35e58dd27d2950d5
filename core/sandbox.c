/*
 * sandbox.c - see sandbox.h. The state's lifecycle (new, free, the
 * accessors), the counting allocator, the limits (the count hook, the
 * deadline, sticky kills) and the two ways in: load and call. The guarded
 * functions are in sandbox_guard.c, the environment in sandbox_env.c, what
 * LuaJIT does differently in sandbox_luajit.c; sandbox_internal.h is what
 * they share.
 */
#include "sandbox.h"
#include "sandbox_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coverage.h"
#include "util.h"

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

int st_sb_out_of_memory(const st_sandbox *sb, int status) {
  return status == LUA_ERRMEM && sb->refusals != sb->refusals_at_arm;
}

int st_sb_memory_error(lua_State *L, int idx) {
  st_sandbox *sb = st_sandbox_of(L);
  return sb->refusals != sb->refusals_at_arm &&   /* the cap refused */
         lua_type(L, idx) == LUA_TSTRING &&
         strcmp(lua_tostring(L, idx), "not enough memory") == 0;
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

int st_sb_raise_kill(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  lua_sethook(L, st_sb_count_hook, LUA_MASKCOUNT, 1);
  return luaL_error(L, "%s", kill_message(sb));
}

static void check_limits(lua_State *L, st_sandbox *sb) {
  if (!sb->killed && sb->used > sb->limits.instructions)
    sb->killed = ST_ERRK_INSTRUCTIONS;
  if (!sb->killed && mono_now() > sb->deadline) sb->killed = ST_ERRK_DEADLINE;
  if (sb->killed) st_sb_raise_kill(L);
}

void st_sb_count_hook(lua_State *L, lua_Debug *ar) {
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
  st_lj_pace_hook(L, sb);
}

void st_sandbox_tick(lua_State *L, uint64_t steps) {
  st_sandbox *sb = st_sandbox_of(L);
  sb->used += steps;
  check_limits(L, sb);
}

double st_sb_elapsed(const st_sandbox *sb) {
  return mono_now() - sb->call_start;
}

/* }=== */

/* {=== Lifecycle ======================================================== */

/* A sandbox with its options copied and no state yet. */
static st_sandbox *new_shell(const st_sandbox_opts *o) {
  st_sandbox *sb = st_xcalloc(1, sizeof *sb);
  sb->limits = o->limits;
  st_limits_default(&sb->limits);
  sb->name = st_xstrdup(o->name ? o->name : "policy");
  sb->stdlib_dir = o->stdlib_dir ? st_xstrdup(o->stdlib_dir) : NULL;
  sb->now = o->now;
  sb->coverage = o->coverage;
  sb->hook_mask = LUA_MASKCOUNT | (o->coverage ? LUA_MASKLINE : 0);
  sb->period = ST_HOOK_PERIOD;
  return sb;
}

/* The state, with its environment built under the memory cap (the
 * environment takes some 16 KiB on Lua 5.4, 31 KiB on LuaJIT): a cap too
 * small for it is refused here, as an error, rather than in the host's
 * first unprotected use of the state, where Lua could only abort. Only
 * lua_newstate itself runs uncapped: LuaJIT 2.1 crashes when an allocation
 * inside it fails (it tears down a half-made state). What it took counts
 * all the same, so a cap it already exceeds fails the build. Returns ST_OK,
 * or ST_ERUN with err filled. */
static int open_state(st_sandbox *sb, char *err, size_t errlen) {
  sb->mem_unlimited = 1;
  sb->L = lua_newstate(sandbox_alloc, sb);
  sb->mem_unlimited = 0;
  if (!sb->L)
    return st_errf(err, errlen, ST_ERUN, "cannot create a Lua state");
  /* Compiled traces never call hooks: the budget and the deadline hold
   * only in the interpreter. */
  if (!st_lj_init(sb->L))
    return st_errf(err, errlen, ST_ERUN,
                   "cannot turn the LuaJIT compiler off");
  if (st_vm_cpcall(sb->L, st_sb_build_env) != LUA_OK)
    return st_errf(err, errlen, ST_ERUN, "cannot build the sandbox: %s",
                   lua_type(sb->L, -1) == LUA_TSTRING ?
                   lua_tostring(sb->L, -1) : "?");
  return ST_OK;
}

st_sandbox *st_sandbox_new(const st_sandbox_opts *o, char *err,
                           size_t errlen) {
  st_sandbox *sb = new_shell(o);
  if (open_state(sb, err, errlen) != ST_OK) {
    st_sandbox_free(sb);
    return NULL;
  }
  /* The hook goes on before any policy code runs and never comes off:
   * every coroutine inherits it from the thread that creates it. */
  lua_sethook(sb->L, st_sb_count_hook, sb->hook_mask, ST_HOOK_PERIOD);
  return sb;
}

void st_sandbox_free(st_sandbox *sb) {
  if (!sb) return;
  if (sb->L) {
    /* lua_close runs the host's __gc (lgraph's binding frees host memory)
     * in calls that may need a little Lua memory; a refusal there would
     * skip the finalizer and leak. A killed state is often at the cap. */
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
  return st_sb_raise_kill(L);
}
const st_limits *st_sandbox_limits(const st_sandbox *sb) { return &sb->limits; }
uint64_t st_sandbox_used_instructions(const st_sandbox *sb) { return sb->used; }
size_t st_sandbox_used_memory(const st_sandbox *sb) { return sb->mem_used; }
size_t st_sandbox_peak_memory(const st_sandbox *sb) { return sb->mem_peak; }
double st_sandbox_now(const st_sandbox *sb) { return sb->now; }
void st_sandbox_set_now(st_sandbox *sb, double now) { sb->now = now; }

/* }=== */

/* {=== Load and call ==================================================== */

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
  st_lj_arm(sb);
  sb->call_start = mono_now();
  sb->deadline = sb->call_start + sb->limits.seconds;
  lua_sethook(sb->L, st_sb_count_hook, sb->hook_mask, ST_HOOK_PERIOD);
}

int st_sandbox_load(st_sandbox *sb, const char *text, size_t len,
                    const char *chunkname, char *err, size_t errlen) {
  int rc = luaL_loadbufferx(sb->L, text, len, chunkname, "t");
  if (rc == LUA_OK) return ST_OK;
  st_lj_chunk_message(sb->L, -1);
  const char *msg = lua_type(sb->L, -1) == LUA_TSTRING ?
                    lua_tostring(sb->L, -1) : "cannot load chunk";
  st_errf(err, errlen, ST_ERUN, "%s", msg);
  lua_pop(sb->L, 1);
  if (st_sb_out_of_memory(sb, rc)) sb->killed = ST_ERRK_MEMORY;
  return ST_ERUN;
}

/* After a call that failed: the kind and the message, and the stack as it
 * was below the function. */
static int call_failed(st_sandbox *sb, int rc, int nresults, int *kind,
                       char *err, size_t errlen) {
  lua_State *L = sb->L;
  if (st_sb_out_of_memory(sb, rc) && !sb->killed) sb->killed = ST_ERRK_MEMORY;
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

int st_sandbox_call(st_sandbox *sb, int nargs, int nresults, int *kind,
                    char *err, size_t errlen) {
  lua_State *L = sb->L;
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, message_handler);
  lua_insert(L, base);
  arm(sb);
  st_lj_frame outer;
  st_lj_enter(sb, &outer, (uintptr_t)__builtin_frame_address(0));
  int rc = lua_pcall(L, nargs, nresults, base);
  st_lj_leave(sb, &outer);
  lua_remove(L, base);
  if (rc == LUA_OK && !sb->killed) return ST_OK;
  return call_failed(sb, rc, nresults, kind, err, errlen);
}

/* }=== */
