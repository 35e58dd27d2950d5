/*
 * sandbox_internal.h - what the four files of the sandbox share; private to
 * core/sandbox*.c (everything else uses sandbox.h).
 *
 * The sandbox (sandbox.h) is split by concept:
 *   sandbox.c         the state's lifecycle, the counting allocator, the
 *                     limits (count hook, deadline, kills), load and call
 *   sandbox_guard.c   pcall, xpcall and the coroutine functions, guarded so
 *                     that policy code cannot catch a kill
 *   sandbox_env.c     the environment: the allowlist of globals, the safe
 *                     and charged replacements, the pure os, require
 *   sandbox_luajit.c  what LuaJIT needs done differently (and the list of
 *                     the differences)
 *
 * Three kinds of names, by where they are defined:
 *   st_sb_*  once, in the file of their concept, for the others to use;
 *   st_vm_*  once per VM: the Lua 5.4 one in sandbox_guard.c (or inline
 *            below), the LuaJIT one in sandbox_luajit.c (or inline below);
 *   st_lj_*  LuaJIT's adjustments, in sandbox_luajit.c; on Lua 5.4 they
 *            are the empty inline functions below, so the other files call
 *            them without `#if ST_LUAJIT`.
 *
 * Ownership: struct st_sandbox is allocated and freed by sandbox.c; the
 * other parts only read and update its fields through the pointer that
 * st_sandbox_of(L) gives. Threading: as sandbox.h, one thread at a time per
 * sandbox; the only state outside a sandbox is LuaJIT's thread-local record
 * of the innermost running call (sandbox_luajit.c).
 */
#ifndef ST_SANDBOX_INTERNAL_H
#define ST_SANDBOX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sandbox.h"

struct st_sandbox {
  lua_State *L;
  st_limits limits;
  char *name, *stdlib_dir;
  size_t mem_used, mem_peak;
  int mem_unlimited;         /* in lua_newstate and lua_close only */
  uint64_t used;             /* instructions counted in this call */
  double deadline;           /* monotonic seconds */
  int killed;                /* st_errkind of a kill, 0 if none */
  int co_nesting;            /* resumes and closes in progress (5.4) */
  uint64_t refusals;         /* allocations the cap refused, ever */
  uint64_t refusals_at_arm;  /* ... when the current call started */
  double now;                /* evaluation clock */
  double call_start;
  struct st_coverage *coverage;  /* borrowed; NULL unless measuring */
  int hook_mask;             /* LUA_MASKCOUNT, plus LUA_MASKLINE to measure */
  uintptr_t cstack_base;     /* LuaJIT: the C stack where this call began */
  int period;                /* instructions between count hooks */
  int resumes;               /* LuaJIT: coroutine resumes now nested */
  size_t gc_mark;            /* LuaJIT: collect in the hook past this */
  size_t mem_at_hook;        /* LuaJIT: usage at the last count hook */
};

/* {=== sandbox.c: kills and memory errors ============================== */

/* The count hook (what lua_sethook installs; LuaJIT re-installs it to
 * change its period). */
void st_sb_count_hook(lua_State *L, lua_Debug *ar);

/* Raises the kill again and makes this thread raise at every instruction
 * from now on. Does not return. [-0, +0, v] */
int st_sb_raise_kill(lua_State *L);

/* Whether a call that ended with `status` ran out of the cap's memory:
 * only when the allocator refused something during this call, since Lua
 * 5.4 raises error("not enough memory") with the memory-error status too,
 * and that is an ordinary error the policy may catch. */
int st_sb_out_of_memory(const st_sandbox *sb, int status);

/* The same for an error that arrives as a value (coroutine.resume's
 * result, load's message): "not enough memory" while the cap has refused
 * something in this call. [-0, +0] */
int st_sb_memory_error(lua_State *L, int idx);

/* Seconds since the current call began (os.clock). */
double st_sb_elapsed(const st_sandbox *sb);

/* }=== */

/* {=== sandbox_env.c and sandbox_guard.c: building the environment ===== */

/* Opens the allowed libraries and installs every replacement; run
 * protected by st_sandbox_new. [-0, +0, m] */
int st_sb_build_env(lua_State *L);

/* Replaces table[name] (table at -1), when there is one, by fn closed over
 * the original. [-0, +0, m] */
void st_sb_wrap_field(lua_State *L, const char *name, lua_CFunction fn);

/* Installs the guarded pcall, xpcall and coroutine wrap, resume and close
 * into the globals table at -1. [-0, +0, m] */
void st_sb_install_guards(lua_State *L);

/* coroutine.wrap's first half on both VMs: checks that argument 1 is a
 * function and pushes a new coroutine holding it. [-0, +1, m] */
void st_sb_push_coroutine(lua_State *L);

/* }=== */

/* {=== Once per VM (sandbox_guard.c for 5.4, sandbox_luajit.c) ========= */

/* Sets pcall, xpcall and coroutine.wrap in the globals table at -1.
 * [-0, +0, m] */
void st_vm_install_guards(lua_State *L);

/* Calls the stock coroutine.resume or close below nargs arguments (the
 * thread co is the first, or NULL when it is not a thread), counting the
 * nesting, and leaves its results. Returns 1 when the coroutine ran out of
 * the cap's memory. [-(nargs+1), +?, e] */
int st_vm_resume(lua_State *L, st_sandbox *sb, lua_State *co, int nargs);

/* Runs f(L) protected with nothing allocated outside the protection, so
 * that a refusal of the cap is an error status, never a panic. Returns the
 * status; on error the message is on the stack. [-0, +(0|1), -] */
#if ST_LUAJIT
static inline int st_vm_cpcall(lua_State *L, lua_CFunction f) {
  return lua_cpcall(L, f, NULL);        /* pushcfunction would allocate */
}
#else
static inline int st_vm_cpcall(lua_State *L, lua_CFunction f) {
  lua_pushcfunction(L, f);              /* a light function: no allocation */
  return lua_pcall(L, 0, 0, 0);
}
#endif

/* }=== */

/* {=== LuaJIT's adjustments (no-ops on 5.4) ============================ */

/* What st_lj_enter replaces and st_lj_leave restores: sandbox calls nest
 * (testing.check runs one inside another). */
typedef struct {
  st_sandbox *running;
  uintptr_t cstack_base;
} st_lj_frame;

#if ST_LUAJIT

/* After each count-hook round: collects garbage and paces the hook. */
void st_lj_pace_hook(lua_State *L, st_sandbox *sb);
/* When a call starts: resets the resume count and the collection mark. */
void st_lj_arm(st_sandbox *sb);
/* Around a call: records that sb runs from the C stack at cstack_base. */
void st_lj_enter(st_sandbox *sb, st_lj_frame *outer, uintptr_t cstack_base);
void st_lj_leave(st_sandbox *sb, const st_lj_frame *outer);
/* Turns the compiler off in a new state; 0 when it could not. */
int st_lj_init(lua_State *L);
/* Rewords a refused binary chunk's message at idx as 5.4 does. [-0, +0] */
void st_lj_chunk_message(lua_State *L, int idx);
/* Adds the 5.4 base functions LuaJIT lacks to the globals at -1 and
 * removes its extras from table. [-0, +0, m] */
void st_lj_install_base(lua_State *L);

#else

static inline void st_lj_pace_hook(lua_State *L, st_sandbox *sb) {
  (void)L;
  (void)sb;
}
static inline void st_lj_arm(st_sandbox *sb) { (void)sb; }
static inline void st_lj_enter(st_sandbox *sb, st_lj_frame *outer,
                               uintptr_t cstack_base) {
  (void)sb;
  (void)outer;
  (void)cstack_base;
}
static inline void st_lj_leave(st_sandbox *sb, const st_lj_frame *outer) {
  (void)sb;
  (void)outer;
}
static inline int st_lj_init(lua_State *L) {
  (void)L;
  return 1;
}
static inline void st_lj_chunk_message(lua_State *L, int idx) {
  (void)L;
  (void)idx;
}
static inline void st_lj_install_base(lua_State *L) { (void)L; }

#endif

/* }=== */

#endif
