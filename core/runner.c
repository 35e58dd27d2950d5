/* runner.c - see runner.h. */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "host.h"
#include "lgraph.h"
#include "luajson.h"
#include "sandbox.h"

/* The run a policy's ctx.fail reports into. One per evaluation, reachable
 * from the state's registry while it lasts, so a ctx.fail kept past its
 * call finds `active` clear and refuses. */
typedef struct {
  const st_policy *p;
  st_sandbox *sb;
  const st_registry *reg;
  st_findings *out;
  uint32_t subject;
  int active;
  size_t fail_bytes;         /* what this run's findings hold, roughly */
  st_limits limits;          /* the policy's per-call limits */
  int stopped;               /* ST_STOP_*, when the run must end */
} run_state;

static const char RUN_KEY = 'R';

void st_runner_init(st_runner *r, const st_policyset *set) {
  r->set = set;
  r->n = set->n;
  r->sb = st_xcalloc(r->n ? r->n : 1, sizeof *r->sb);
}

void st_runner_free(st_runner *r) {
  for (size_t i = 0; i < r->n; i++) st_sandbox_free(r->sb[i]);
  free(r->sb);
  memset(r, 0, sizeof *r);
}

/* {=== ctx.fail ========================================================= */

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
 * finding across runs when the policy reports several on one path. */
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
    path = st_policy_raw_string(L, 2, "path");
    key = st_policy_raw_string(L, 2, "key");
    const char *s = st_policy_raw_string(L, 2, "severity");
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
  r->fail_bytes += mlen + 256 + (path ? strlen(path) : 0) +
                   (ev ? st_luajson_size(ev) : 0);
  if (r->fail_bytes > st_sandbox_limits(r->sb)->memory) {
    cJSON_Delete(ev);
    return st_sandbox_kill(L, ST_ERRK_MEMORY);
  }
  char *full = resolve_path(r, path);
  st_finding *f = st_findings_add(r->out, r->p->id,
                                  st_graph_id(&r->reg->graph, r->subject),
                                  sev, r->p->enforcement, msg, full, ev);
  if (key && *key) f->key = st_xstrdup(key);
  f->layer = (uint8_t)r->p->layer;
  free(full);
  return 0;
}

/* }=== */

/* {=== Findings for policies that failed to run ========================= */

static void error_finding(const st_policy *p, st_findings *out,
                          const char *subject, int kind, const char *msg,
                          cJSON *ev) {
  st_finding *f = st_findings_add(out, p->id, subject, p->severity,
                                  p->enforcement, msg, NULL, ev);
  f->error = (uint8_t)kind;
  f->layer = (uint8_t)p->layer;
}

/* A kill: one finding saying which limit, its value and how far it got. */
static void kill_finding(const st_policy *p, const st_limits *l,
                         st_findings *out, const char *subject, int kind,
                         size_t done, size_t total) {
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

/* }=== */

/* {=== Evaluation ======================================================= */

/* The policy's state in this runner: adopted from the loader, else built.
 * NULL when it cannot be built (reported as a failure to run). */
static st_sandbox *state_for(st_runner *r, size_t i, double now) {
  if (r->sb[i]) return r->sb[i];
  const st_policy *p = &r->set->v[i];
  st_sandbox *sb = atomic_exchange((_Atomic(st_sandbox *) *)&p->spare, NULL);
  if (sb) {
    st_limits l = st_policy_limits(r->set, p);   /* as the definition says */
    st_sandbox_set_limits(sb, &l);
  } else {
    char err[ST_ERRLEN];
    if (st_policy_build_state(r->set, p, now, &sb, err, sizeof err)) {
      st_sandbox_free(sb);
      sb = NULL;
    }
  }
  return r->sb[i] = sb;
}

/* Calls subjects(graph, ctx) and keeps the nodes it names. On error returns
 * -1 with msg and kind set. [-0, +0] */
static int subjects_from_lua(st_sandbox *sb, const st_graph *g, int ctx_idx,
                             uint32_t **nodes, size_t *n, int *kind,
                             char *msg, size_t msglen, const char *file) {
  lua_State *L = st_sandbox_state(sb);
  st_policy_push_table(L);
  lua_pushliteral(L, "subjects");
  lua_rawget(L, -2);
  lua_remove(L, -2);
  lua_getfield(L, ctx_idx, "graph");
  lua_pushvalue(L, ctx_idx);
  if (st_sandbox_call(sb, 2, 1, kind, msg, msglen) != ST_OK) return -1;
  if (lua_type(L, -1) != LUA_TTABLE) {
    lua_pop(L, 1);
    *kind = ST_ERRK_RUNTIME;
    snprintf(msg, msglen, "%s: subjects() must return a list of nodes", file);
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

/* The subjects as node indices: a kind's nodes, or what subjects()
 * returns. Caller frees *nodes. */
static int collect_subjects(const st_policy *p, st_sandbox *sb,
                            const st_graph *g, int ctx_idx, uint32_t **nodes,
                            size_t *n, int *kind, char *msg, size_t msglen) {
  if (p->subjects_kind < 0)
    return subjects_from_lua(sb, g, ctx_idx, nodes, n, kind, msg, msglen,
                             p->file);
  size_t c = g->kind_count[p->subjects_kind];
  *nodes = st_xmalloc((c ? c : 1) * sizeof **nodes);
  if (c) memcpy(*nodes, g->kind_nodes[p->subjects_kind], c * sizeof **nodes);
  *n = c;
  return 0;
}

/* Why the run must stop now (ST_STOP_*), checked before each call. */
static int must_stop(const st_run_input *in) {
  if (in->cancel && atomic_load(in->cancel)) return ST_STOP_CANCEL;
  if (in->deadline > 0 && st_mono_now() >= in->deadline)
    return ST_STOP_DEADLINE;
  return ST_STOP_NONE;
}

/* Bounds the next call by what is left of the run: the policy's own
 * per-call seconds, or less. */
static void bound_call(st_sandbox *sb, const st_limits *own,
                       const st_run_input *in) {
  st_limits l = *own;
  if (in->deadline > 0) {
    double left = in->deadline - st_mono_now();
    if (left < l.seconds) l.seconds = left > 0.001 ? left : 0.001;
  }
  st_sandbox_set_limits(sb, &l);
}

/* Calls check(node, ctx) for each subject. ctx is at ctx_idx. Returns 1 if
 * any call failed. */
static int check_subjects(run_state *r, const st_run_input *in,
                          const uint32_t *nodes, size_t n, int ctx_idx) {
  lua_State *L = st_sandbox_state(r->sb);
  const st_graph *g = &r->reg->graph;
  int failed = 0;
  for (size_t i = 0; i < n; i++) {
    int kind;
    char msg[ST_ERRLEN];
    if ((r->stopped = must_stop(in))) return 0;
    if (in->deadline > 0) bound_call(r->sb, &r->limits, in);
    r->subject = nodes[i];
    r->active = 1;
    st_policy_push_table(L);
    lua_pushliteral(L, "check");
    lua_rawget(L, -2);
    lua_remove(L, -2);
    st_lgraph_push_node(L, nodes[i]);
    lua_pushvalue(L, ctx_idx);
    int rc = st_sandbox_call(r->sb, 2, 0, &kind, msg, sizeof msg);
    r->active = 0;
    if (rc == ST_OK) continue;
    if (kind == ST_ERRK_DEADLINE && (r->stopped = must_stop(in))) return 0;
    failed = 1;
    if (kind != ST_ERRK_RUNTIME) {
      kill_finding(r->p, st_sandbox_limits(r->sb), r->out,
                   st_graph_id(g, nodes[i]), kind, i, n);
      return 1;
    }
    error_finding(r->p, r->out, st_graph_id(g, nodes[i]), kind, msg, NULL);
  }
  return failed;
}

/* Runs subjects and check in a bound state. Returns 1 if it failed. */
static int run_policy(run_state *r, const st_run_input *in, int ctx_idx) {
  uint32_t *nodes = NULL;
  size_t n = 0;
  int kind, failed;
  char msg[ST_ERRLEN];
  if (collect_subjects(r->p, r->sb, &in->reg->graph, ctx_idx, &nodes, &n,
                       &kind, msg, sizeof msg)) {
    if (kind == ST_ERRK_RUNTIME)
      error_finding(r->p, r->out, "", kind, msg, NULL);
    else
      kill_finding(r->p, st_sandbox_limits(r->sb), r->out, "", kind, 0, 0);
    failed = 1;
  } else {
    failed = check_subjects(r, in, nodes, n, ctx_idx);
  }
  free(nodes);
  return failed;
}

int st_runner_eval(st_runner *r, size_t i, const st_run_input *in,
                   st_findings *out) {
  const st_policy *p = &r->set->v[i];
  if (p->load_kill) {
    st_limits l = st_policy_limits(r->set, p);
    kill_finding(p, &l, out, "", p->load_kill, 0, 0);
    return 1;
  }
  st_sandbox *sb = state_for(r, i, in->now);
  if (!sb) {
    error_finding(p, out, "", ST_ERRK_RUNTIME, "the policy could not be "
                  "loaded again after it was stopped", NULL);
    return 1;
  }
  st_sandbox_set_now(sb, in->now);
  lua_State *L = st_sandbox_state(sb);
  if ((r->stopped = must_stop(in))) return 0;
  run_state rs = {p, sb, in->reg, out, ST_NODE_NONE, 0, 0,
                  st_policy_limits(r->set, p), 0};
  st_lgraph_bind(L, in->reg, in->obs);
  lua_pushlightuserdata(L, &rs);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &RUN_KEY);
  int top = lua_gettop(L);
  st_ctx_spec spec = {r->set, p, ctx_fail, in->now};
  st_host_push_ctx(L, &spec);
  int failed = run_policy(&rs, in, top + 1);
  r->stopped = rs.stopped;
  if (in->deadline > 0) st_sandbox_set_limits(sb, &rs.limits);
  lua_settop(L, top);
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &RUN_KEY);
  if (st_sandbox_dead(sb)) {
    /* Nothing of a killed state survives: a new one from the source, now,
     * so the next run starts clean (NULL if even that fails). */
    st_sandbox_free(sb);
    r->sb[i] = NULL;
    state_for(r, i, in->now);
  } else {
    lua_gc(L, LUA_GCCOLLECT, 0);   /* this run's garbage, before the next
                                    * policy allocates */
  }
  return failed;
}

size_t st_runner_eval_all(st_runner *r, const st_run_input *in,
                          st_findings *out) {
  size_t failed = 0;
  r->stopped = ST_STOP_NONE;
  for (size_t i = 0; i < r->n && !r->stopped; i++)
    failed += (size_t)st_runner_eval(r, i, in, out);
  return failed;
}

/* }=== */
