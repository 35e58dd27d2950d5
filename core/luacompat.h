/*
 * luacompat.h - the one place that bridges the Lua 5.4 and LuaJIT 2.1 C APIs.
 *
 * steward is written against the Lua 5.4 API. Built with LUA=luajit (the
 * Lua 5.1 API plus a few 5.2/5.3 additions), this header supplies the 5.4
 * names it uses as small inline functions and macros, with 5.4 semantics:
 *
 *   lua_getfield, lua_gettable, lua_rawget, lua_rawgeti  return the type
 *   lua_rawgetp, lua_rawsetp, lua_absindex, lua_rawlen, lua_pushglobaltable
 *   lua_newuserdatauv                                  (no user values)
 *   lua_tointegerx, luaL_checkinteger, luaL_optinteger  an integral number
 *       only, as 5.4 ("number has no integer representation"); LuaJIT's own
 *       truncate. lua_Integer is ptrdiff_t there and every number is a
 *       double, so integers beyond 2^53 are not exact (steward's are not).
 *   luaL_tolstring, luaL_requiref, luaL_pushfail, luaL_argexpected,
 *   luaL_typeerror, luaL_buffinitsize/luaL_pushresultsize, LUA_GNAME
 *   ST_CSTACK_CHECK(L)  before a C function calls back into Lua: LuaJIT
 *       has no C-call limit of its own (a no-op with 5.4, which has)
 *
 * What is not an API spelling but a difference of the VMs (continuations,
 * coroutines, libraries, hooks, the JIT) is handled in sandbox_luajit.c,
 * whose opening comment lists the differences.
 *
 * With Lua 5.4 this header only includes lua.h and lauxlib.h and defines
 * ST_LUAJIT as 0. Include it instead of (or after) those headers; every
 * replacement calls the real function with its name in parentheses, which
 * function-like macros do not expand.
 */
#ifndef ST_LUACOMPAT_H
#define ST_LUACOMPAT_H

#include <lua.h>
#include <lauxlib.h>

#if LUA_VERSION_NUM == 504

#define ST_LUAJIT 0

/* Lua 5.4 stops runaway C recursion itself ("C stack overflow"). */
#define ST_CSTACK_CHECK(L) ((void)(L))

#elif LUA_VERSION_NUM == 501

#include <math.h>
#include <stddef.h>

#include <luajit.h>     /* plain Lua 5.1 is not supported: no luajit.h */

#define ST_LUAJIT 1

/* LuaJIT does not count C calls: C functions that call back into Lua use
 * ST_CSTACK_CHECK first (sandbox_luajit.c; "C stack overflow" past
 * ST_CSTACK_LIMIT in a sandbox call, nothing for other states).
 * [-0, +0, v] */
void st_lua_cstack_check(lua_State *L);
#define ST_CSTACK_CHECK(L) st_lua_cstack_check(L)

#define LUA_GNAME "_G"

#define lua_pushglobaltable(L) lua_pushvalue((L), LUA_GLOBALSINDEX)
#define lua_newuserdatauv(L, sz, nuv) ((void)(nuv), lua_newuserdata((L), (sz)))
#define lua_rawlen(L, idx) lua_objlen((L), (idx))
#define luaL_pushfail(L) lua_pushnil(L)
#define luaL_typeerror(L, arg, tname) luaL_typerror((L), (arg), (tname))
#define luaL_argexpected(L, cond, arg, tname) \
  ((void)((cond) || luaL_typerror((L), (arg), (tname))))

static inline int lua_absindex(lua_State *L, int idx) {
  return idx > 0 || idx <= LUA_REGISTRYINDEX ? idx : lua_gettop(L) + idx + 1;
}

/* Typed getters: the 5.1 ones return nothing. */
static inline int st_compat_getfield(lua_State *L, int idx, const char *k) {
  (lua_getfield)(L, idx, k);
  return lua_type(L, -1);
}
#define lua_getfield(L, idx, k) st_compat_getfield((L), (idx), (k))

static inline int st_compat_gettable(lua_State *L, int idx) {
  (lua_gettable)(L, idx);
  return lua_type(L, -1);
}
#define lua_gettable(L, idx) st_compat_gettable((L), (idx))

static inline int st_compat_rawget(lua_State *L, int idx) {
  (lua_rawget)(L, idx);
  return lua_type(L, -1);
}
#define lua_rawget(L, idx) st_compat_rawget((L), (idx))

static inline int st_compat_rawgeti(lua_State *L, int idx, lua_Integer n) {
  (lua_rawgeti)(L, idx, (int)n);
  return lua_type(L, -1);
}
#define lua_rawgeti(L, idx, n) st_compat_rawgeti((L), (idx), (n))

static inline int lua_rawgetp(lua_State *L, int idx, const void *p) {
  idx = lua_absindex(L, idx);
  lua_pushlightuserdata(L, (void *)p);
  return st_compat_rawget(L, idx);
}

static inline void lua_rawsetp(lua_State *L, int idx, const void *p) {
  idx = lua_absindex(L, idx);
  lua_pushlightuserdata(L, (void *)p);
  lua_insert(L, -2);
  lua_rawset(L, idx);
}

/* 5.4: a number (or a string convertible to one) with an exact integer
 * value; 1.5 is not an integer. LuaJIT's truncates. */
static inline lua_Integer st_compat_tointegerx(lua_State *L, int idx,
                                               int *isnum) {
  int ok = 0;
  lua_Number n = lua_tonumberx(L, idx, &ok);
  ok = ok && n == floor(n) && n >= -9223372036854775808.0 &&
       n < 9223372036854775808.0;
  if (isnum) *isnum = ok;
  return ok ? (lua_Integer)n : 0;
}
#define lua_tointegerx(L, idx, isnum) st_compat_tointegerx((L), (idx), (isnum))

static inline lua_Integer st_compat_checkinteger(lua_State *L, int arg) {
  int ok;
  lua_Integer v = st_compat_tointegerx(L, arg, &ok);
  if (!ok) {
    if (lua_isnumber(L, arg))
      luaL_argerror(L, arg, "number has no integer representation");
    else
      luaL_typerror(L, arg, "number");
  }
  return v;
}
#define luaL_checkinteger(L, arg) st_compat_checkinteger((L), (arg))
#define luaL_optinteger(L, arg, def) \
  (lua_isnoneornil((L), (arg)) ? (lua_Integer)(def) : \
   st_compat_checkinteger((L), (arg)))

/* As 5.4: __tostring (which must give a string), else the value's own
 * text, else "type: address". [-0, +1, e] */
static inline const char *luaL_tolstring(lua_State *L, int idx, size_t *len) {
  idx = lua_absindex(L, idx);
  if (luaL_callmeta(L, idx, "__tostring")) {
    if (!lua_isstring(L, -1))
      luaL_error(L, "'__tostring' must return a string");
  } else {
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
    case LUA_TSTRING:
      lua_pushvalue(L, idx);
      break;
    case LUA_TBOOLEAN:
      lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
      break;
    case LUA_TNIL: lua_pushliteral(L, "nil"); break;
    default:
      lua_pushfstring(L, "%s: %p", luaL_typename(L, idx),
                      lua_topointer(L, idx));
      break;
    }
  }
  return lua_tolstring(L, -1, len);
}

/* As 5.2+: opens a library, records it in the registry's _LOADED, sets the
 * global when glb, and leaves the library table on the stack. [-0, +1, e] */
static inline void luaL_requiref(lua_State *L, const char *name,
                                 lua_CFunction open, int glb) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  luaL_findtable(L, LUA_REGISTRYINDEX, "_LOADED", 16);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
  if (glb) {
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_GLOBALSINDEX, name);
  }
}

/* The 5.1 luaL_Buffer has a fixed inline area: the sized variant writes
 * into a scratch userdata instead, which pushresultsize turns into the
 * string. Nothing else may be pushed between the two. */
static inline char *luaL_buffinitsize(lua_State *L, luaL_Buffer *B, size_t sz) {
  luaL_buffinit(L, B);
  return (char *)lua_newuserdata(L, sz ? sz : 1);
}

static inline void luaL_pushresultsize(luaL_Buffer *B, size_t sz) {
  lua_State *L = B->L;
  lua_pushlstring(L, (const char *)lua_touserdata(L, -1), sz);
  lua_remove(L, -2);
}

#else
#error "steward builds against Lua 5.4 or LuaJIT 2.1"
#endif

#endif
