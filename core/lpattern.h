/*
 * lpattern.h - budgeted Lua 5.4 patterns for sandboxed states.
 *
 * Purpose: stock string.find/match/gmatch/gsub backtrack inside one C call,
 * where the VM's count hook never fires, so a hostile pattern such as
 * ("a?"):rep(40)..("a"):rep(40) against ("a"):rep(40) cannot be stopped.
 * st_pattern_install() replaces those four functions in a state's string
 * table with an independent implementation of the same semantics (Lua 5.4
 * manual, section 6.4.1) that counts matcher steps and calls a host
 * callback every ST_PATTERN_TICK steps; the callback may raise a Lua error
 * to abort the match.
 *
 * Ownership: install copies `tick` and `ud` into a userdata shared by the
 * installed closures; the state owns that userdata. `ud` stays owned by the
 * host, which must keep it alive as long as the state may call the
 * functions. Matching allocates only through Lua (strings, luaL_Buffer), so
 * an error raised by the tick, or by any pattern error, leaks nothing.
 *
 * Budget scope: the step count starts afresh with every call (and every
 * call of a gmatch iterator); between calls the VM's own count hook is in
 * charge. A step is one attempt to match a pattern item at a subject
 * position or one backtracking retry; linear scans inside a step (%b, a
 * back-reference compare, a long set, a plain find) pay extra in
 * proportion to the bytes they touch.
 *
 * Threading: no globals and no static mutable state. Each call works on the
 * lua_State (thread or coroutine) that made it; as with any Lua API use, a
 * state must be driven by one OS thread at a time. Different states may run
 * concurrently.
 */
#ifndef ST_LPATTERN_H
#define ST_LPATTERN_H

#include <lua.h>

/* Called every ST_PATTERN_TICK matcher steps with the ud given at install.
 * It returns normally to let matching go on, or raises a Lua error
 * (lua_error/luaL_error, which longjmps) to stop it. */
typedef void (*st_pattern_tick_fn)(lua_State *L, void *ud);

#define ST_PATTERN_TICK 1024

/* Replaces find, match, gmatch and gsub in the table at stack index `idx`
 * (the state's string library table) with budgeted versions that call
 * `tick(L, ud)` every ST_PATTERN_TICK steps. A NULL tick disables the
 * callback (matching is then unbounded, as in stock Lua). [-0, +0, m] */
void st_pattern_install(lua_State *L, int idx, st_pattern_tick_fn tick, void *ud);

#endif
