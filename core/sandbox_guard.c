/*
 * sandbox_guard.c - pcall, xpcall and the coroutine functions, guarded.
 *
 * Each of them catches errors, and a kill is an error: unguarded, a policy
 * could catch its own kill and carry on. So the guarded versions re-raise a
 * kill (and a memory error the cap caused) instead of returning it, skip
 * an xpcall handler once the policy is killed, and count nested resumes and
 * closes, which Lua 5.4.4 does not bound itself. The Lua 5.4 versions are
 * here; LuaJIT's, which need other means (no C continuations), are in
 * sandbox_luajit.c behind the same st_vm_* functions.
 */
#include "sandbox.h"
#include "sandbox_internal.h"

#if !ST_LUAJIT

/* {=== Lua 5.4: pcall and xpcall ======================================== */

/* The user's message handler, skipped once the sandbox is killed: after a
 * kill raised from inside the count hook Lua runs handlers with hooks off. */
static int guarded_handler(lua_State *L) {
  if (st_sandbox_of(L)->killed) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* pcall and xpcall end here: a kill or a memory error is re-raised instead
 * of being returned, so it cannot be swallowed. */
static int finish_pcall(lua_State *L, int status, lua_KContext extra) {
  st_sandbox *sb = st_sandbox_of(L);
  /* By status, never by text: error("not enough memory") is the policy's
   * own error, not a memory kill. */
  if (st_sb_out_of_memory(sb, status)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return st_sb_raise_kill(L);
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

/* }=== */

/* {=== Lua 5.4: coroutine nesting and wrap ============================== */

/* Lua 5.4.4 does not count the C calls of a coroutine.close that runs a
 * __close that closes another coroutine (fixed upstream in 5.4.5): a long
 * chain overflows the C stack. Resumes and closes nest at most this deep. */
#define ST_MAX_CO_NESTING 150

/* Calls the stock function below nargs arguments, counting the nesting;
 * an error it raises (a bad argument) is raised again after the count is
 * restored. The memory error of the coroutine itself shows as its status.
 * [-(nargs+1), +?, e] */
int st_vm_resume(lua_State *L, st_sandbox *sb, lua_State *co, int nargs) {
  if (sb->co_nesting >= ST_MAX_CO_NESTING) luaL_error(L, "C stack overflow");
  sb->co_nesting++;
  int status = lua_pcall(L, nargs, LUA_MULTRET, 0);
  sb->co_nesting--;
  if (st_sb_out_of_memory(sb, status)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) st_sb_raise_kill(L);
  if (status != LUA_OK) lua_error(L);
  return co && st_sb_out_of_memory(sb, lua_status(co));
}

static int wrap_call(lua_State *L) {
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
  if (st_sb_out_of_memory(sb, st)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return st_sb_raise_kill(L);
  /* The error goes on as it is: stock wrap adds a position at each level,
   * and a deep chain of them would bury the cause. */
  st = lua_resetthread(co);
  lua_xmove(co, L, 1);
  return lua_error(L);
}

static int safe_wrap(lua_State *L) {
  st_sb_push_coroutine(L);
  lua_pushcclosure(L, wrap_call, 1);
  return 1;
}

void st_vm_install_guards(lua_State *L) {
  lua_pushcfunction(L, safe_pcall);
  lua_setfield(L, -2, "pcall");
  lua_pushcfunction(L, safe_xpcall);
  lua_setfield(L, -2, "xpcall");
  lua_getfield(L, -1, "coroutine");
  lua_pushcfunction(L, safe_wrap);
  lua_setfield(L, -2, "wrap");
  lua_pop(L, 1);
}

/* }=== */

#endif

/* {=== Both VMs ========================================================= */

void st_sb_push_coroutine(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
}

/* coroutine.resume and coroutine.close report errors as values; wrapped,
 * a kill or a memory error inside a coroutine still ends the policy. */
static int safe_co_call(lua_State *L) {
  st_sandbox *sb = st_sandbox_of(L);
  ST_CSTACK_CHECK(L);
  lua_State *co = lua_tothread(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  if (st_vm_resume(L, sb, co, lua_gettop(L) - 1)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return st_sb_raise_kill(L);
  return lua_gettop(L);
}

void st_sb_install_guards(lua_State *L) {
  st_vm_install_guards(L);
  lua_getfield(L, -1, "coroutine");
  st_sb_wrap_field(L, "resume", safe_co_call);
  st_sb_wrap_field(L, "close", safe_co_call);   /* LuaJIT has none */
  lua_pop(L, 1);
}

/* }=== */
