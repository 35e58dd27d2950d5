/* policy.c - see policy.h. */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "luacompat.h"

#include "lgraph.h"
#include "luajson.h"

#define MAX_PACK_DEPTH 8

/* The run a policy's ctx.fail reports into. One per policy, so a ctx.fail
 * kept past its call finds `active` clear and refuses. */
typedef struct {
  st_policy *p;
  const st_registry *reg;
  st_findings *out;
  uint32_t subject;
  int active;
} run_state;

void st_policyset_init(st_policyset *s, const char *stdlib_dir, double now,
                       const st_limits *limits) {
  memset(s, 0, sizeof *s);
  if (limits) s->limits = *limits;
  st_limits_default(&s->limits);
  s->stdlib_dir = stdlib_dir ? st_xstrdup(stdlib_dir) : NULL;
  s->now = now;
}

static void policy_free(st_policy *p) {
  st_sandbox_free(p->sb);
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

st_policy *st_policyset_find(st_policyset *s, const char *id) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->v[i].id, id)) return &s->v[i];
  return NULL;
}

/* {=== Reading the policy table (raw access only) ======================= */

/* A string field of the table at idx, or NULL. [-0, +0] */
static const char *raw_string(lua_State *L, int idx, const char *key) {
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
  const char *id = raw_string(L, t, "id");
  const char *title = raw_string(L, t, "title");
  const char *sev = raw_string(L, t, "severity");
  const char *enf = raw_string(L, t, "enforcement");
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
  if (raw_type(L, t, "check") != LUA_TFUNCTION)
    return bad_field(p, err, errlen, "policy has no 'check' function");
  const char *subj = raw_string(L, t, "subjects");
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

static st_limits effective_limits(const st_policyset *s, const st_policy *p) {
  st_limits l = s->limits;
  if (p->limits.instructions) l.instructions = p->limits.instructions;
  if (p->limits.memory) l.memory = p->limits.memory;
  if (p->limits.seconds > 0) l.seconds = p->limits.seconds;
  return l;
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

/* Creates p's sandbox, runs its source and keeps the returned table. With
 * validate set, the table is checked and p filled from it. */
static int build_state(st_policyset *s, st_policy *p, int validate,
                       char *err, size_t errlen) {
  st_sandbox_opts o = {p->file, s->stdlib_dir, s->now,
                       effective_limits(s, p), s->coverage};
  p->sb = st_sandbox_new(&o, err, errlen);
  if (!p->sb) return ST_ERUN;
  lua_State *L = st_sandbox_state(p->sb);
  st_lgraph_open_core(L);
  char chunk[1100], msg[ST_ERRLEN];
  snprintf(chunk, sizeof chunk, "@%s", p->file);
  int kind;
  if (st_sandbox_load(p->sb, p->source, strlen(p->source), chunk, msg,
                      sizeof msg) != ST_OK ||
      st_sandbox_call(p->sb, 0, 1, &kind, msg, sizeof msg) != ST_OK)
    return name_file(p, msg, err, errlen);
  if (lua_type(L, -1) != LUA_TTABLE) {
    lua_pop(L, 1);
    return st_errf(err, errlen, ST_EINPUT, "%s: a policy must return a table",
                   p->file);
  }
  if (validate) {
    int rc = read_table(L, p, err, errlen);
    if (rc) {
      lua_pop(L, 1);
      return rc;
    }
    st_limits l = effective_limits(s, p);
    st_sandbox_set_limits(p->sb, &l);
  }
  p->table_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return ST_OK;
}

/* Throws away a killed state and builds it again from the source. */
static void rebuild_state(st_policyset *s, st_policy *p) {
  char err[ST_ERRLEN];
  st_sandbox_free(p->sb);
  p->sb = NULL;
  if (build_state(s, p, 0, err, sizeof err) != ST_OK) {
    st_sandbox_free(p->sb);
    p->sb = NULL;       /* evaluated later as "failed to run" */
  }
}

/* }=== */

static int load_kill_kind(const st_sandbox *sb);

int st_policyset_load_text(st_policyset *s, const char *name,
                           const char *text, size_t len, char *err,
                           size_t errlen) {
  st_policy p;
  memset(&p, 0, sizeof p);
  p.file = st_xstrdup(name);
  p.source = st_xstrndup(text, len);
  int rc = build_state(s, &p, 1, err, errlen);
  if (rc && p.sb && st_sandbox_dead(p.sb)) {
    /* A limit hit while loading is a policy that failed to run (exit 3,
     * the others still report), not bad input: keep it, named by file. */
    p.load_kill = st_sandbox_dead(p.sb) ? load_kill_kind(p.sb) : 0;
    free(p.id);
    p.id = st_xstrdup(p.file);
    p.title = p.title ? p.title : st_xstrdup(p.file);
    p.severity = ST_SEV_HIGH;
    p.enforcement = ST_ENF_SOFT;
    st_sandbox_free(p.sb);
    /* A fresh, empty state: nothing of the killed one survives. */
    st_sandbox_opts o = {p.file, s->stdlib_dir, s->now, s->limits,
                         s->coverage};
    p.sb = st_sandbox_new(&o, err, errlen);
    rc = p.sb ? ST_OK : ST_ERUN;
  }
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

static int load_kill_kind(const st_sandbox *sb) {
  return st_sandbox_kill_kind(sb);
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

/* {=== Evaluation ======================================================= */

static const char RUN_KEY = 'R';

static run_state *current_run(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &RUN_KEY);
  run_state *r = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return r;
}

/* Resolves a path given to ctx.fail: absolute pointers stay, relative ones
 * are taken from the subject node ("monitoring/metric"). Caller frees. */
static char *resolve_path(const run_state *r, const char *path) {
  if (!path) return NULL;
  if (path[0] == '/') return st_xstrdup(path);
  char *node = st_registry_node_pointer(r->reg, r->subject);
  st_buf b;
  st_buf_init(&b);
  st_buf_printf(&b, "%s/%s", node, path);
  free(node);
  return st_buf_take(&b);
}

/* ctx.fail(message [, {path=, evidence=, severity=, key=}]); key names the
 * finding across runs when its message carries changing numbers. */
static int ctx_fail(lua_State *L) {
  run_state *r = current_run(L);
  if (!r || !r->active || r->subject == ST_NODE_NONE)
    return luaL_error(L, "ctx.fail called outside check");
  if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER)
    return luaL_argerror(L, 1, "the message must be a string");
  const char *msg = lua_tostring(L, 1);
  int sev = r->p->severity;
  const char *path = NULL, *key = NULL;
  cJSON *ev = NULL;
  if (lua_type(L, 2) == LUA_TTABLE) {
    path = raw_string(L, 2, "path");
    key = raw_string(L, 2, "key");
    const char *s = raw_string(L, 2, "severity");
    if (s && (sev = st_severity_parse(s)) < 0)
      return luaL_error(L, "ctx.fail: unknown severity '%s'", s);
    lua_pushliteral(L, "evidence");
    if (lua_rawget(L, 2) != LUA_TNIL)
      ev = st_luajson_from_lua(L, -1, ST_LUAJSON_MAX_ITEMS);
    lua_pop(L, 1);
  } else if (!lua_isnoneornil(L, 2)) {
    return luaL_argerror(L, 2, "options must be a table");
  }
  /* What a run's findings hold is host memory the Lua cap does not see:
   * messages are cut at 4 KiB, and a run whose findings pass the policy's
   * memory limit is stopped as a memory kill. */
  size_t mlen = strlen(msg);
  char cut[4100];
  if (mlen > 4096) {
    memcpy(cut, msg, 4093);
    memcpy(cut + 4093, "...", 4);
    msg = cut;
    mlen = 4096;
  }
  r->p->fail_bytes += mlen + 256 + (path ? strlen(path) : 0) +
                      (ev ? st_luajson_size(ev) : 0);
  if (r->p->fail_bytes > st_sandbox_limits(r->p->sb)->memory) {
    cJSON_Delete(ev);
    return st_sandbox_kill(L, ST_ERRK_MEMORY);
  }
  char *full = resolve_path(r, path);
  st_finding *f = st_findings_add(r->out, r->p->id,
                                  st_graph_id(&r->reg->graph, r->subject),
                                  sev, r->p->enforcement, msg, full, ev);
  if (key) f->key = st_xstrdup(key);
  free(full);
  return 0;
}

/* ctx.params_of(id): the effective parameters of another policy in the
 * run, so a policy that builds on others (sequencing on readiness and
 * governance) judges with the thresholds the user set for them. */
static int ctx_params_of(lua_State *L) {
  const char *id = luaL_checkstring(L, 1);
  lua_getfield(L, lua_upvalueindex(1), id);
  return 1;
}

void st_policyset_push_params(lua_State *L, const st_policyset *s) {
  lua_createtable(L, 0, (int)s->n);
  for (size_t i = 0; i < s->n; i++) {
    st_luajson_push(L, s->v[i].params);
    lua_setfield(L, -2, s->v[i].id);
  }
}

void st_policyset_push_params_of(lua_State *L, int map) {
  lua_pushvalue(L, map);
  lua_pushcclosure(L, ctx_params_of, 1);
}

/* Pushes ctx for this run. [-0, +1, m] */
static void push_ctx(lua_State *L, st_policyset *s, st_policy *p) {
  lua_createtable(L, 0, 8);
  st_policyset_push_params(L, s);
  st_policyset_push_params_of(L, lua_gettop(L));
  lua_setfield(L, -3, "params_of");
  lua_pop(L, 1);
  lua_pushcfunction(L, ctx_fail);
  lua_setfield(L, -2, "fail");
  st_lgraph_push_api(L);
  lua_setfield(L, -2, "graph");
  st_lgraph_push_observations(L);
  lua_setfield(L, -2, "observations");
  double now = s->now;
  lua_pushinteger(L, (lua_Integer)now);
  lua_setfield(L, -2, "now");
  st_luajson_push(L, p->params);
  lua_setfield(L, -2, "params");
  lua_createtable(L, 0, 3);
  lua_pushstring(L, p->id);
  lua_setfield(L, -2, "id");
  lua_pushstring(L, st_severity_name(p->severity));
  lua_setfield(L, -2, "severity");
  lua_pushstring(L, p->title);
  lua_setfield(L, -2, "title");
  lua_setfield(L, -2, "policy");
}

static void error_finding(st_policy *p, st_findings *out, const char *subject,
                          int kind, const char *msg, cJSON *ev) {
  st_finding *f = st_findings_add(out, p->id, subject, p->severity,
                                  p->enforcement, msg, NULL, ev);
  f->error = (uint8_t)kind;
}

/* A kill: one finding saying which limit, its value and how far it got. */
static void kill_finding(st_policy *p, st_findings *out, const char *subject,
                         int kind, size_t done, size_t total) {
  const st_limits *l = st_sandbox_limits(p->sb);
  char msg[512];
  if (kind == ST_ERRK_INSTRUCTIONS)
    snprintf(msg, sizeof msg, "instruction budget of %llu exceeded",
             (unsigned long long)l->instructions);
  else if (kind == ST_ERRK_DEADLINE)
    snprintf(msg, sizeof msg, "deadline of %g s exceeded", l->seconds);
  else
    snprintf(msg, sizeof msg, "memory limit of %zu MiB exceeded",
             l->memory >> 20);
  char full[700];
  if (p->load_kill)
    snprintf(full, sizeof full, "%s while the policy file ran, before any "
             "subject", msg);
  else
    snprintf(full, sizeof full, "%s after %zu of %zu subjects (at '%s')", msg,
             done, total, subject);
  cJSON *ev = cJSON_CreateObject();
  cJSON_AddStringToObject(ev, "limit", st_errkind_name(kind));
  cJSON_AddNumberToObject(ev, "instructions_limit", (double)l->instructions);
  cJSON_AddNumberToObject(ev, "memory_limit", (double)l->memory);
  cJSON_AddNumberToObject(ev, "seconds_limit", l->seconds);
  cJSON_AddNumberToObject(ev, "subjects_done", (double)done);
  cJSON_AddNumberToObject(ev, "subjects_total", (double)total);
  error_finding(p, out, subject, kind, full, ev);
}

/* The subjects as node indices. Caller frees *nodes. On error returns -1
 * with msg and kind set. */
static int collect_subjects(st_policy *p, const st_graph *g, int ctx_idx,
                            uint32_t **nodes, size_t *n, int *kind, char *msg,
                            size_t msglen) {
  if (p->subjects_kind >= 0) {
    size_t c = g->kind_count[p->subjects_kind];
    *nodes = st_xmalloc((c ? c : 1) * sizeof **nodes);
    if (c) memcpy(*nodes, g->kind_nodes[p->subjects_kind], c * sizeof **nodes);
    *n = c;
    return 0;
  }
  lua_State *L = st_sandbox_state(p->sb);
  lua_rawgeti(L, LUA_REGISTRYINDEX, p->table_ref);
  lua_pushliteral(L, "subjects");
  lua_rawget(L, -2);
  lua_remove(L, -2);
  lua_getfield(L, ctx_idx, "graph");
  lua_pushvalue(L, ctx_idx);
  if (st_sandbox_call(p->sb, 2, 1, kind, msg, msglen) != ST_OK) return -1;
  if (lua_type(L, -1) != LUA_TTABLE) {
    lua_pop(L, 1);
    *kind = ST_ERRK_RUNTIME;
    snprintf(msg, msglen, "%s: subjects() must return a list of nodes",
             p->file);
    return -1;
  }
  size_t len = lua_rawlen(L, -1), k = 0;
  *nodes = st_xmalloc((len ? len : 1) * sizeof **nodes);
  for (size_t i = 1; i <= len; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i);
    uint32_t node = st_lgraph_to_node(L, -1);
    if (node == ST_NODE_NONE && lua_type(L, -1) == LUA_TSTRING)
      node = st_graph_find(g, lua_tostring(L, -1), lua_rawlen(L, -1));
    if (node != ST_NODE_NONE) (*nodes)[k++] = node;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  *n = k;
  return 0;
}

static void bind_run(lua_State *L, run_state *r, const st_registry *reg,
                     const st_obsset *obs) {
  st_lgraph_bind(L, reg, obs);
  lua_pushlightuserdata(L, r);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &RUN_KEY);
}

/* Calls check(node, ctx) for each subject. ctx is at ctx_idx. */
static int check_subjects(st_policy *p, run_state *r, const uint32_t *nodes,
                          size_t n, int ctx_idx) {
  lua_State *L = st_sandbox_state(p->sb);
  const st_graph *g = &r->reg->graph;
  int failed = 0;
  for (size_t i = 0; i < n; i++) {
    int kind;
    char msg[ST_ERRLEN];
    r->subject = nodes[i];
    r->active = 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->table_ref);
    lua_pushliteral(L, "check");
    lua_rawget(L, -2);
    lua_remove(L, -2);
    st_lgraph_push_node(L, nodes[i]);
    lua_pushvalue(L, ctx_idx);
    int rc = st_sandbox_call(p->sb, 2, 0, &kind, msg, sizeof msg);
    r->active = 0;
    if (rc == ST_OK) continue;
    failed = 1;
    if (kind != ST_ERRK_RUNTIME) {
      kill_finding(p, r->out, st_graph_id(g, nodes[i]), kind, i, n);
      return 1;
    }
    error_finding(p, r->out, st_graph_id(g, nodes[i]), kind, msg, NULL);
  }
  return failed;
}

int st_policy_eval(st_policyset *s, st_policy *p, const st_registry *reg,
                   const st_obsset *obs, st_findings *out) {
  if (p->load_kill) {
    kill_finding(p, out, "", p->load_kill, 0, 0);
    return 1;
  }
  p->fail_bytes = 0;
  if (!p->sb) rebuild_state(s, p);
  if (!p->sb) {
    error_finding(p, out, "", ST_ERRK_RUNTIME, "the policy could not be "
                  "loaded again after it was stopped", NULL);
    return 1;
  }
  st_sandbox_set_now(p->sb, s->now);
  lua_State *L = st_sandbox_state(p->sb);
  run_state r = {p, reg, out, ST_NODE_NONE, 0};
  bind_run(L, &r, reg, obs);
  int top = lua_gettop(L);
  push_ctx(L, s, p);
  uint32_t *nodes = NULL;
  size_t n = 0;
  int kind, failed;
  char msg[ST_ERRLEN];
  if (collect_subjects(p, &reg->graph, top + 1, &nodes, &n, &kind, msg,
                       sizeof msg)) {
    if (kind == ST_ERRK_RUNTIME) error_finding(p, out, "", kind, msg, NULL);
    else kill_finding(p, out, "", kind, 0, 0);
    failed = 1;
  } else {
    failed = check_subjects(p, &r, nodes, n, top + 1);
  }
  free(nodes);
  lua_settop(L, top);
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &RUN_KEY);
  if (st_sandbox_dead(p->sb)) rebuild_state(s, p);
  else lua_gc(L, LUA_GCCOLLECT, 0);   /* this run's garbage, before the next
                                       * policy allocates */
  return failed;
}

size_t st_policyset_eval(st_policyset *s, const st_registry *reg,
                         const st_obsset *obs, st_findings *out) {
  size_t failed = 0;
  for (size_t i = 0; i < s->n; i++)
    failed += (size_t)st_policy_eval(s, &s->v[i], reg, obs, out);
  return failed;
}

/* }=== */
