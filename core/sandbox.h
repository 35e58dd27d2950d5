/*
 * sandbox.h - one contained Lua state: allowlisted environment and limits.
 *
 * Each policy gets its own st_sandbox (its own lua_State), created once and
 * reused for all of its evaluations; nothing is shared between sandboxes but
 * the read-only graph (lgraph.h). The environment is an allowlist: the base
 * functions minus dofile/loadfile/warn, `load` forced to text chunks,
 * `string` minus dump, table, math, utf8, coroutine, a pure `os` (time,
 * date, clock) fed the evaluation clock, `collectgarbage("count")` only, a
 * `setmetatable` that refuses __gc (finalizers run with hooks off, so they
 * could run forever), and a `require` that loads only steward.* modules from
 * the stdlib directory.
 *
 * Limits, per call into Lua: an instruction budget (count hook), a deadline
 * (checked from the same hook and from the pattern matcher, which runs
 * inside one C call), and per state a memory cap (a counting lua_Alloc).
 * The cap holds while the environment is built, too (only lua_newstate
 * itself runs uncapped, and what it takes is counted): a cap too small
 * for the environment (some 16 KiB on Lua 5.4, 31 KiB on LuaJIT) makes
 * st_sandbox_new fail with a message.
 * A kill is sticky: once a limit is hit every later hook tick raises again,
 * and pcall/xpcall/coroutine.resume re-raise it, so policy code cannot catch
 * it and carry on. After a kill the state must be discarded
 * (st_sandbox_dead); the caller rebuilds it.
 *
 * The code is in sandbox.c (lifecycle, allocator, limits),
 * sandbox_guard.c, sandbox_env.c and sandbox_luajit.c, which share
 * sandbox_internal.h.
 *
 * Ownership: st_sandbox_new returns a sandbox the caller frees with
 * st_sandbox_free. Threading: a sandbox is used by one thread at a time;
 * different sandboxes may run on different threads at once.
 */
#ifndef ST_SANDBOX_H
#define ST_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "luacompat.h"

typedef struct {
  uint64_t instructions;     /* per call; 0 = default */
  size_t memory;             /* bytes per state; 0 = default */
  double seconds;            /* wall-clock per call; 0 = default */
} st_limits;

#define ST_DEFAULT_INSTRUCTIONS 100000000ULL
#define ST_DEFAULT_MEMORY ((size_t)64 << 20)
#define ST_DEFAULT_SECONDS 1.0
/* The hook runs every ST_HOOK_PERIOD VM instructions: rare enough to cost
 * nothing measurable, frequent enough that a kill lands within microseconds. */
#define ST_HOOK_PERIOD 1000
/* LuaJIT only (Lua 5.4 counts C calls itself): how much C stack one sandbox
 * call may use before a C function calling back into Lua, or the hook,
 * raises "C stack overflow". The thread running sandboxes needs this much
 * plus some (an 8 MiB default thread stack is ample). */
#define ST_CSTACK_LIMIT ((uintptr_t)1 << 20)

struct st_coverage;

typedef struct {
  const char *name;          /* shown by print and in messages */
  const char *stdlib_dir;    /* where steward/<mod>.lua live; may be NULL */
  double now;                /* the evaluation clock, epoch seconds */
  st_limits limits;
  struct st_coverage *coverage;  /* records lines run, or NULL (borrowed) */
} st_sandbox_opts;

typedef struct st_sandbox st_sandbox;

/* Fills unset (zero) limits with the defaults. */
void st_limits_default(st_limits *l);

/* A new sandbox, or NULL with err filled (a Lua state that cannot be made,
 * or an environment that does not fit under the memory cap). */
st_sandbox *st_sandbox_new(const st_sandbox_opts *o, char *err,
                           size_t errlen);
void st_sandbox_free(st_sandbox *sb);
lua_State *st_sandbox_state(st_sandbox *sb);
/* The sandbox that owns a state (from any of its threads). */
st_sandbox *st_sandbox_of(lua_State *L);

/* Compiles text as a chunk (text only, never bytecode) and pushes the
 * function. [-0, +1] on success, [-0, +0] on error. */
int st_sandbox_load(st_sandbox *sb, const char *text, size_t len,
                    const char *chunkname, char *err, size_t errlen);

/* Calls the function below nargs arguments under the limits. On success
 * leaves nresults values [-(nargs+1), +nresults]; on error leaves nothing
 * [-(nargs+1), +0], sets *kind (st_errkind) and writes the message.
 * Returns ST_OK or ST_ERUN. */
int st_sandbox_call(st_sandbox *sb, int nargs, int nresults, int *kind,
                    char *err, size_t errlen);

/* True after a kill (instructions, memory, deadline): discard the state. */
int st_sandbox_dead(const st_sandbox *sb);

/* Replaces the limits (unset fields take the defaults); for a policy whose
 * own limits are known only once its chunk has run. */
void st_sandbox_set_limits(st_sandbox *sb, const st_limits *l);

/* The limits in force and what the last call used. */
const st_limits *st_sandbox_limits(const st_sandbox *sb);
uint64_t st_sandbox_used_instructions(const st_sandbox *sb);
size_t st_sandbox_used_memory(const st_sandbox *sb);
size_t st_sandbox_peak_memory(const st_sandbox *sb);
double st_sandbox_now(const st_sandbox *sb);
void st_sandbox_set_now(st_sandbox *sb, double now);

/* The kind of the kill that ended the sandbox (0 if none). */
int st_sandbox_kill_kind(const st_sandbox *sb);

/* Kills the sandbox with `kind` from a C function the policy called (a host
 * resource the policy exhausted). Does not return. [-0, +0, v] */
int st_sandbox_kill(lua_State *L, int kind);

/* Stores the value on top of the stack as the already-loaded module `name`,
 * so require returns it (host modules such as steward.core). [-1, +0, m] */
void st_sandbox_preload(lua_State *L, const char *name);

/* For C functions that run long loops of their own (pattern matching, graph
 * walks): checks the budget and deadline, raising the kill if spent.
 * `steps` is how much work was done since the last check. [-0, +0, v] */
void st_sandbox_tick(lua_State *L, uint64_t steps);

#endif
