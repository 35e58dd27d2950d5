/*
 * sandbox_env.c - the environment a policy sees: the allowlist of globals,
 * the safe replacements of base functions (load, setmetatable,
 * collectgarbage, tostring, print, string.format), the library functions
 * charged to the instruction budget, the pure os and require. What LuaJIT
 * adds or removes is in sandbox_luajit.c (st_lj_install_base), the guarded
 * pcall, xpcall and coroutine functions in sandbox_guard.c.
 */
#include "sandbox.h"
#include "sandbox_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lualib.h>

#include "lpattern.h"
#include "timeutil.h"
#include "util.h"

/* Registry key of the module cache (the address is unique light userdata). */
static const char LOADED_KEY = 'L';

/* {=== Replacements for unsafe base functions =========================== */

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
  if (lua_isnil(L, 1)) st_lj_chunk_message(L, 2);
  if (lua_isnil(L, 1) && st_sb_memory_error(L, 2)) sb->killed = ST_ERRK_MEMORY;
  if (sb->killed) return st_sb_raise_kill(L);
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

/* {=== Charged library functions ======================================== */

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

/* What a call costs before it runs, from its arguments. */
static void charge_before(lua_State *L, int how) {
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
}

static int charged(lua_State *L) {
  int how = (int)lua_tointeger(L, lua_upvalueindex(2));
  charge_before(L, how);
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

/* Replaces table[name] (table at -1) by a charged wrapper. [-0, +0, m] */
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

/* os.date("*t"): the broken-down time as a table. [-0, +1, m] */
static void push_date_table(lua_State *L, const st_tm *tm) {
  lua_createtable(L, 0, 9);
  set_int(L, "year", tm->year); set_int(L, "month", tm->month);
  set_int(L, "day", tm->day); set_int(L, "hour", tm->hour);
  set_int(L, "min", tm->min); set_int(L, "sec", tm->sec);
  set_int(L, "wday", tm->wday + 1); set_int(L, "yday", tm->yday + 1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "isdst");
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
    push_date_table(L, &tm);
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
  lua_pushnumber(L, st_sb_elapsed(st_sandbox_of(L)));
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

/* Pushes the compiled chunk of module `name` from the stdlib directory,
 * or raises. [-0, +1, e] */
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

/* Runs the module chunk on top with its name (stack: name, cache, chunk),
 * leaving its value, or forgets the module and raises. [-1, +1, e] */
static void run_module(lua_State *L, st_sandbox *sb, const char *name) {
  lua_pushboolean(L, 0);                    /* marks "being loaded" */
  lua_setfield(L, 2, name);
  lua_pushvalue(L, 1);
  ST_CSTACK_CHECK(L);
  int status = lua_pcall(L, 1, 1, 0);
  if (status != LUA_OK) {                   /* forget it, then re-raise */
    lua_pushnil(L);
    lua_setfield(L, 2, name);
    if (st_sb_out_of_memory(sb, status)) sb->killed = ST_ERRK_MEMORY;
    if (sb->killed) st_sb_raise_kill(L);
    lua_error(L);
  }
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
  run_module(L, sb, name);
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

/* The globals a policy sees, whatever the VM opened (names a VM lacks, such
 * as utf8 on LuaJIT, are simply not there; see sandbox_luajit.c for what
 * LuaJIT changes). */
static const char *const allowed_globals[] = {
  "_G", "_VERSION", "assert", "collectgarbage", "error", "getmetatable",
  "ipairs", "load", "next", "pairs", "pcall", "print", "rawequal", "rawget",
  "rawlen", "rawset", "require", "select", "setmetatable", "tonumber",
  "tostring", "type", "xpcall", "string", "table", "math", "utf8",
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

void st_sb_wrap_field(lua_State *L, const char *name, lua_CFunction fn) {
  if (lua_getfield(L, -1, name) == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  lua_pushcclosure(L, fn, 1);
  lua_setfield(L, -2, name);
}

static void pattern_tick(lua_State *L, void *ud) {
  (void)ud;
  st_sandbox_tick(L, ST_PATTERN_TICK);
}

/* [-0, +0, m] */
static void install_base(lua_State *L) {
  lua_pushglobaltable(L);
  st_sb_wrap_field(L, "load", safe_load);
  st_sb_wrap_field(L, "setmetatable", safe_setmetatable);
  st_sb_install_guards(L);
  st_lj_install_base(L);
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

/* [-0, +0, m] */
static void install_libs(lua_State *L) {
  static const luaL_Reg os_funcs[] = {
    {"time", os_time}, {"date", os_date}, {"clock", os_clock}, {NULL, NULL}};
  lua_getglobal(L, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  st_pattern_install(L, lua_gettop(L), pattern_tick, NULL);
  st_sb_wrap_field(L, "format", safe_format);
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
  luaL_newlib(L, os_funcs);
  lua_setglobal(L, "os");
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &LOADED_KEY);
}

int st_sb_build_env(lua_State *L) {
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
  /* A fixed seed: the same inputs give the same findings, run after run. */
  lua_getglobal(L, "math");
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, 0x5eed);
  lua_call(L, 1, 0);
  lua_pop(L, 1);
  return 0;
}

/* }=== */
