/*
 * test_sandbox.c - the policy sandbox (core/sandbox*.c): the exact global and
 * library allowlists, text-only load, the instruction budget and its sticky
 * kill, the deadline, the memory cap, the budgeted pattern matcher, __gc and
 * collectgarbage, the pure os clock, error values, and isolation between
 * sandboxes.
 *
 * Every case asserts an exact outcome: return code, kind (st_errkind) and
 * message. Chunks are loaded under the name "=t", so a runtime error raised
 * on line 1 reads "t:1: ...". Promptness of a kill is measured in hook
 * rounds (the sandbox's instruction counter), never in wall-clock time.
 */
#include "sandbox.h"
#include "t.h"

#include <stdlib.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "lgraph.h"
#include "util.h"

#define MiB ((size_t)1 << 20)

/* LUAJIT: cases and expectations that differ on a LuaJIT build (make
 * test-luajit) are marked "LUAJIT:" with the reason; sandbox_luajit.c
 * lists the differences at its top. The VM words its own runtime
 * errors in its own way: */
#if ST_LUAJIT
#define NIL_INDEX(what) "attempt to index " what " (a nil value)"
#define NIL_CALL(what) "attempt to call " what " (a nil value)"
#else
#define NIL_INDEX(what) "attempt to index a nil value (" what ")"
#define NIL_CALL(what) "attempt to call a nil value (" what ")"
#endif
#define KILL_INSTRUCTIONS "steward: instruction budget exhausted"
#define KILL_DEADLINE "steward: deadline exceeded"
#define KILL_MEMORY "steward: memory limit exceeded"

/* 2026-11-26T12:00:00.75Z: a Thursday, day 330 of the year. */
#define NOW 1795694400.75

static st_sandbox *mk(uint64_t instructions, size_t memory, double seconds)
{
    st_sandbox_opts o;
    char err[ST_ERRLEN] = "";
    memset(&o, 0, sizeof o);
    o.name = "test";
    o.now = NOW;
    o.limits.instructions = instructions;
    o.limits.memory = memory;
    o.limits.seconds = seconds;
    st_sandbox *sb = st_sandbox_new(&o, err, sizeof err);
    if (!sb)
        T_FAILF("st_sandbox_new: %s", err);
    return sb;
}

/* A sandbox with generous limits, for cases that test behaviour rather
 * than limits. */
static st_sandbox *mk_default(void)
{
    return mk(0, 0, 30);
}

typedef struct {
    int rc;                    /* ST_OK, ST_ERUN; -100 when load failed */
    int kind;                  /* st_errkind when rc != ST_OK */
    char msg[ST_ERRLEN];
} outcome;

/* Loads code as chunk "=t" and calls it for nres results, which stay on the
 * stack for the caller (who pops them). */
static outcome run(st_sandbox *sb, const char *code, int nres)
{
    outcome o;
    memset(&o, 0, sizeof o);
    o.kind = ST_ERRK_NONE;
    if (!sb) {
        o.rc = -100;
        snprintf(o.msg, sizeof o.msg, "(no sandbox)");
        return o;
    }
    if (st_sandbox_load(sb, code, strlen(code), "=t", o.msg, sizeof o.msg)
        != ST_OK) {
        o.rc = -100;
        return o;
    }
    o.rc = st_sandbox_call(sb, 0, nres, &o.kind, o.msg, sizeof o.msg);
    return o;
}

/* Runs code that must succeed with one string result; returns a copy of it
 * in buf (or "(error: ...)"). */
static const char *run_str(st_sandbox *sb, const char *code, char *buf,
                           size_t len)
{
    outcome o = run(sb, code, 1);
    if (o.rc != ST_OK) {
        snprintf(buf, len, "(error %d/%d: %s)", o.rc, o.kind, o.msg);
        return buf;
    }
    lua_State *L = st_sandbox_state(sb);
    const char *s = lua_tostring(L, -1);
    snprintf(buf, len, "%s", s ? s : "(not a string)");
    lua_pop(L, 1);
    return buf;
}

/* Runs code that must succeed with one integer result. */
static long long run_int(st_sandbox *sb, const char *code)
{
    outcome o = run(sb, code, 1);
    if (o.rc != ST_OK) {
        T_FAILF("%s\n    raised %d/%d: %s", code, o.rc, o.kind, o.msg);
        return -1;
    }
    lua_State *L = st_sandbox_state(sb);
    int isint = 0;
    long long v = (long long)lua_tointegerx(L, -1, &isint);
    if (!isint)
        T_FAILF("%s\n    returned %s, not an integer", code,
                luaL_typename(L, -1));
    lua_pop(L, 1);
    return v;
}

#define EXPECT_STR(sb, code, want) do { char b_[4096]; \
    const char *g_ = run_str((sb), (code), b_, sizeof b_); \
    if (strcmp(g_, (want)) != 0) \
        T_FAILF("%s\n    got  %s\n    want %s", (code), g_, (want)); } while (0)

/* The chunk ends with an error of this kind and exactly this message. */
#define EXPECT_ERR(sb, code, wkind, wmsg) do { outcome o_ = run((sb), (code), 0); \
    if (o_.rc != ST_ERUN || o_.kind != (wkind) || strcmp(o_.msg, (wmsg)) != 0) \
        T_FAILF("%s\n    got  rc=%d kind=%s \"%s\"\n    want rc=%d kind=%s \"%s\"", \
                (code), o_.rc, st_errkind_name(o_.kind) ? st_errkind_name(o_.kind) : "none", \
                o_.msg, ST_ERUN, st_errkind_name(wkind), (wmsg)); } while (0)

/* ---- the environment ------------------------------------------------- */

#define KEYS_FN \
    "local function keys(t) local r = {} " \
    "for k in pairs(t) do r[#r + 1] = tostring(k) end " \
    "table.sort(r) return table.concat(r, ' ') end "

static void test_global_allowlist_exact(void)
{
    st_sandbox *sb = mk_default();
    /* sandbox_env.c allowed_globals, sorted (byte order: '_' sorts after 'Z'
     * and before lower case). */
#if ST_LUAJIT
    /* LUAJIT: no utf8 library there. */
    EXPECT_STR(sb, KEYS_FN "return keys(_G)",
               "_G _VERSION assert collectgarbage coroutine error "
               "getmetatable ipairs load math next os pairs pcall print "
               "rawequal rawget rawlen rawset require select setmetatable "
               "string table tonumber tostring type xpcall");
#else
    EXPECT_STR(sb, KEYS_FN "return keys(_G)",
               "_G _VERSION assert collectgarbage coroutine error "
               "getmetatable ipairs load math next os pairs pcall print "
               "rawequal rawget rawlen rawset require select setmetatable "
               "string table tonumber tostring type utf8 xpcall");
#endif
    EXPECT_STR(sb, "return tostring(_G._G == _G)", "true");
    st_sandbox_free(sb);
}

static void test_library_allowlists_exact(void)
{
    st_sandbox *sb = mk_default();
    EXPECT_STR(sb, KEYS_FN "return keys(os)", "clock date time");
#if ST_LUAJIT
    /* LUAJIT: no string.pack/packsize/unpack, no coroutine.close (there
     * are no to-be-closed variables), no integer functions in math (every
     * number is a double), no utf8; LuaJIT's math is 5.1's plus log's base. */
    EXPECT_STR(sb, KEYS_FN "return keys(string)",
               "byte char find format gmatch gsub len lower match rep "
               "reverse sub upper");
    EXPECT_STR(sb, KEYS_FN "return keys(coroutine)",
               "create isyieldable resume running status wrap yield");
    EXPECT_STR(sb, KEYS_FN "return keys(math)",
               "abs acos asin atan atan2 ceil cos cosh deg exp floor fmod "
               "frexp huge ldexp log log10 max min modf pi pow rad random "
               "randomseed sin sinh sqrt tan tanh");
    EXPECT_STR(sb, KEYS_FN "return keys(table)",
               "concat insert move pack remove sort unpack");
    EXPECT_STR(sb, "return type(utf8)", "nil");
#else
    EXPECT_STR(sb, KEYS_FN "return keys(string)",
               "byte char find format gmatch gsub len lower match pack "
               "packsize rep reverse sub unpack upper");
    EXPECT_STR(sb, KEYS_FN "return keys(coroutine)",
               "close create isyieldable resume running status wrap yield");
    /* Lua 5.4's math plus the LUA_COMPAT_MATHLIB functions Debian's
     * liblua5.4 is built with (atan2 cosh frexp ldexp log10 pow sinh tanh):
     * pure functions, harmless, but pinned so a change of Lua build shows. */
    EXPECT_STR(sb, KEYS_FN "return keys(math)",
               "abs acos asin atan atan2 ceil cos cosh deg exp floor fmod "
               "frexp huge ldexp log log10 max maxinteger min mininteger modf "
               "pi pow rad random randomseed sin sinh sqrt tan tanh tointeger "
               "type ult");
    EXPECT_STR(sb, KEYS_FN "return keys(table)",
               "concat insert move pack remove sort unpack");
    EXPECT_STR(sb, KEYS_FN "return keys(utf8)",
               "char charpattern codepoint codes len offset");
#endif
    /* The string metatable's __index is this state's string table, so the
     * method syntax cannot reach dump either. */
    EXPECT_STR(sb, "return tostring(getmetatable('').__index == string)",
               "true");
    EXPECT_STR(sb, "return type(('x').dump)", "nil");
    st_sandbox_free(sb);
}

static void test_unavailable_names_exact_errors(void)
{
    st_sandbox *sb = mk_default();
    EXPECT_ERR(sb, "io.open('/etc/passwd')", ST_ERRK_RUNTIME,
               "t:1: " NIL_INDEX("global 'io'"));
    EXPECT_ERR(sb, "debug.getregistry()", ST_ERRK_RUNTIME,
               "t:1: " NIL_INDEX("global 'debug'"));
    EXPECT_ERR(sb, "package.loadlib('x', 'y')", ST_ERRK_RUNTIME,
               "t:1: " NIL_INDEX("global 'package'"));
    EXPECT_ERR(sb, "dofile('/etc/passwd')", ST_ERRK_RUNTIME,
               "t:1: " NIL_CALL("global 'dofile'"));
    EXPECT_ERR(sb, "loadfile('/etc/passwd')", ST_ERRK_RUNTIME,
               "t:1: " NIL_CALL("global 'loadfile'"));
    EXPECT_ERR(sb, "os.execute('true')", ST_ERRK_RUNTIME,
               "t:1: " NIL_CALL("field 'execute'"));
    EXPECT_ERR(sb, "os.getenv('HOME')", ST_ERRK_RUNTIME,
               "t:1: " NIL_CALL("field 'getenv'"));
    EXPECT_ERR(sb, "string.dump(print)", ST_ERRK_RUNTIME,
               "t:1: " NIL_CALL("field 'dump'"));
    EXPECT_ERR(sb, "require 'os'", ST_ERRK_RUNTIME,
               "t:1: require: 'os' is not a steward.* module");
    EXPECT_ERR(sb, "require 'io'", ST_ERRK_RUNTIME,
               "t:1: require: 'io' is not a steward.* module");
    EXPECT_ERR(sb, "require 'steward.../../x'", ST_ERRK_RUNTIME,
               "t:1: require: 'steward.../../x' is not a steward.* module");
    EXPECT_ERR(sb, "require 'steward./etc/passwd'", ST_ERRK_RUNTIME,
               "t:1: require: 'steward./etc/passwd' is not a steward.* module");
    EXPECT_ERR(sb, "require 'steward.'", ST_ERRK_RUNTIME,
               "t:1: require: 'steward.' is not a steward.* module");
    /* None of the above killed the state: runtime errors are not kills. */
    T_CHECK(!st_sandbox_dead(sb));
    st_sandbox_free(sb);
}

/* What LuaJIT's libraries add is never reachable, on either VM: the JIT
 * and FFI, bit, __gc userdata, other functions' environments, and the 5.1
 * leftovers. (The JIT being off shows in every budget case below: a hot
 * loop compiled to a trace would never meet the count hook.) */
static void test_luajit_names_unreachable(void)
{
    st_sandbox *sb = mk_default();
    EXPECT_STR(sb, "local n = {} for _, k in ipairs{'ffi', 'jit', 'bit', "
                   "'newproxy', 'setfenv', 'getfenv', 'module', 'loadstring', "
                   "'gcinfo', 'unpack', 'dofile', 'loadfile'} do "
                   "if _G[k] ~= nil then n[#n + 1] = k end end "
                   "for _, k in ipairs{'foreach', 'foreachi', 'getn', 'maxn'} do "
                   "if table[k] ~= nil then n[#n + 1] = 'table.' .. k end end "
                   "return 'reachable: ' .. table.concat(n, ' ')",
               "reachable: ");
    EXPECT_ERR(sb, "require 'ffi'", ST_ERRK_RUNTIME,
               "t:1: require: 'ffi' is not a steward.* module");
    EXPECT_ERR(sb, "require 'jit'", ST_ERRK_RUNTIME,
               "t:1: require: 'jit' is not a steward.* module");
    EXPECT_ERR(sb, "require 'bit'", ST_ERRK_RUNTIME,
               "t:1: require: 'bit' is not a steward.* module");
    /* A loaded chunk gets this sandbox's globals, never another table's. */
    EXPECT_STR(sb, "return tostring(load('return _G')() == _G)", "true");
    st_sandbox_free(sb);
}

/* require loads steward.* modules from stdlib_dir, once; a module that is
 * not there is an error every time it is asked for (a failed require must
 * not leave a cached placeholder behind). */
static void test_require_steward_modules(void)
{
    char dir[] = "/tmp/st_sandbox_XXXXXX";
    if (!mkdtemp(dir)) {
        T_FAILF("mkdtemp failed");
        return;
    }
    char sub[64], file[96];
    snprintf(sub, sizeof sub, "%s/steward", dir);
    snprintf(file, sizeof file, "%s/ok.lua", sub);
    mkdir(sub, 0700);
    FILE *f = fopen(file, "w");
    if (f) {
        fputs("loads = (loads or 0) + 1\nreturn { v = 42 }\n", f);
        fclose(f);
    }
    st_sandbox_opts o;
    char err[ST_ERRLEN] = "";
    memset(&o, 0, sizeof o);
    o.stdlib_dir = dir;
    o.now = NOW;
    o.limits.seconds = 30;
    st_sandbox *sb = st_sandbox_new(&o, err, sizeof err);
    T_CHECK(sb != NULL);
    if (sb) {
        T_EQ_INT(run_int(sb, "return require('steward.ok').v"), 42);
        T_EQ_INT(run_int(sb, "local a = require 'steward.ok' "
                             "local b = require 'steward.ok' "
                             "return (a == b and 1 or 0) * 10 + loads"), 11);
        EXPECT_ERR(sb, "require 'steward.nosuch'", ST_ERRK_RUNTIME,
                   "t:1: module 'steward.nosuch' not found");
        EXPECT_ERR(sb, "require 'steward.nosuch'", ST_ERRK_RUNTIME,
                   "t:1: module 'steward.nosuch' not found");
        EXPECT_STR(sb, "local ok, e = pcall(require, 'steward.nosuch') "
                       "return tostring(ok) .. ' ' .. tostring(e)",
                   "false module 'steward.nosuch' not found");
        st_sandbox_free(sb);
    }
    unlink(file);
    rmdir(sub);
    rmdir(dir);
}

/* ---- load: text only --------------------------------------------------- */

#define BINARY_CHUNK "local bin = string.char(27) .. 'Lua' .. string.char(0x54, 0) " \
                     ".. string.rep('\\0', 32) "

static void test_load_refuses_binary_chunks(void)
{
    st_sandbox *sb = mk_default();
    const char *want = "nil attempt to load a binary chunk (mode is 't')";
    EXPECT_STR(sb, BINARY_CHUNK "local f, e = load(bin) "
                   "return tostring(f) .. ' ' .. tostring(e)", want);
    EXPECT_STR(sb, BINARY_CHUNK "local f, e = load(bin, 'x', 'b') "
                   "return tostring(f) .. ' ' .. tostring(e)", want);
    EXPECT_STR(sb, BINARY_CHUNK "local f, e = load(bin, 'x', 'bt') "
                   "return tostring(f) .. ' ' .. tostring(e)", want);
    EXPECT_STR(sb, BINARY_CHUNK "local f, e = load(bin, 'x', 'b', {}) "
                   "return tostring(f) .. ' ' .. tostring(e)", want);
    /* The same through a reader function. */
    EXPECT_STR(sb, BINARY_CHUNK "local done "
                   "local f, e = load(function() if done then return nil end "
                   "done = true return bin end, 'x', 'b') "
                   "return tostring(f) .. ' ' .. tostring(e)", want);
    /* The host's own loader refuses it too. */
    static const char bin[] = "\033Lua\124\0\0\0\0\0\0\0";
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_sandbox_load(sb, bin, sizeof bin - 1, "=bin", err, sizeof err),
             ST_ERUN);
    T_EQ_STR(err, "attempt to load a binary chunk (mode is 't')");
    T_EQ_INT(lua_gettop(st_sandbox_state(sb)), 0);
    st_sandbox_free(sb);
}

static void test_load_text_sees_sandbox_globals(void)
{
    st_sandbox *sb = mk_default();
    T_EQ_INT(run_int(sb, "return load('return 1 + 2')()"), 3);
    T_EQ_INT(run_int(sb, "return load('return os.time()')()"), 1795694400);
    EXPECT_STR(sb, "return tostring(load('return io, debug, dofile')())",
               "nil");
    EXPECT_STR(sb, "return load('return type(string.dump)', 'x', 'bt')()",
               "nil");
    T_EQ_INT(run_int(sb, "load('shared = 7')() return shared"), 7);
    T_EQ_INT(run_int(sb, "return load('return y', 'c', 't', {y = 5})()"), 5);
    /* A syntax error comes back as nil, message. */
    EXPECT_STR(sb, "local f, e = load('return +', '=c') return e",
               "c:1: unexpected symbol near '+'");
    st_sandbox_free(sb);
}

/* ---- the instruction budget -------------------------------------------- */

#define BUDGET 1000000ULL
/* A kill lands within this many hook rounds past the budget. */
#define MAX_ROUNDS_PAST 4

/* Runs fn(arg) in a child process so that a case which hangs the host (a
 * policy running with hooks off can) fails after `seconds` instead of
 * hanging the suite. The child's checks print their own FAIL lines; the
 * parent adds one failure when the child failed, died or hung. */
static void in_child(void (*fn)(const char *), const char *arg, double seconds)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        T_FAILF("fork failed");
        return;
    }
    if (pid == 0) {
        int before = t_failed_checks;
        fn(arg);
        fflush(NULL);
        _exit(t_failed_checks == before ? 0 : 1);
    }
    int status = 0;
    struct timespec nap = {0, 10 * 1000 * 1000};
    for (double waited = 0;; waited += 0.01) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (waited >= seconds) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            T_FAILF("%s\n    HUNG: still running after %.0f s (killed)", arg,
                    seconds);
            return;
        }
        nanosleep(&nap, NULL);
    }
    if (WIFSIGNALED(status))
        T_FAILF("%s\n    the child died of signal %d", arg, WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        T_FAILF("%s\n    (failed in the child, see above)", arg);
}

/* A fresh sandbox (budget 1e6, 8 MiB, deadline 2 s) runs code, which must
 * end with an instruction kill; the sandbox is dead afterwards and the kill
 * landed within MAX_ROUNDS_PAST hook rounds of the budget. */
static void budget_kill_case(const char *code)
{
    st_sandbox *sb = mk(BUDGET, 8 * MiB, 2);
    if (!sb)
        return;
    outcome o = run(sb, code, 0);
    if (o.rc != ST_ERUN || o.kind != ST_ERRK_INSTRUCTIONS ||
        strcmp(o.msg, KILL_INSTRUCTIONS) != 0)
        T_FAILF("%s\n    got  rc=%d kind=%s \"%s\"\n    want instructions \"%s\"",
                code, o.rc,
                st_errkind_name(o.kind) ? st_errkind_name(o.kind) : "none",
                o.msg, KILL_INSTRUCTIONS);
    if (!st_sandbox_dead(sb))
        T_FAILF("%s\n    the sandbox is not dead after the kill", code);
    uint64_t used = st_sandbox_used_instructions(sb);
    if (used > BUDGET + MAX_ROUNDS_PAST * ST_HOOK_PERIOD)
        T_FAILF("%s\n    used %llu instructions: %llu hook rounds past the budget",
                code, (unsigned long long)used,
                (unsigned long long)((used - BUDGET) / ST_HOOK_PERIOD));
    T_EQ_INT(lua_gettop(st_sandbox_state(sb)), 0);
    st_sandbox_free(sb);
}

/* Each budget case runs in a child: a correct sandbox ends it in
 * milliseconds; 3 s means the host was hung with hooks off. */
static void expect_budget_kill(const char *code)
{
    in_child(budget_kill_case, code, 3);
}

static void test_budget_plain_loop(void)
{
    expect_budget_kill("while true do end");
    expect_budget_kill("local function f(n) return f(n + 1) end return f(1)");
    expect_budget_kill("local i = 0 repeat i = i + 1 until false");
}

static void test_budget_kill_is_sticky_pcall(void)
{
    expect_budget_kill("while true do pcall(function() while true do end end) end");
    expect_budget_kill("local ok repeat ok = pcall(function() while true do end end) "
                       "until false");
    /* A recursive pcall bomb: stack overflows are caught, the budget is not. */
    expect_budget_kill("local function f() while true do pcall(f) end end f()");
    expect_budget_kill("while true do pcall(pcall, pcall, function() "
                       "while true do end end) end");
}

static void test_budget_kill_is_sticky_xpcall(void)
{
    expect_budget_kill("while true do xpcall(function() while true do end end, "
                       "function(m) return m end) end");
    /* A message handler that loops forever. */
    expect_budget_kill("while true do xpcall(function() error('x') end, "
                       "function() while true do end end) end");
    /* A message handler that swallows by returning a harmless value. */
    expect_budget_kill("while true do xpcall(function() while true do end end, "
                       "function() return 'fine' end) end");
}

static void test_budget_kill_is_sticky_coroutines(void)
{
    expect_budget_kill("while true do pcall(coroutine.wrap(function() "
                       "while true do end end)) end");
    expect_budget_kill("coroutine.wrap(function() while true do end end)()");
    expect_budget_kill("while true do coroutine.resume(coroutine.create(function() "
                       "while true do end end)) end");
    expect_budget_kill("local co = coroutine.wrap(function() while true do "
                       "pcall(function() while true do end end) end end) "
                       "while true do pcall(co) end");
    /* A coroutine created before any budget was spent still carries the hook. */
    expect_budget_kill("co = coroutine.create(function() while true do end end) "
                       "while true do coroutine.resume(co) end");
#if !ST_LUAJIT /* LUAJIT: no <close> variables, no coroutine.close */
    /* coroutine.close running a __close that loops. */
    expect_budget_kill("local co = coroutine.create(function() "
                       "local x <close> = setmetatable({}, {__close = function() "
                       "while true do end end}) coroutine.yield() end) "
                       "coroutine.resume(co) while true do coroutine.close(co) end");
#endif
    /* A coroutine wrapped as a load reader: lua_load catches its error. */
    expect_budget_kill("while true do load(coroutine.wrap(function() "
                       "while true do end end)) end");
}

static void test_budget_kill_is_sticky_close_and_others(void)
{
#if !ST_LUAJIT /* LUAJIT: no <close> variables */
    expect_budget_kill("local x <close> = setmetatable({}, {__close = function() "
                       "while true do end end}) while true do end");
    expect_budget_kill("while true do pcall(function() local x <close> = "
                       "setmetatable({}, {__close = function() while true do end end}) "
                       "error('e') end) end");
#endif
    /* A load reader that loops: lua_load catches errors of its reader. */
    expect_budget_kill("while true do load(function() while true do end end) end");
    /* Metamethods and library callbacks. */
    expect_budget_kill("while true do pcall(tostring, setmetatable({}, "
                       "{__tostring = function() while true do end end})) end");
    expect_budget_kill("while true do pcall(string.gsub, 'aaa', 'a', function() "
                       "while true do end end) end");
    expect_budget_kill("while true do pcall(table.sort, {3, 2, 1}, function() "
                       "while true do end end) end");
    expect_budget_kill("local t = setmetatable({}, {__index = function(t, k) "
                       "while true do end end}) while true do pcall(function() "
                       "return t.x end) end");
}

/* Lua runs a message handler, and lua_resetthread runs a dead coroutine's
 * pending __close, with hooks still off when the error came from inside the
 * count hook. Policy code must never get to run there: neither the budget
 * nor the deadline could stop it. */
static void test_kill_never_runs_code_with_hooks_off(void)
{
    expect_budget_kill("xpcall(function() while true do end end, "
                       "function() while true do end end)");
    expect_budget_kill("xpcall(error, function() while true do end end)");
#if !ST_LUAJIT /* LUAJIT: no <close> variables */
    expect_budget_kill("coroutine.wrap(function() local x <close> = "
                       "setmetatable({}, {__close = function() while true do end end}) "
                       "while true do end end)()");
    expect_budget_kill("pcall(coroutine.wrap(function() local x <close> = "
                       "setmetatable({}, {__close = function() while true do end end}) "
                       "while true do end end))");
#endif
}

static void test_deadline(void)
{
    st_sandbox *sb = mk(1000000000000ULL, 8 * MiB, 0.2);
    if (!sb)
        return;
    EXPECT_ERR(sb, "while true do end", ST_ERRK_DEADLINE, KILL_DEADLINE);
    T_CHECK(st_sandbox_dead(sb));
    T_CHECK(st_sandbox_used_instructions(sb) < 1000000000000ULL);
    st_sandbox_free(sb);
    /* Also sticky: a pcall loop cannot outlive the deadline. */
    sb = mk(1000000000000ULL, 8 * MiB, 0.2);
    if (!sb)
        return;
    EXPECT_ERR(sb, "while true do pcall(function() while true do end end) end",
               ST_ERRK_DEADLINE, KILL_DEADLINE);
    T_CHECK(st_sandbox_dead(sb));
    st_sandbox_free(sb);
}

/* A dead sandbox stays dead: the next call reports the kill again. */
static void test_dead_sandbox_stays_dead(void)
{
    st_sandbox *sb = mk(BUDGET, 8 * MiB, 60);
    if (!sb)
        return;
    EXPECT_ERR(sb, "while true do end", ST_ERRK_INSTRUCTIONS, KILL_INSTRUCTIONS);
    EXPECT_ERR(sb, "return 1", ST_ERRK_INSTRUCTIONS, KILL_INSTRUCTIONS);
    T_EQ_INT(lua_gettop(st_sandbox_state(sb)), 0);
    st_sandbox_free(sb);
}

/* ---- memory ------------------------------------------------------------ */

#define MEM_CAP (8 * MiB)

static void expect_memory_kill(const char *code)
{
    st_sandbox *sb = mk(1000000000ULL, MEM_CAP, 60);
    if (!sb)
        return;
    outcome o = run(sb, code, 0);
    if (o.rc != ST_ERUN || o.kind != ST_ERRK_MEMORY ||
        strcmp(o.msg, KILL_MEMORY) != 0)
        T_FAILF("%s\n    got  rc=%d kind=%s \"%s\"\n    want memory \"%s\"",
                code, o.rc,
                st_errkind_name(o.kind) ? st_errkind_name(o.kind) : "none",
                o.msg, KILL_MEMORY);
    if (!st_sandbox_dead(sb))
        T_FAILF("%s\n    the sandbox is not dead after the memory error", code);
    if (st_sandbox_peak_memory(sb) > MEM_CAP)
        T_FAILF("%s\n    peak %zu bytes over the cap of %zu", code,
                st_sandbox_peak_memory(sb), MEM_CAP);
    T_EQ_INT(lua_gettop(st_sandbox_state(sb)), 0);
    st_sandbox_free(sb);
}

static void test_memory_string_rep(void)
{
    expect_memory_kill("local s = string.rep('x', 2^30)");
    expect_memory_kill("local s = ('x'):rep(2^30)");
}

static void test_memory_concat_and_tables(void)
{
    expect_memory_kill("local s = 'x' while true do s = s .. s end");
    expect_memory_kill("local t, i = {}, 0 while true do i = i + 1 t[i] = i end");
    expect_memory_kill("local t = {} for i = 1, 1e9 do t[#t + 1] = {i} end");
    expect_memory_kill("local t = {} for i = 1, 400 do "
                       "t[i] = string.rep('y', 2^16) .. i end "
                       "local s = table.concat(t)");
}

static void test_memory_not_swallowable(void)
{
    expect_memory_kill("pcall(string.rep, 'x', 2^30) return 1");
    expect_memory_kill("local ok = pcall(function() local s = 'x' "
                       "while true do s = s .. s end end) return ok");
    expect_memory_kill("while true do pcall(function() local t, i = {}, 0 "
                       "while true do i = i + 1 t[i] = i end end) end");
    expect_memory_kill("xpcall(function() local s = 'x' while true do "
                       "s = s .. s end end, function(m) return 'fine' end) "
                       "return 1");
    expect_memory_kill("coroutine.resume(coroutine.create(function() "
                       "local s = 'x' while true do s = s .. s end end)) return 1");
    expect_memory_kill("pcall(coroutine.wrap(function() local s = 'x' "
                       "while true do s = s .. s end end)) return 1");
    /* Uncaught, but crossing a coroutine.wrap boundary. */
    expect_memory_kill("coroutine.wrap(function() local s = 'x' "
                       "while true do s = s .. s end end)()");
    /* A load reader's error is caught by lua_load itself. */
    expect_memory_kill("local f, e = load(function() "
                       "return string.rep('x', 2^30) end) return 1");
}

/* After a refused allocation the accounting is still right: freeing
 * everything brings usage back near where it started. */
static void test_memory_accounting(void)
{
    st_sandbox *sb = mk(1000000000ULL, MEM_CAP, 60);
    if (!sb)
        return;
    size_t base = st_sandbox_used_memory(sb);
    T_CHECK(base > 0 && base < MEM_CAP / 4);
    outcome o = run(sb, "local t = {} for i = 1, 100 do "
                        "t[i] = string.rep('z', 10000) .. i end return #t", 1);
    T_EQ_INT(o.rc, ST_OK);
    lua_pop(st_sandbox_state(sb), o.rc == ST_OK ? 1 : 0);
    T_CHECK(st_sandbox_peak_memory(sb) >= base + 100 * 10000);
    T_CHECK(st_sandbox_peak_memory(sb) <= MEM_CAP);
    st_sandbox_free(sb);
}

/* The environment is built under the cap: a cap too small for it makes
 * st_sandbox_new fail with a message, at every size, and never abort; a
 * cap just large enough gives a sandbox that holds no more than the cap. */
static void test_memory_cap_holds_while_building(void)
{
    size_t built = 0;
    for (size_t cap = 1; cap < 64 * 1024 && !built; cap += 61) {
        st_sandbox_opts o;
        char err[ST_ERRLEN] = "";
        memset(&o, 0, sizeof o);
        o.name = "test";
        o.limits.memory = cap;
        st_sandbox *sb = st_sandbox_new(&o, err, sizeof err);
        if (!sb) {
            T_CONTAINS(err, "not enough memory");
            continue;
        }
        built = cap;
        T_CHECK(st_sandbox_peak_memory(sb) <= cap);
        st_sandbox_free(sb);
    }
    T_CHECK(built > 1024);
}

/* ---- patterns ---------------------------------------------------------- */

static void test_pattern_bomb_is_budgeted(void)
{
    expect_budget_kill("string.find(string.rep('a', 40), "
                       "string.rep('a?', 40) .. string.rep('a', 40))");
    expect_budget_kill("pcall(string.find, string.rep('a', 40), "
                       "string.rep('a?', 40) .. string.rep('a', 40)) "
                       "while true do end");
    expect_budget_kill("while true do pcall(string.match, string.rep('a', 40), "
                       "string.rep('a?', 40) .. string.rep('a', 40)) end");
    expect_budget_kill("string.match(string.rep('x', 1000), "
                       "string.rep('x.*', 100) .. 'y')");
    expect_budget_kill("string.gsub(string.rep('a', 40), "
                       "string.rep('a?', 40) .. string.rep('a', 40), '')");
    expect_budget_kill("for m in string.gmatch(string.rep('a', 40), "
                       "string.rep('a?', 40) .. string.rep('a', 40)) do end");
    expect_budget_kill("local s = string.rep('a', 40) "
                       "s:find(('a?'):rep(40) .. ('a'):rep(40))");
}

/* ---- __gc and collectgarbage ------------------------------------------ */

static void test_gc_metamethod_refused(void)
{
    st_sandbox *sb = mk(BUDGET, 8 * MiB, 60);
    if (!sb)
        return;
    EXPECT_ERR(sb, "setmetatable({}, {__gc = function() while true do end end})",
               ST_ERRK_RUNTIME,
               "t:1: setmetatable: __gc is not allowed in policies");
    EXPECT_ERR(sb, "setmetatable({}, {__gc = false})", ST_ERRK_RUNTIME,
               "t:1: setmetatable: __gc is not allowed in policies");
    /* A metatable that gains __gc after setmetatable is not marked for
     * finalization (Lua decides at setmetatable time): closing the state
     * must not run the loop. */
    outcome o = run(sb, "local mt = {} setmetatable({}, mt) "
                        "mt.__gc = function() while true do end end", 0);
    T_EQ_INT(o.rc, ST_OK);
    EXPECT_ERR(sb, "collectgarbage('collect')", ST_ERRK_RUNTIME,
               "t:1: collectgarbage: only \"count\" is allowed");
    EXPECT_ERR(sb, "collectgarbage('stop')", ST_ERRK_RUNTIME,
               "t:1: collectgarbage: only \"count\" is allowed");
    EXPECT_ERR(sb, "collectgarbage('step', 1e9)", ST_ERRK_RUNTIME,
               "t:1: collectgarbage: only \"count\" is allowed");
#if ST_LUAJIT /* LUAJIT: no math.type; every number is a double */
    EXPECT_STR(sb, "return type(collectgarbage('count'))", "number");
#else
    EXPECT_STR(sb, "return math.type(collectgarbage('count'))", "float");
#endif
    EXPECT_STR(sb, "local k = collectgarbage('count') "
                   "return tostring(k > 0 and k < 8 * 1024)", "true");
    T_CHECK(!st_sandbox_dead(sb));
    st_sandbox_free(sb);             /* must not hang */
}

/* ---- os: the evaluation clock ----------------------------------------- */

static void test_os_clock_is_the_evaluation_clock(void)
{
    const char *old = getenv("TZ");
    char *saved = old ? st_xstrdup(old) : NULL;
    setenv("TZ", "America/New_York", 1);
    tzset();
    st_sandbox *sb = mk_default();
    if (sb) {
        T_EQ_INT(run_int(sb, "return os.time()"), 1795694400);
        T_EQ_INT(run_int(sb, "return os.time{year=2026,month=11,day=26,hour=0}"),
                 1795651200);
        /* hour defaults to 12, as in stock Lua. */
        T_EQ_INT(run_int(sb, "return os.time{year=2026,month=11,day=26}"),
                 1795694400);
        T_EQ_INT(run_int(sb, "return os.time{year=1970,month=1,day=1,hour=0}"), 0);
        /* Out-of-range fields normalise: month 13 is January next year. */
        T_EQ_INT(run_int(sb, "return os.time{year=2025,month=13,day=26,hour=0}"),
                 1769385600);
        EXPECT_STR(sb, "return os.date('%Y-%m-%d')", "2026-11-26");
        EXPECT_STR(sb, "return os.date('!%Y-%m-%dT%H:%M:%S')",
                   "2026-11-26T12:00:00");
        EXPECT_STR(sb, "return os.date('%Y-%m-%d %H:%M', 0)", "1970-01-01 00:00");
        EXPECT_STR(sb, "local t = os.date('*t') return string.format("
                       "'%d-%d-%d %d:%d:%d wday=%d yday=%d isdst=%s', t.year, "
                       "t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, "
                       "tostring(t.isdst))",
                   "2026-11-26 12:0:0 wday=5 yday=330 isdst=false");
        /* os.time(os.date('*t')) round-trips. */
        T_EQ_INT(run_int(sb, "return os.time(os.date('*t'))"), 1795694400);
        EXPECT_ERR(sb, "os.time{year=2026}", ST_ERRK_RUNTIME,
                   "t:1: field 'month' missing in date table");
        st_sandbox_set_now(sb, 0);
        T_EQ_INT(run_int(sb, "return os.time()"), 0);
        EXPECT_STR(sb, "return os.date('%Y-%m-%d')", "1970-01-01");
        T_EQ_INT((long long)st_sandbox_now(sb), 0);
#if ST_LUAJIT /* LUAJIT: no math.type; every number is a double */
        EXPECT_STR(sb, "return type(os.clock())", "number");
#else
        EXPECT_STR(sb, "return math.type(os.clock())", "float");
#endif
        st_sandbox_free(sb);
    }
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

/* A time os.date cannot represent is an error, as in stock Lua ("time
 * out-of-bounds"), not undefined behaviour in the calendar arithmetic; the
 * same for steward.core.format_time, which shares it. Run in a child: with
 * -fsanitize=undefined the overflow aborts the process. */
static void time_bounds_case(const char *code)
{
    st_sandbox *sb = mk_default();
    if (!sb)
        return;
    st_lgraph_open_core(st_sandbox_state(sb));
    outcome o = run(sb, code, 1);
    if (o.rc == ST_OK)
        lua_pop(st_sandbox_state(sb), 1);
    /* os.date words it as stock Lua does; format_time may word it its way. */
    const char *needle = strstr(code, "os.date") ? "out-of-bounds" : "";
    if (o.rc != ST_ERUN || o.kind != ST_ERRK_RUNTIME || !strstr(o.msg, needle))
        T_FAILF("%s\n    got  rc=%d kind=%d \"%s\"\n    want a runtime error "
                "\"...%s...\"", code, o.rc, o.kind, o.msg, needle);
    st_sandbox_free(sb);
}

static void test_os_date_time_out_of_bounds(void)
{
    in_child(time_bounds_case, "return os.date('%Y', 1e300)", 5);
    in_child(time_bounds_case, "return os.date('*t', -1e300)", 5);
    in_child(time_bounds_case, "return os.date('%Y', 0/0)", 5);
    in_child(time_bounds_case, "return os.date('%Y', math.huge)", 5);
    in_child(time_bounds_case,
             "return require('steward.core').format_time(1e300)", 5);
}

/* os.date output is not cut at a fixed buffer size. */
static void test_os_date_long_format(void)
{
    st_sandbox *sb = mk_default();
    if (!sb)
        return;
    T_EQ_INT(run_int(sb, "return #os.date(string.rep('%Y', 200))"), 800);
    T_EQ_INT(run_int(sb, "return #os.date(string.rep('x', 600))"), 600);
    st_sandbox_free(sb);
}

/* ---- runtime errors ---------------------------------------------------- */

static void test_runtime_errors(void)
{
    st_sandbox *sb = mk(BUDGET, 8 * MiB, 60);
    if (!sb)
        return;
    EXPECT_ERR(sb, "error('boom')", ST_ERRK_RUNTIME, "t:1: boom");
    EXPECT_ERR(sb, "error('boom', 0)", ST_ERRK_RUNTIME, "boom");
    EXPECT_ERR(sb, "local x = nil + 1", ST_ERRK_RUNTIME,
               "t:1: attempt to perform arithmetic on a nil value");
    EXPECT_ERR(sb, "error({})", ST_ERRK_RUNTIME,
               "(error object is a table value)");
    EXPECT_ERR(sb, "error()", ST_ERRK_RUNTIME,
               "(error object is a nil value)");
    /* The host never runs an error value's metamethods. */
    EXPECT_ERR(sb, "error(setmetatable({}, {__tostring = function() "
                   "ran = true while true do end end}))",
               ST_ERRK_RUNTIME, "(error object is a table value)");
    T_CHECK(st_sandbox_used_instructions(sb) < BUDGET);
    EXPECT_STR(sb, "return tostring(ran)", "nil");
    T_CHECK(!st_sandbox_dead(sb));
    T_EQ_INT(run_int(sb, "return 6 * 7"), 42);
    T_EQ_INT(lua_gettop(st_sandbox_state(sb)), 0);
    st_sandbox_free(sb);
}

/* ---- isolation --------------------------------------------------------- */

static void test_two_sandboxes_are_isolated(void)
{
    st_sandbox *a = mk_default(), *b = mk_default();
    if (!a || !b) {
        st_sandbox_free(a);
        st_sandbox_free(b);
        return;
    }
    outcome o = run(a, "leak = 'from a' "
                       "string.upper = function() return 'pwned' end "
                       "rawset(_G, 'leak2', 1) "
                       "getmetatable('').__index = function() "
                       "return function() return 'evil' end end "
                       "table.insert = nil", 0);
    T_EQ_INT(o.rc, ST_OK);
    /* The changes took effect in a... */
    EXPECT_STR(a, "return ('abc'):lower() .. ' ' .. string.upper('abc')",
               "evil pwned");
    /* ...and are not seen in b. */
    EXPECT_STR(b, "return tostring(leak) .. ' ' .. tostring(leak2)", "nil nil");
    EXPECT_STR(b, "return string.upper('abc') .. ' ' .. ('abc'):upper()",
               "ABC ABC");
    EXPECT_STR(b, "return tostring(getmetatable('').__index == string)", "true");
    EXPECT_STR(b, "return type(table.insert)", "function");
    st_sandbox_free(a);
    st_sandbox_free(b);
}

static void test_fresh_sandbox_after_kill(void)
{
    st_sandbox *a = mk(BUDGET, 8 * MiB, 60);
    if (!a)
        return;
    EXPECT_ERR(a, "x = 1 while true do end", ST_ERRK_INSTRUCTIONS,
               KILL_INSTRUCTIONS);
    T_CHECK(st_sandbox_dead(a));
    st_sandbox_free(a);
    st_sandbox *b = mk(BUDGET, 8 * MiB, 60);
    if (!b)
        return;
    T_CHECK(!st_sandbox_dead(b));
    T_EQ_INT(run_int(b, "local n = 0 for i = 1, 1000 do n = n + i end return n"),
             500500);
    EXPECT_STR(b, "return tostring(x)", "nil");
    /* A call that spends most of the budget works, and the budget is per
     * call: the next one gets a full budget again. */
    T_EQ_INT(run_int(b, "local n = 0 for i = 1, 200000 do n = n + 1 end return n"),
             200000);
    T_EQ_INT(run_int(b, "local n = 0 for i = 1, 200000 do n = n + 1 end return n"),
             200000);
    T_CHECK(!st_sandbox_dead(b));
    st_sandbox_free(b);
    /* Memory kill, then a fresh one. */
    st_sandbox *c = mk(0, 8 * MiB, 60);
    if (!c)
        return;
    EXPECT_ERR(c, "local s = 'x' while true do s = s .. s end", ST_ERRK_MEMORY,
               KILL_MEMORY);
    st_sandbox_free(c);
    c = mk(0, 8 * MiB, 60);
    if (!c)
        return;
    EXPECT_STR(c, "return ('ok'):rep(2)", "okok");
    st_sandbox_free(c);
}

/* Arguments and results cross st_sandbox_call as documented: the function
 * and its arguments are consumed, nresults are left. */
static void test_call_stack_discipline(void)
{
    st_sandbox *sb = mk_default();
    if (!sb)
        return;
    lua_State *L = st_sandbox_state(sb);
    char err[ST_ERRLEN] = "";
    int kind = 0;
    T_EQ_INT(st_sandbox_load(sb, "local a, b = ... return a + b, a * b",
                             strlen("local a, b = ... return a + b, a * b"),
                             "=t", err, sizeof err), ST_OK);
    lua_pushinteger(L, 6);
    lua_pushinteger(L, 7);
    T_EQ_INT(st_sandbox_call(sb, 2, 2, &kind, err, sizeof err), ST_OK);
    T_EQ_INT(lua_gettop(L), 2);
    T_EQ_INT(lua_tointeger(L, 1), 13);
    T_EQ_INT(lua_tointeger(L, 2), 42);
    lua_settop(L, 0);
    T_EQ_INT(st_sandbox_load(sb, "error('x')", 10, "=t", err, sizeof err), ST_OK);
    lua_pushinteger(L, 1);
    T_EQ_INT(st_sandbox_call(sb, 1, 3, &kind, err, sizeof err), ST_ERUN);
    T_EQ_INT(kind, ST_ERRK_RUNTIME);
    T_EQ_STR(err, "t:1: x");
    T_EQ_INT(lua_gettop(L), 0);
    /* A syntax error pushes nothing. */
    T_EQ_INT(st_sandbox_load(sb, "return +", 8, "=t", err, sizeof err), ST_ERUN);
    T_EQ_STR(err, "t:1: unexpected symbol near '+'");
    T_EQ_INT(lua_gettop(L), 0);
    st_sandbox_free(sb);
}

T_SUITE(T_CASE(test_global_allowlist_exact),
        T_CASE(test_library_allowlists_exact),
        T_CASE(test_unavailable_names_exact_errors),
        T_CASE(test_luajit_names_unreachable),
        T_CASE(test_require_steward_modules),
        T_CASE(test_load_refuses_binary_chunks),
        T_CASE(test_load_text_sees_sandbox_globals),
        T_CASE(test_budget_plain_loop),
        T_CASE(test_budget_kill_is_sticky_pcall),
        T_CASE(test_budget_kill_is_sticky_xpcall),
        T_CASE(test_budget_kill_is_sticky_coroutines),
        T_CASE(test_budget_kill_is_sticky_close_and_others),
        T_CASE(test_kill_never_runs_code_with_hooks_off),
        T_CASE(test_deadline),
        T_CASE(test_dead_sandbox_stays_dead),
        T_CASE(test_memory_string_rep),
        T_CASE(test_memory_concat_and_tables),
        T_CASE(test_memory_not_swallowable),
        T_CASE(test_memory_accounting),
        T_CASE(test_memory_cap_holds_while_building),
        T_CASE(test_pattern_bomb_is_budgeted),
        T_CASE(test_gc_metamethod_refused),
        T_CASE(test_os_clock_is_the_evaluation_clock),
        T_CASE(test_os_date_time_out_of_bounds),
        T_CASE(test_os_date_long_format),
        T_CASE(test_runtime_errors),
        T_CASE(test_two_sandboxes_are_isolated),
        T_CASE(test_fresh_sandbox_after_kill),
        T_CASE(test_call_stack_discipline))
