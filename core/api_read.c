/*
 * api_read.c - the endpoints answered on the loop: health, readiness,
 * observations in and out, runs, findings, policies, nodes, the graph,
 * metrics, and "run now". Listing answers are cached (serve_internal.h)
 * until what they show can change.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lua.h>

#include "api.h"
#include "dot.h"
#include "timeutil.h"
#include "version.h"

#define MAX_CACHED 64

/* {=== The cache of listing answers ===================================== */

static int cached(st_daemon *d, st_http_req *req) {
  for (size_t i = 0; i < d->ncache; i++) {
    const st_cached *c = &d->cache[i];
    if (strcmp(c->target, req->target)) continue;
    st_httpd_respond(req, c->status, "application/json", c->body, c->len,
                     NULL);
    return 1;
  }
  return 0;
}

/* Answers j and keeps its text for the same target. */
static void answer_cached(st_daemon *d, st_http_req *req, cJSON *j) {
  char *text = cJSON_Print(j);
  cJSON_Delete(j);
  size_t n = strlen(text);
  if (d->ncache >= MAX_CACHED) st_serve_cache_drop(d);
  st_grow((void **)&d->cache, &d->cache_cap, d->ncache + 1, sizeof *d->cache);
  d->cache[d->ncache++] = (st_cached){st_xstrdup(req->target),
                                      st_xstrdup(text), n, 200};
  st_httpd_respond(req, 200, "application/json", text, n, NULL);
  cJSON_free(text);
}

/* }=== */

static void add_time(cJSON *o, const char *key, double t) {
  char ts[40];
  if (t <= 0) {
    cJSON_AddNullToObject(o, key);
    return;
  }
  st_time_format(t, ts, sizeof ts);
  cJSON_AddStringToObject(o, key, ts);
}

/* {=== Health and readiness ============================================= */

static cJSON *suite_json(const st_suite_state *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "name", s->cfg->name);
  cJSON_AddStringToObject(o, "schedule", s->cfg->schedule_text);
  cJSON_AddBoolToObject(o, "running", s->running);
  if (s->last_run) {
    cJSON *r = cJSON_AddObjectToObject(o, "last_run");
    cJSON_AddNumberToObject(r, "id", (double)s->last_run);
    add_time(r, "started", s->last_started);
    add_time(r, "finished", s->last_finished);
    cJSON_AddStringToObject(r, "outcome", s->last_outcome);
  } else {
    cJSON_AddNullToObject(o, "last_run");
  }
  add_time(o, "next_run", s->next_at);
  return o;
}

static cJSON *health_json(st_daemon *d) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "status", "ok");
  cJSON_AddStringToObject(o, "version", ST_VERSION);
  cJSON_AddStringToObject(o, "vm", ST_VM);
  cJSON_AddNumberToObject(o, "uptime_seconds", (double)time(NULL) -
                          d->started);
  if (d->session) {
    cJSON *r = cJSON_AddObjectToObject(o, "registry");
    cJSON_AddNumberToObject(r, "nodes", (double)d->registry_nodes);
    cJSON_AddStringToObject(r, "hash", d->registry_hash);
    cJSON *p = cJSON_AddObjectToObject(o, "policies");
    cJSON_AddNumberToObject(p, "count",
                            (double)st_session_policies(d->session)->n);
    cJSON_AddStringToObject(p, "hash", d->policy_hash);
  } else {
    cJSON_AddNullToObject(o, "registry");
    cJSON_AddNullToObject(o, "policies");
  }
  cJSON *suites = cJSON_AddArrayToObject(o, "suites");
  for (size_t i = 0; d->suites && i < d->cfg.nsuites; i++)
    cJSON_AddItemToArray(suites, suite_json(&d->suites[i]));
  if (d->reload_error) cJSON_AddStringToObject(o, "last_reload_error",
                                               d->reload_error);
  else cJSON_AddNullToObject(o, "last_reload_error");
  return o;
}

void st_api_health(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  st_api_json(req, 200, health_json(d));
}

void st_api_ready(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  cJSON *o = health_json(d);
  cJSON_AddBoolToObject(o, "ready", d->session != NULL);
  st_api_json(req, d->session ? 200 : 503, o);
}

/* }=== */

/* {=== Observations ===================================================== */

void st_api_obs_post(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  char err[ST_ERRLEN];
  size_t accepted;
  int dup;
  const char *key = st_http_header_get(req, "idempotency-key");
  int rc = st_serve_ingest_text(d, "body", req->body, req->body_len, key,
                                &accepted, &dup, err, sizeof err);
  if (rc) {
    st_api_error(req, rc == ST_EIO ? 503 : 400, err);
    return;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "accepted", (double)accepted);
  cJSON_AddBoolToObject(o, "duplicate", dup);
  st_api_json(req, 202, o);
}

/* "next_cursor": the cursor as a string, or null on the last page. */
static void add_cursor(cJSON *o, long long next) {
  if (!next) {
    cJSON_AddNullToObject(o, "next_cursor");
    return;
  }
  char c[32];
  snprintf(c, sizeof c, "%lld", next);
  cJSON_AddStringToObject(o, "next_cursor", c);
}

void st_api_obs_get(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  st_obs_query q;
  memset(&q, 0, sizeof q);
  long long limit, after;
  if (st_api_query_int(req, "limit", 1, 10000, 1000, &limit) ||
      st_api_query_int(req, "cursor", 0, INT64_MAX, 0, &after) ||
      st_api_query_time(req, "since", &q.since) ||
      st_api_query_time(req, "until", &q.until))
    return;
  char *subject = st_http_query_get(req, "subject");
  char *metric = st_http_query_get(req, "metric");
  char *kind = st_http_query_get(req, "kind");
  q.subject = subject;
  q.metric = metric;
  q.kind = kind;
  q.after = after;
  q.limit = (size_t)limit;
  cJSON *o = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(o, "observations");
  int64_t next = 0;
  char err[ST_ERRLEN];
  int rc = st_store_obs_query(d->store, &q, list, &next, err, sizeof err);
  free(subject);
  free(metric);
  free(kind);
  if (rc) {
    cJSON_Delete(o);
    st_api_error(req, rc == ST_EIO ? 503 : 400, err);
    return;
  }
  add_cursor(o, next);
  st_api_json(req, 200, o);
}

/* }=== */

/* {=== Runs and findings ================================================ */

void st_api_runs(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  long long limit, before;
  if (cached(d, req)) return;
  if (st_api_query_int(req, "limit", 1, 10000, 100, &limit) ||
      st_api_query_int(req, "cursor", 0, INT64_MAX, 0, &before))
    return;
  char *suite = st_http_query_get(req, "suite");
  cJSON *o = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(o, "runs");
  int64_t next = 0;
  char err[ST_ERRLEN];
  int rc = st_store_runs_list(d->store, suite, before, (size_t)limit, list,
                              &next, err, sizeof err);
  free(suite);
  if (rc) {
    cJSON_Delete(o);
    st_api_error(req, rc == ST_EIO ? 503 : 400, err);
    return;
  }
  add_cursor(o, next);
  answer_cached(d, req, o);
}

void st_api_run(st_daemon *d, st_http_req *req, const char *arg) {
  char *end;
  long long id = strtoll(arg, &end, 10);
  if (*end || id <= 0) {
    st_api_error(req, 404, "no such run");
    return;
  }
  cJSON *run = NULL;
  char err[ST_ERRLEN];
  int rc = st_store_run_get(d->store, id, &run, err, sizeof err);
  if (rc) st_api_error(req, rc == ST_EIO ? 503 : 404, err);
  else st_api_json(req, 200, run);
}

void st_api_findings(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  if (cached(d, req)) return;
  long long limit, after;
  if (st_api_query_int(req, "limit", 1, 10000, 1000, &limit) ||
      st_api_query_int(req, "cursor", 0, INT64_MAX, 0, &after))
    return;
  char *sev = st_http_query_get(req, "severity");
  int min = sev ? st_severity_parse(sev) : -1;
  free(sev);
  if (sev && min < 0) {
    st_api_error(req, 400, "severity must be info, low, medium, high or "
                 "critical");
    return;
  }
  char *policy = st_http_query_get(req, "policy");
  char *subject = st_http_query_get(req, "subject");
  char *suite = st_http_query_get(req, "suite");
  st_findings_query q = {policy, subject, suite, min, after, (size_t)limit};
  cJSON *o = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(o, "findings");
  int64_t next = 0;
  char err[ST_ERRLEN];
  int rc = st_store_findings_current(d->store, &q, list, &next, err,
                                     sizeof err);
  free(policy);
  free(subject);
  free(suite);
  if (rc) {
    cJSON_Delete(o);
    st_api_error(req, rc == ST_EIO ? 503 : 400, err);
    return;
  }
  add_cursor(o, next);
  answer_cached(d, req, o);
}

void st_api_suite_run(st_daemon *d, st_http_req *req, const char *arg) {
  st_suite_state *s = st_serve_suite(d, arg);
  if (!s) {
    st_api_error(req, 404, "no such suite");
    return;
  }
  int64_t run;
  char err[ST_ERRLEN];
  int rc = st_serve_run_now(d, s, &run, err, sizeof err);
  if (rc) {
    st_api_error(req, rc == ST_EINPUT ? 409 : 503, err);
    return;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "run", (double)run);
  cJSON_AddStringToObject(o, "suite", s->cfg->name);
  st_api_json(req, 202, o);
}

/* }=== */

/* {=== The policy set and the graph ===================================== */

/* 503 when no policy set is loaded yet; else the session. */
static const st_session *need_session(st_daemon *d, st_http_req *req) {
  if (!d->session) st_api_error(req, 503, d->reload_error ? d->reload_error
                                : "no policy set is loaded");
  return d->session;
}

void st_api_policies(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  const st_session *s = need_session(d, req);
  if (!s) return;
  const st_policyset *set = st_session_policies(s);
  cJSON *o = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(o, "policies");
  for (size_t i = 0; i < set->n; i++) {
    const st_policy *p = &set->v[i];
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "id", p->id);
    cJSON_AddStringToObject(x, "title", p->title);
    cJSON_AddStringToObject(x, "severity", st_severity_name(p->severity));
    cJSON_AddStringToObject(x, "enforcement",
                            st_enforcement_name(p->enforcement));
    cJSON_AddStringToObject(x, "file", p->file);
    cJSON_AddItemToObject(x, "params", p->params ?
                          cJSON_Duplicate(p->params, 1) :
                          cJSON_CreateObject());
    cJSON_AddItemToArray(list, x);
  }
  st_api_json(req, 200, o);
}

/* The edges of n in one direction as [{rel, id}]. */
static cJSON *edges_json(const st_graph *g, uint32_t n, int out) {
  cJSON *a = cJSON_CreateArray();
  uint32_t b = out ? st_graph_out_begin(g, n) : st_graph_in_begin(g, n);
  uint32_t e = out ? st_graph_out_end(g, n) : st_graph_in_end(g, n);
  for (uint32_t k = b; k < e; k++) {
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "rel", st_rel_name((st_rel)(out ?
                            g->out_rel[k] : g->in_rel[k])));
    cJSON_AddStringToObject(x, "id", st_graph_id(g, out ? g->out_dst[k]
                                                        : g->in_src[k]));
    cJSON_AddItemToArray(a, x);
  }
  return a;
}

void st_api_node(st_daemon *d, st_http_req *req, const char *arg) {
  const st_session *s = need_session(d, req);
  if (!s) return;
  const st_registry *r = st_session_registry(s);
  uint32_t n = st_graph_find(&r->graph, arg, strlen(arg));
  if (n == ST_NODE_NONE) {
    st_api_error(req, 404, "no such node");
    return;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON *node = st_doc_export(&r->doc, r->graph.nodes[n].value);
  cJSON_AddStringToObject(o, "id", arg);
  cJSON_AddStringToObject(o, "kind",
                          st_kind_name((st_kind)r->graph.nodes[n].kind));
  cJSON_AddItemToObject(o, "fields", node);
  cJSON_AddItemToObject(o, "out", edges_json(&r->graph, n, 1));
  cJSON_AddItemToObject(o, "in", edges_json(&r->graph, n, 0));
  cJSON *list = cJSON_AddArrayToObject(o, "findings");
  st_findings_query q = {NULL, arg, NULL, -1, 0, 10000};
  int64_t next;
  char err[ST_ERRLEN];
  if (st_store_findings_current(d->store, &q, list, &next, err,
                                sizeof err)) {
    cJSON_Delete(o);
    st_api_error(req, 503, err);
    return;
  }
  st_api_json(req, 200, o);
}

void st_api_graph(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  const st_session *s = need_session(d, req);
  if (!s) return;
  long long depth;
  if (st_api_query_int(req, "depth", 0, 1000, 2, &depth)) return;
  const st_registry *r = st_session_registry(s);
  char *focus = st_http_query_get(req, "focus");
  unsigned char *keep = NULL;
  if (focus) {
    uint32_t n = st_graph_find(&r->graph, focus, strlen(focus));
    free(focus);
    if (n == ST_NODE_NONE) {
      st_api_error(req, 404, "no such node to focus on");
      return;
    }
    keep = st_xcalloc(r->graph.nnodes ? r->graph.nnodes : 1, 1);
    st_dot_focus(r, n, (int)depth, keep);
  }
  cJSON *j = st_dot_json(r, keep);
  free(keep);
  st_api_json(req, 200, j);
}

/* }=== */

void st_api_metrics(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  size_t counts[3] = {0, 0, 0};
  char err[ST_ERRLEN];
  if (st_store_alert_counts(d->store, counts, err, sizeof err) == ST_OK) {
    static const char *const names[3] = {"pending", "delivered", "failed"};
    for (int i = 0; i < 3; i++) {
      st_buf l;
      st_buf_init(&l);
      st_metrics_labels(&l, "status", names[i], NULL);
      st_metrics_set(d->metrics, "steward_alerts", l.data,
                     (double)counts[i]);
      st_buf_free(&l);
    }
  }
  st_buf b;
  st_buf_init(&b);
  st_metrics_render(d->metrics, &b);
  st_httpd_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8",
                   b.data, b.len, NULL);
  st_buf_free(&b);
}
