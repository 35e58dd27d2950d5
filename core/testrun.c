/* testrun.c - see testrun.h. */
#include "testrun.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "luacompat.h"

#include "host.h"
#include "lgraph.h"
#include "luajson.h"
#include "obs.h"
#include "policy.h"
#include "registry.h"
#include "runner.h"
#include "session.h"
#include "sandbox.h"
#include "timeutil.h"
#include "util.h"

/* Tests build registries and run policies: give them room. */
#define TEST_INSTRUCTIONS 500000000ULL
#define TEST_MEMORY ((size_t)512 << 20)
#define TEST_SECONDS 20.0

typedef struct {
  const st_testrun_opts *o;
  const char *file;          /* the test file being run */
  char *stdlib;              /* o->home/stdlib */
} test_env;

static const char ENV_KEY = 'E';

/* {=== steward.testing.check ============================================ */

/* The registry argument, a table (converted without metamethods) or JSON
 * text, as JSON text. Caller frees. [-0, +0] */
static char *registry_text(lua_State *L, int idx) {
  if (lua_type(L, idx) == LUA_TSTRING) return st_xstrdup(lua_tostring(L, idx));
  cJSON *root = st_luajson_from_lua(L, idx, INT32_MAX);
  char *printed = cJSON_Print(root);
  char *text = st_xstrdup(printed);
  cJSON_free(printed);
  cJSON_Delete(root);
  return text;
}

/* opts.observations, a list of tables each one observation, as JSON Lines
 * (line i is observation i, so errors name it). Caller frees.
 * [-0, +0] */
static char *observations_text(lua_State *L, int opts) {
  st_buf b;
  st_buf_init(&b);
  if (lua_getfield(L, opts, "observations") == LUA_TTABLE) {
    int list = lua_gettop(L);
    for (lua_Integer i = 1; lua_rawgeti(L, list, i) != LUA_TNIL; i++) {
      cJSON *j = st_luajson_from_lua(L, -1, INT32_MAX);
      char *line = cJSON_PrintUnformatted(j);
      st_buf_puts(&b, line);
      st_buf_putc(&b, '\n');
      cJSON_free(line);
      cJSON_Delete(j);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return st_buf_take(&b);
}

static double opt_now(lua_State *L, int opts, double dflt) {
  double now = dflt;
  if (lua_getfield(L, opts, "now") == LUA_TSTRING &&
      st_time_parse(lua_tostring(L, -1), &now) != 0)
    luaL_error(L, "t.check: now '%s' is not an RFC 3339 time",
               lua_tostring(L, -1));
  lua_pop(L, 1);
  return now;
}

static void push_findings(lua_State *L, const st_findings *f) {
  lua_createtable(L, (int)f->n, 0);
  for (size_t i = 0; i < f->n; i++) {
    cJSON *j = cJSON_CreateObject();
    const st_finding *x = &f->v[i];
    cJSON_AddStringToObject(j, "policy", x->policy);
    cJSON_AddStringToObject(j, "subject", x->subject);
    cJSON_AddStringToObject(j, "severity", st_severity_name(x->severity));
    cJSON_AddStringToObject(j, "enforcement",
                            st_enforcement_name(x->enforcement));
    if (st_layer_name(x->layer))
      cJSON_AddStringToObject(j, "layer", st_layer_name(x->layer));
    cJSON_AddStringToObject(j, "message", x->message);
    if (x->path) cJSON_AddStringToObject(j, "path", x->path);
    if (x->key) cJSON_AddStringToObject(j, "key", x->key);
    if (x->waiver) cJSON_AddStringToObject(j, "waived_by", x->waiver);
    if (x->evidence)
      cJSON_AddItemToObject(j, "evidence", cJSON_Duplicate(x->evidence, 1));
    if (x->error) cJSON_AddStringToObject(j, "error", st_errkind_name(x->error));
    st_luajson_push(L, j);
    cJSON_Delete(j);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* opts.params, the parameters of the policy under test, as a --params
 * document {"id": {...}} for every policy the file holds; NULL when there
 * are none. The ids are learnt by loading the file once on its own.
 * Caller frees. [-0, +0] */
static char *params_text(lua_State *L, int opts, const char *policy,
                         const test_env *env, char *err, size_t errlen) {
  if (lua_getfield(L, opts, "params") != LUA_TTABLE) {
    lua_pop(L, 1);
    return NULL;
  }
  cJSON *inner = st_luajson_from_lua(L, -1, INT32_MAX);
  lua_pop(L, 1);
  st_policyset set;
  st_policyset_init(&set, env->stdlib, env->o->now, NULL);
  char *text = NULL;
  if (st_policyset_load(&set, policy, err, errlen) == ST_OK) {
    cJSON *doc = cJSON_CreateObject();
    for (size_t i = 0; i < set.n; i++)
      cJSON_AddItemToObject(doc, set.v[i].id, cJSON_Duplicate(inner, 1));
    char *printed = cJSON_PrintUnformatted(doc);
    text = st_xstrdup(printed);
    cJSON_free(printed);
    cJSON_Delete(doc);
  }
  st_policyset_free(&set);
  cJSON_Delete(inner);
  return text;
}

/* The texts a t.check run is made of. */
typedef struct {
  char *registry, *observations, *params;
} check_texts;

static void texts_free(check_texts *t) {
  free(t->registry);
  free(t->observations);
  free(t->params);
}

/* Runs the policy file on the texts through the one pipeline (session.h),
 * as `steward check` would, into rep. */
static int run_session(const char *policy, const check_texts *t,
                       int keep_going, double now, const test_env *env,
                       st_report *rep, char *err, size_t errlen) {
  st_input obs = {NULL, t->observations, strlen(t->observations),
                  "observations"};
  const char *packs[1] = {policy};
  st_session_opts so = {
    .registry = {NULL, t->registry, strlen(t->registry), "registry"},
    .home = env->o->home, .builtin = 0, .policies = packs, .npolicies = 1,
    .params = {NULL, t->params, t->params ? strlen(t->params) : 0,
               "params"},
    .observations = &obs, .nobservations = 1, .keep_going = keep_going,
    .now = now, .coverage = env->o->coverage,
  };
  st_session *s;
  st_report_init(rep);
  int rc = st_session_open(&so, &s, err, errlen);
  if (rc) return rc;
  st_run_opts ro = {0};
  ro.now = now;
  ro.fail_on = ST_SEV_HIGH;
  rc = st_session_check(s, &ro, rep, err, errlen);
  st_session_close(s);
  return rc;
}

/* check(policy_file, registry [, opts]) → findings. Input errors (a bad
 * registry, a policy that does not load) are raised as Lua errors with the
 * loader's message, so tests can assert on them with pcall. */
static int testing_check(lua_State *L) {
  const char *policy = luaL_checkstring(L, 1);
  ST_CSTACK_CHECK(L);                   /* opts may have __index */
  luaL_checkany(L, 2);
  if (lua_isnoneornil(L, 3)) {
    lua_settop(L, 2);
    lua_newtable(L);
  }
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &ENV_KEY);
  const test_env *env = lua_touserdata(L, -1);
  lua_pop(L, 1);
  double now = opt_now(L, 3, env->o->now);
  int keep_going = lua_getfield(L, 3, "keep_going") == LUA_TBOOLEAN &&
                   lua_toboolean(L, -1);
  lua_pop(L, 1);
  char err[ST_ERRLEN] = "";
  check_texts t = {registry_text(L, 2), observations_text(L, 3), NULL};
  t.params = params_text(L, 3, policy, env, err, sizeof err);
  st_report rep;
  int rc = *err ? ST_EINPUT : run_session(policy, &t, keep_going, now, env,
                                          &rep, err, sizeof err);
  texts_free(&t);
  if (rc) {
    if (!*err) st_report_init(&rep);
    st_report_free(&rep);
    lua_pushstring(L, err);
    return lua_error(L);
  }
  push_findings(L, &rep.findings);
  st_report_free(&rep);
  return 1;
}

static void open_testing(lua_State *L, const char *file) {
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, testing_check);
  lua_setfield(L, -2, "check");
  lua_pushstring(L, file);
  lua_setfield(L, -2, "file");
  st_sandbox_preload(L, "steward.testing");
}

/* }=== */

/* {=== Running one file ================================================= */

static void report_fail(FILE *out, const char *file, const char *name,
                        const char *msg, st_testrun_result *res) {
  fprintf(out, "FAIL %s: %s: %s\n", file, name, msg);
  res->failed++;
}

/* Runs the cases of the steward.test module's _cases list from number
 * `first` on. Returns the number of the case after which the sandbox was
 * killed (the caller rebuilds it and goes on after it), or 0 when every case
 * ran. */
static size_t run_cases(st_sandbox *sb, size_t first, const char *file,
                        const st_testrun_opts *o, FILE *out,
                        st_testrun_result *res) {
  lua_State *L = st_sandbox_state(sb);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "steward.test");
  int kind;
  char msg[ST_ERRLEN];
  if (st_sandbox_call(sb, 1, 1, &kind, msg, sizeof msg) != ST_OK ||
      lua_getfield(L, -1, "_cases") != LUA_TTABLE) {
    report_fail(out, file, "(file)", "does not use steward.test", res);
    return 0;
  }
  int cases = lua_gettop(L);
  size_t count = lua_rawlen(L, cases);
  if (!count) report_fail(out, file, "(file)", "defines no test case", res);
  for (size_t i = first; i <= count; i++) {
    lua_rawgeti(L, cases, (lua_Integer)i);
    int c = lua_gettop(L);
    lua_getfield(L, c, "name");
    char name[256];
    snprintf(name, sizeof name, "%s", lua_type(L, -1) == LUA_TSTRING ?
             lua_tostring(L, -1) : "?");
    lua_pop(L, 1);
    lua_getfield(L, c, "fn");
    if (st_sandbox_call(sb, 0, 0, &kind, msg, sizeof msg) != ST_OK) {
      report_fail(out, file, name, msg, res);
      if (st_sandbox_dead(sb)) return i < count ? i : 0;
    } else {
      res->passed++;
      if (o->verbose) fprintf(out, "ok   %s: %s\n", file, name);
    }
    lua_settop(L, cases);
  }
  return 0;
}

/* Builds a sandbox for a test file and runs its chunk, which registers the
 * cases. Returns NULL after reporting a failure. */
static st_sandbox *start_file(const char *file, const char *text, size_t len,
                              test_env *env, FILE *out,
                              st_testrun_result *res) {
  char err[ST_ERRLEN];
  st_limits lim = {TEST_INSTRUCTIONS, TEST_MEMORY, TEST_SECONDS};
  st_sandbox_opts so = {file, env->stdlib, env->o->now, lim,
                        env->o->coverage};
  st_sandbox *sb = st_host_new(&so, err, sizeof err);
  if (!sb) {
    report_fail(out, file, "(file)", err, res);
    return NULL;
  }
  lua_State *L = st_sandbox_state(sb);
  lua_pushlightuserdata(L, env);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &ENV_KEY);
  open_testing(L, file);
  char chunk[1100];
  snprintf(chunk, sizeof chunk, "@%s", file);
  int kind;
  if (st_sandbox_load(sb, text, len, chunk, err, sizeof err) != ST_OK ||
      st_sandbox_call(sb, 0, 0, &kind, err, sizeof err) != ST_OK) {
    report_fail(out, file, "(file)", err, res);
    st_sandbox_free(sb);
    return NULL;
  }
  return sb;
}

/* A case that is killed takes its state with it: the file is loaded again
 * in a new sandbox and the run goes on with the next case. */
static void run_file(const char *file, const st_testrun_opts *o, FILE *out,
                     st_testrun_result *res) {
  char err[ST_ERRLEN];
  size_t len;
  char *text = st_read_file(file, &len, err, sizeof err);
  if (!text) {
    report_fail(out, file, "(file)", err, res);
    return;
  }
  test_env env = {o, file, NULL};
  st_buf sl;
  st_buf_init(&sl);
  st_buf_printf(&sl, "%s/stdlib", o->home);
  env.stdlib = st_buf_take(&sl);
  size_t next = 1;
  while (next) {
    st_sandbox *sb = start_file(file, text, len, &env, out, res);
    if (!sb) break;
    size_t killed_at = run_cases(sb, next, file, o, out, res);
    next = killed_at ? killed_at + 1 : 0;
    st_sandbox_free(sb);
  }
  free(env.stdlib);
  free(text);
}

/* }=== */

static void walk(const char *path, int depth, const st_testrun_opts *o,
                 FILE *out, st_testrun_result *res) {
  struct stat st;
  if (stat(path, &st) != 0) return;
  if (S_ISREG(st.st_mode)) {
    if (st_ends_with(path, "_test.lua")) run_file(path, o, out, res);
    return;
  }
  if (!S_ISDIR(st.st_mode) || depth > 8) return;
  size_t n;
  char **names = st_list_dir(path, &n);
  for (size_t i = 0; i < n; i++) {
    walk(names[i], depth + 1, o, out, res);
    free(names[i]);
  }
  free(names);
}

int st_testrun(const char *path, const st_testrun_opts *o, FILE *out,
               st_testrun_result *res, char *err, size_t errlen) {
  struct stat st;
  if (stat(path, &st) != 0)
    return st_errf(err, errlen, ST_EINPUT, "%s: no such file or directory",
                   path);
  walk(path, 0, o, out, res);
  return ST_OK;
}

void st_testrun_sources(const char *path, char ***files, size_t *n,
                        size_t *cap) {
  struct stat st;
  if (stat(path, &st) != 0) return;
  if (S_ISREG(st.st_mode)) {
    if (st_ends_with(path, ".lua") && !st_ends_with(path, "_test.lua")) {
      st_grow((void **)files, cap, *n + 1, sizeof **files);
      (*files)[(*n)++] = st_xstrdup(path);
    }
    return;
  }
  if (!S_ISDIR(st.st_mode) || st_ends_with(path, "/testdata")) return;
  size_t count;
  char **names = st_list_dir(path, &count);
  for (size_t i = 0; i < count; i++) {
    st_testrun_sources(names[i], files, n, cap);
    free(names[i]);
  }
  free(names);
}
