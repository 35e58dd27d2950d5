/*
 * api_eval.c - the endpoints that evaluate: POST /v1/check, POST
 * /v1/impact and GET /v1/readiness/{id}. Each becomes a pool job over the
 * current session (retained) and the observations at the store's
 * high-water mark, so the loop keeps answering meanwhile; nothing is
 * stored. Their JSON is exactly what `steward check --format json`,
 * `steward impact --format json` and `steward readiness --format json`
 * write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "impact.h"
#include "readiness.h"
#include "report.h"

typedef enum { EVAL_CHECK, EVAL_IMPACT, EVAL_READINESS } eval_kind;

typedef struct {
  st_serve_job job;
  eval_kind kind;
  st_http_req *req;
  st_session *session;       /* retained */
  int64_t high_water;
  double now;
  cJSON *change;             /* check and impact; owned */
  uint32_t node;             /* readiness */
  int status;
  char *body;                /* the answer, owned */
  size_t len;
} eval_job;

/* {=== On the worker ==================================================== */

static void take_text(eval_job *j, int status, char *text) {
  j->status = status;
  j->body = text;
  j->len = strlen(text);
}

static void error_text(eval_job *j, int status, const char *msg) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "error", msg);
  char *text = cJSON_Print(o);
  cJSON_Delete(o);
  take_text(j, status, st_xstrdup(text));
  cJSON_free(text);
}

static void json_text(eval_job *j, int status, const cJSON *o) {
  char *text = cJSON_Print(o);
  take_text(j, status, st_xstrdup(text));
  cJSON_free(text);
}

static void do_check(eval_job *j, st_runner *r, const st_obsset *obs) {
  st_run_opts ro;
  memset(&ro, 0, sizeof ro);
  ro.now = j->now;
  ro.fail_on = ST_SEV_HIGH;
  ro.obs = obs;
  ro.change = j->change;
  ro.change_name = "request body";
  ro.runner = r;
  st_report rep;
  char err[ST_ERRLEN];
  if (st_session_check(j->session, &ro, &rep, err, sizeof err)) {
    error_text(j, 400, err);
  } else {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    st_report_json(f, &rep.findings, &rep.summary);
    fclose(f);
    take_text(j, 200, buf);
  }
  st_report_free(&rep);
}

static void do_impact(eval_job *j, const st_obsset *obs) {
  st_impact im;
  st_impact_opts io = {"request body", ST_SEV_HIGH, j->now, obs, 0};
  char err[ST_ERRLEN];
  if (st_impact_run(&im, j->session, j->change, &io, err, sizeof err))
    error_text(j, 400, err);
  else
    json_text(j, 200, im.result);
  st_impact_free(&im);
}

static void do_readiness(eval_job *j, const st_obsset *obs) {
  st_readiness_opts ro = {j->now, obs};
  char err[ST_ERRLEN];
  cJSON *r = st_readiness_run(j->session, &ro, j->node, err, sizeof err);
  if (!r) {
    error_text(j, 500, err);
    return;
  }
  json_text(j, 200, r);
  cJSON_Delete(r);
}

static void eval_on_worker(st_pool_worker *w, st_serve_job *base) {
  eval_job *j = (eval_job *)base;
  char err[ST_ERRLEN];
  const st_obsset *obs = st_serve_snapshot(base->d, w, j->high_water, err,
                                           sizeof err);
  if (!obs) {
    error_text(j, 503, err);
    return;
  }
  if (j->kind == EVAL_CHECK) do_check(j, st_pool_runner(w, j->session), obs);
  else if (j->kind == EVAL_IMPACT) do_impact(j, obs);
  else do_readiness(j, obs);
}

/* }=== */

static void eval_finished(st_serve_job *base) {
  eval_job *j = (eval_job *)base;
  st_httpd_respond(j->req, j->status, "application/json", j->body, j->len,
                   NULL);
  free(j->body);
  cJSON_Delete(j->change);
  st_session_close(j->session);
  free(j);
}

/* Starts the job, or answers 503 when there is no policy set. */
static void submit(st_daemon *d, st_http_req *req, eval_kind kind,
                   cJSON *change, uint32_t node) {
  if (!d->session || d->stopping) {
    cJSON_Delete(change);
    st_api_error(req, 503, d->reload_error ? d->reload_error
                 : "no policy set is loaded");
    return;
  }
  eval_job *j = st_xcalloc(1, sizeof *j);
  j->job = (st_serve_job){d, eval_on_worker, eval_finished, NULL};
  j->kind = kind;
  j->req = req;
  j->session = st_session_retain(d->session);
  j->high_water = st_store_obs_high_water(d->store);
  j->now = (double)time(NULL);
  j->change = change;
  j->node = node;
  st_serve_submit(d, &j->job);
}

/* The body as a change set: an object (merge patch; {} is no change) or
 * an array (JSON Patch). NULL after answering 400. */
static int read_change(st_http_req *req, cJSON **out) {
  char err[ST_ERRLEN];
  *out = NULL;
  size_t lead = 0;
  while (lead < req->body_len && strchr(" \t\r\n", req->body[lead])) lead++;
  if (lead == req->body_len) return 0;          /* an empty body: none */
  cJSON *j = st_json_parse_named("body", req->body, req->body_len, err,
                                 sizeof err);
  if (!j || (!cJSON_IsObject(j) && !cJSON_IsArray(j))) {
    cJSON_Delete(j);
    st_api_error(req, 400, j ? "body: a change set is a JSON object (merge "
                 "patch) or array (JSON Patch)" : err);
    return -1;
  }
  if (cJSON_IsObject(j) && !j->child) {          /* {}: no change */
    cJSON_Delete(j);
    j = NULL;
  }
  *out = j;
  return 0;
}

void st_api_check(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  cJSON *change;
  if (read_change(req, &change)) return;
  submit(d, req, EVAL_CHECK, change, 0);
}

void st_api_impact(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  cJSON *change;
  if (read_change(req, &change)) return;
  if (!change) change = cJSON_CreateObject();   /* impact of nothing */
  submit(d, req, EVAL_IMPACT, change, 0);
}

void st_api_readiness(st_daemon *d, st_http_req *req, const char *arg) {
  if (!d->session) {
    st_api_error(req, 503, "no policy set is loaded");
    return;
  }
  const st_registry *r = st_session_registry(d->session);
  uint32_t n = st_graph_find(&r->graph, arg, strlen(arg));
  if (n == ST_NODE_NONE || r->graph.nodes[n].kind != ST_KIND_WORKFLOW) {
    st_api_error(req, 404, "no such workflow");
    return;
  }
  submit(d, req, EVAL_READINESS, NULL, n);
}
