/* testrun.c - see testrun.h. */
#include "testrun.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "luacompat.h"

#include "lgraph.h"
#include "luajson.h"
#include "obs.h"
#include "policy.h"
#include "registry.h"
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
} test_env;

static const char ENV_KEY = 'E';

/* {=== steward.testing.check ============================================ */

/* The registry argument: a table (converted without metamethods) or JSON
 * text. Adds it to reg. */
static int add_registry(lua_State *L, int idx, st_registry *reg, char *err,
                        size_t errlen) {
  cJSON *root;
  char *text = NULL;
  if (lua_type(L, idx) == LUA_TSTRING) {
    text = st_xstrdup(lua_tostring(L, idx));
    root = cJSON_Parse(text);
    if (!root) {
      free(text);
      return st_errf(err, errlen, ST_EINPUT, "registry: malformed JSON");
    }
  } else {
    root = st_luajson_from_lua(L, idx, INT32_MAX);
    text = cJSON_Print(root);
  }
  int rc = st_registry_add(reg, root, "registry", text, err, errlen);
  cJSON_Delete(root);
  if (text) cJSON_free(text);
  return rc;
}

/* opts.observations: a list of tables, each one observation. */
static int add_observations(lua_State *L, int opts, st_obsset *obs,
                            char *err, size_t errlen) {
  if (lua_getfield(L, opts, "observations") != LUA_TTABLE) {
    lua_pop(L, 1);
    return ST_OK;
  }
  int list = lua_gettop(L), rc = ST_OK;
  for (lua_Integer i = 1; !rc && lua_rawgeti(L, list, i) != LUA_TNIL; i++) {
    cJSON *j = st_luajson_from_lua(L, -1, INT32_MAX);
    char *line = cJSON_PrintUnformatted(j);
    rc = st_obs_add_line(obs, line, strlen(line), "observations", (int)i, err,
                         errlen);
    cJSON_free(line);
    cJSON_Delete(j);
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  return rc;
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
    cJSON_AddStringToObject(j, "message", x->message);
    if (x->path) cJSON_AddStringToObject(j, "path", x->path);
    if (x->evidence)
      cJSON_AddItemToObject(j, "evidence", cJSON_Duplicate(x->evidence, 1));
    if (x->error) cJSON_AddStringToObject(j, "error", st_errkind_name(x->error));
    st_luajson_push(L, j);
    cJSON_Delete(j);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

typedef struct {
  st_registry reg;
  st_obsset obs;
  st_policyset set;
  st_findings found;
  cJSON *params;
} check_run;

static void check_run_free(check_run *c) {
  st_registry_free(&c->reg);
  st_obs_free(&c->obs);
  st_policyset_free(&c->set);
  st_findings_free(&c->found);
  cJSON_Delete(c->params);
}

static int prepare(lua_State *L, check_run *c, const char *policy, int opts,
                   char *err, size_t errlen) {
  st_load_opts lo = {0};
  if (lua_getfield(L, opts, "keep_going") == LUA_TBOOLEAN)
    lo.keep_going = lua_toboolean(L, -1);
  lua_pop(L, 1);
  int rc = add_registry(L, 2, &c->reg, err, errlen);
  if (!rc) rc = st_registry_finish(&c->reg, &lo, err, errlen);
  if (!rc) rc = add_observations(L, opts, &c->obs, err, errlen);
  st_obs_index(&c->obs);
  if (!rc) rc = st_policyset_load(&c->set, policy, err, errlen);
  if (!rc && lua_getfield(L, opts, "params") == LUA_TTABLE) {
    cJSON *inner = st_luajson_from_lua(L, -1, INT32_MAX);
    c->params = cJSON_CreateObject();
    for (size_t i = 0; i < c->set.n; i++)
      cJSON_AddItemToObject(c->params, c->set.v[i].id,
                            cJSON_Duplicate(inner, 1));
    cJSON_Delete(inner);
    rc = st_policyset_params(&c->set, c->params, err, errlen);
  }
  lua_settop(L, opts);
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
  check_run c;
  memset(&c, 0, sizeof c);
  st_registry_init(&c.reg);
  st_obs_init(&c.obs);
  st_policyset_init(&c.set, env->o->stdlib_dir, now, NULL);
  c.set.coverage = env->o->coverage;
  char err[ST_ERRLEN];
  if (prepare(L, &c, policy, 3, err, sizeof err) != ST_OK) {
    check_run_free(&c);
    lua_pushstring(L, err);
    return lua_error(L);
  }
  st_policyset_eval(&c.set, &c.reg, &c.obs, &c.found);
  st_findings_move(&c.found, &c.reg.load_findings);
  st_findings_sort(&c.found);
  push_findings(L, &c.found);
  check_run_free(&c);
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
  st_sandbox_opts so = {file, env->o->stdlib_dir, env->o->now, lim,
                        env->o->coverage};
  st_sandbox *sb = st_sandbox_new(&so, err, sizeof err);
  if (!sb) {
    report_fail(out, file, "(file)", err, res);
    return NULL;
  }
  lua_State *L = st_sandbox_state(sb);
  lua_pushlightuserdata(L, env);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &ENV_KEY);
  st_lgraph_open_core(L);
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
  test_env env = {o, file};
  size_t next = 1;
  while (next) {
    st_sandbox *sb = start_file(file, text, len, &env, out, res);
    if (!sb) break;
    size_t killed_at = run_cases(sb, next, file, o, out, res);
    next = killed_at ? killed_at + 1 : 0;
    st_sandbox_free(sb);
  }
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
