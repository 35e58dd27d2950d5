/* policy.c - see policy.h. */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "luacompat.h"

#include "host.h"
#include "lgraph.h"
#include "luajson.h"

#define MAX_PACK_DEPTH 8

void st_policyset_init(st_policyset *s, const char *stdlib_dir,
                       double load_now, const st_limits *limits) {
  memset(s, 0, sizeof *s);
  if (limits) s->limits = *limits;
  st_limits_default(&s->limits);
  s->stdlib_dir = stdlib_dir ? st_xstrdup(stdlib_dir) : NULL;
  s->load_now = load_now;
}

static void policy_free(st_policy *p) {
  st_sandbox_free(atomic_exchange(&p->spare, NULL));
  free(p->file);
  free(p->source);
  free(p->id);
  free(p->title);
  cJSON_Delete(p->params);
}

void st_policyset_free(st_policyset *s) {
  for (size_t i = 0; i < s->n; i++) policy_free(&s->v[i]);
  free(s->v);
  free(s->stdlib_dir);
  memset(s, 0, sizeof *s);
}

st_policy *st_policyset_find(const st_policyset *s, const char *id) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->v[i].id, id)) return &s->v[i];
  return NULL;
}

/* {=== Reading the policy table (raw access only) ======================= */

const char *st_policy_raw_string(lua_State *L, int idx, const char *key) {
  lua_pushstring(L, key);
  int t = lua_rawget(L, idx);
  const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);          /* the string stays alive: the table holds it */
  return s;
}

static int raw_type(lua_State *L, int idx, const char *key) {
  lua_pushstring(L, key);
  int t = lua_rawget(L, idx);
  lua_pop(L, 1);
  return t;
}

static double raw_number(lua_State *L, int idx, const char *key) {
  lua_pushstring(L, key);
  double x = lua_rawget(L, idx) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
  lua_pop(L, 1);
  return x;
}

static int read_limits(lua_State *L, int idx, st_policy *p, char *err,
                       size_t errlen) {
  lua_pushliteral(L, "limits");
  int t = lua_rawget(L, idx);
  if (t == LUA_TTABLE) {
    int li = lua_gettop(L);
    double ins = raw_number(L, li, "instructions");
    double mem = raw_number(L, li, "memory_mb");
    double sec = raw_number(L, li, "seconds");
    if (ins < 0 || mem < 0 || sec < 0 || ins > 1e15 || mem > 65536 ||
        sec > 3600) {
      lua_pop(L, 1);
      return st_errf(err, errlen, ST_EINPUT, "%s: limits out of range",
                     p->file);
    }
    p->limits.instructions = (uint64_t)ins;
    p->limits.memory = (size_t)(mem * 1048576.0);
    p->limits.seconds = sec;
  } else if (t != LUA_TNIL) {
    lua_pop(L, 1);
    return st_errf(err, errlen, ST_EINPUT, "%s: 'limits' must be a table",
                   p->file);
  }
  lua_pop(L, 1);
  return ST_OK;
}

static int bad_field(const st_policy *p, char *err, size_t errlen,
                     const char *what) {
  return st_errf(err, errlen, ST_EINPUT, "%s: %s", p->file, what);
}

/* Validates the table on top of the stack and fills p. [-0, +0] */
static int read_table(lua_State *L, st_policy *p, char *err, size_t errlen) {
  int t = lua_gettop(L);
  const char *id = st_policy_raw_string(L, t, "id");
  const char *title = st_policy_raw_string(L, t, "title");
  const char *sev = st_policy_raw_string(L, t, "severity");
  const char *enf = st_policy_raw_string(L, t, "enforcement");
  if (!id || !*id) return bad_field(p, err, errlen, "policy has no 'id' string");
  if (!sev) return bad_field(p, err, errlen, "policy has no 'severity'");
  if ((p->severity = st_severity_parse(sev)) < 0)
    return st_errf(err, errlen, ST_EINPUT, "%s: unknown severity '%s' "
                   "(expected info, low, medium, high or critical)", p->file,
                   sev);
  p->enforcement = enf ? st_enforcement_parse(enf) : ST_ENF_SOFT;
  if (p->enforcement < 0)
    return st_errf(err, errlen, ST_EINPUT, "%s: unknown enforcement '%s' "
                   "(expected advisory, mandatory, soft-mandatory or "
                   "hard-mandatory)", p->file, enf);
  const char *layer = st_policy_raw_string(L, t, "layer");
  if (!layer && raw_type(L, t, "layer") != LUA_TNIL)
    return bad_field(p, err, errlen, "'layer' must be a string");
  if ((p->layer = layer ? st_layer_parse(layer) : ST_LAYER_NONE) < 0)
    return st_errf(err, errlen, ST_EINPUT, "%s: unknown layer '%s' "
                   "(expected technical, process or governance)", p->file,
                   layer);
  if (raw_type(L, t, "check") != LUA_TFUNCTION)
    return bad_field(p, err, errlen, "policy has no 'check' function");
  const char *subj = st_policy_raw_string(L, t, "subjects");
  if (subj) {
    if ((p->subjects_kind = st_kind_parse(subj)) < 0)
      return st_errf(err, errlen, ST_EINPUT, "%s: unknown subjects '%s' "
                     "(expected owners, systems, datasets, models, workflows "
                     "or a function)", p->file, subj);
  } else if (raw_type(L, t, "subjects") == LUA_TFUNCTION) {
    p->subjects_kind = -1;
  } else {
    return bad_field(p, err, errlen,
                     "policy has no 'subjects' (a kind or a function)");
  }
  int pt = raw_type(L, t, "params");
  if (pt != LUA_TNIL && pt != LUA_TTABLE)
    return bad_field(p, err, errlen, "'params' must be a table");
  if (pt == LUA_TTABLE) {
    lua_pushliteral(L, "params");
    lua_rawget(L, t);
    p->params = st_luajson_from_lua(L, -1, ST_LUAJSON_MAX_ITEMS);
    lua_pop(L, 1);
  }
  if (!cJSON_IsObject(p->params)) {
    cJSON_Delete(p->params);
    p->params = cJSON_CreateObject();
  }
  p->id = st_xstrdup(id);
  p->title = st_xstrdup(title ? title : id);
  return read_limits(L, t, p, err, errlen);
}

/* }=== */

/* {=== Building a policy's state ======================================== */

static const char TABLE_KEY = 'T';

st_limits st_policy_limits(const st_policyset *s, const st_policy *p) {
  st_limits l = s->limits;
  if (p->limits.instructions) l.instructions = p->limits.instructions;
  if (p->limits.memory) l.memory = p->limits.memory;
  if (p->limits.seconds > 0) l.seconds = p->limits.seconds;
  return l;
}

void st_policy_push_table(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &TABLE_KEY);
}

/* An error while loading a policy, always naming its file: Lua's own
 * messages start "FILE:LINE:", a kill or an error value does not. */
static int name_file(const st_policy *p, const char *msg, char *err,
                     size_t errlen) {
  size_t n = strlen(p->file);
  if (!strncmp(msg, p->file, n) && msg[n] == ':')
    return st_errf(err, errlen, ST_EINPUT, "%s", msg);
  return st_errf(err, errlen, ST_EINPUT, "%s: %s", p->file, msg);
}

/* Runs p's source in a new state and leaves the returned table on top.
 * Returns ST_OK, or an error with *out holding the failed state. */
static int run_source(const st_policyset *s, const st_policy *p, double now,
                      st_sandbox **out, char *err, size_t errlen) {
  st_sandbox_opts o = {p->file, s->stdlib_dir, now, st_policy_limits(s, p),
                       s->coverage};
  st_sandbox *sb = *out = st_host_new(&o, err, errlen);
  if (!sb) return ST_ERUN;
  lua_State *L = st_sandbox_state(sb);
  char chunk[1100], msg[ST_ERRLEN];
  snprintf(chunk, sizeof chunk, "@%s", p->file);
  int kind;
  if (st_sandbox_load(sb, p->source, strlen(p->source), chunk, msg,
                      sizeof msg) != ST_OK ||
      st_sandbox_call(sb, 0, 1, &kind, msg, sizeof msg) != ST_OK)
    return name_file(p, msg, err, errlen);
  if (lua_type(L, -1) != LUA_TTABLE) {
    lua_pop(L, 1);
    return st_errf(err, errlen, ST_EINPUT, "%s: a policy must return a table",
                   p->file);
  }
  return ST_OK;
}

/* Keeps the table on top of the stack as the state's policy table.
 * [-1, +0, m] */
static void store_table(lua_State *L) {
  lua_rawsetp(L, LUA_REGISTRYINDEX, &TABLE_KEY);
}

int st_policy_build_state(const st_policyset *s, const st_policy *p,
                          double now, st_sandbox **out, char *err,
                          size_t errlen) {
  int rc = run_source(s, p, now, out, err, errlen);
  if (!rc) store_table(st_sandbox_state(*out));
  return rc;
}

/* Loads p for the first time: runs it, checks its table and fills p from
 * it. On success p->spare holds the state. */
static int first_load(st_policyset *s, st_policy *p, st_sandbox **sb,
                      char *err, size_t errlen) {
  int rc = run_source(s, p, s->load_now, sb, err, errlen);
  if (rc) return rc;
  lua_State *L = st_sandbox_state(*sb);
  rc = read_table(L, p, err, errlen);
  if (rc) {
    lua_pop(L, 1);
    return rc;
  }
  store_table(L);
  st_limits l = st_policy_limits(s, p);
  st_sandbox_set_limits(*sb, &l);
  atomic_store(&p->spare, *sb);
  *sb = NULL;
  return ST_OK;
}

/* }=== */

int st_policyset_load_text(st_policyset *s, const char *name,
                           const char *text, size_t len, char *err,
                           size_t errlen) {
  st_policy p;
  memset(&p, 0, sizeof p);
  p.file = st_xstrdup(name);
  p.source = st_xstrndup(text, len);
  st_sandbox *failed = NULL;
  int rc = first_load(s, &p, &failed, err, errlen);
  if (rc && failed && st_sandbox_dead(failed)) {
    /* A limit hit while loading is a policy that failed to run (exit 3,
     * the others still report), not bad input: keep it, named by file. */
    p.load_kill = st_sandbox_kill_kind(failed);
    free(p.id);
    p.id = st_xstrdup(p.file);
    free(p.title);
    p.title = st_xstrdup(p.file);
    p.severity = ST_SEV_HIGH;
    p.enforcement = ST_ENF_SOFT;
    memset(&p.limits, 0, sizeof p.limits);
    rc = ST_OK;
  }
  st_sandbox_free(failed);
  if (!rc && st_policyset_find(s, p.id)) {
    st_policy *other = st_policyset_find(s, p.id);
    rc = st_errf(err, errlen, ST_EINPUT, "%s: duplicate policy id '%s' "
                 "(also in %s)", p.file, p.id, other->file);
  }
  if (rc) {
    policy_free(&p);
    return rc == ST_ERUN ? ST_EINPUT : rc;
  }
  st_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
  s->v[s->n++] = p;
  return ST_OK;
}

static int load_file(st_policyset *s, const char *path, char *err,
                     size_t errlen) {
  size_t len;
  char *text = st_read_file(path, &len, err, errlen);
  if (!text) return ST_EINPUT;
  int rc = st_policyset_load_text(s, path, text, len, err, errlen);
  free(text);
  return rc;
}

/* Loads policies under dir, in name order, recursing into directories. */
static int load_dir(st_policyset *s, const char *dir, int depth, char *err,
                    size_t errlen) {
  size_t n;
  char **names = st_list_dir(dir, &n);
  int rc = ST_OK;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (!rc && stat(names[i], &st) == 0) {
      if (S_ISDIR(st.st_mode) && depth < MAX_PACK_DEPTH)
        rc = load_dir(s, names[i], depth + 1, err, errlen);
      else if (S_ISREG(st.st_mode) && st_ends_with(names[i], ".lua") &&
               !st_ends_with(names[i], "_test.lua"))
        rc = load_file(s, names[i], err, errlen);
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

int st_policyset_load(st_policyset *s, const char *path, char *err,
                      size_t errlen) {
  struct stat st;
  if (stat(path, &st) != 0)
    return st_errf(err, errlen, ST_EINPUT, "%s: no such file or directory",
                   path);
  if (S_ISDIR(st.st_mode)) return load_dir(s, path, 0, err, errlen);
  return load_file(s, path, err, errlen);
}

/* Checks overrides against the policies without changing anything. */
static int check_params(st_policyset *s, const cJSON *overrides, char *err,
                        size_t errlen) {
  if (!cJSON_IsObject(overrides))
    return st_errf(err, errlen, ST_EINPUT,
                   "parameters must be an object keyed by policy id");
  for (const cJSON *pol = overrides->child; pol; pol = pol->next) {
    st_policy *p = st_policyset_find(s, pol->string);
    if (!p)
      return st_errf(err, errlen, ST_EINPUT, "/%s: unknown policy '%s'",
                     pol->string, pol->string);
    if (!cJSON_IsObject(pol))
      return st_errf(err, errlen, ST_EINPUT, "/%s: expected an object",
                     pol->string);
    for (const cJSON *kv = pol->child; kv; kv = kv->next)
      if (!cJSON_GetObjectItemCaseSensitive(p->params, kv->string))
        return st_errf(err, errlen, ST_EINPUT,
                       "/%s/%s: policy '%s' has no parameter '%s'",
                       pol->string, kv->string, p->id, kv->string);
  }
  return ST_OK;
}

int st_policyset_params(st_policyset *s, const cJSON *overrides, char *err,
                        size_t errlen) {
  int rc = check_params(s, overrides, err, errlen);
  if (rc) return rc;                /* all or nothing */
  for (const cJSON *pol = overrides->child; pol; pol = pol->next) {
    st_policy *p = st_policyset_find(s, pol->string);
    for (const cJSON *kv = pol->child; kv; kv = kv->next)
      cJSON_ReplaceItemInObjectCaseSensitive(p->params, kv->string,
                                             cJSON_Duplicate(kv, 1));
  }
  return ST_OK;
}
