/*
 * api_hooks.c - what other systems push: OpenLineage events at POST
 * /api/v1/lineage (Marquez's path and answers: 201, or 400 with the
 * reason), MLflow model-registry webhooks at POST /v1/hooks/mlflow
 * (signed, not token-authenticated), and the impacts those webhooks start,
 * GET /v1/impacts and GET /v1/impacts/{id}. docs/serve.md documents each.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api.h"
#include "log.h"
#include "mlflow.h"

/* {=== OpenLineage ====================================================== */

void st_api_lineage(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  const char *enc = st_http_header_get(req, "content-encoding");
  if (enc && strcasecmp(enc, "identity")) {
    st_api_error(req, 415, "Content-Encoding is not supported: send the "
                 "events uncompressed (the client's compression: none)");
    return;
  }
  char err[ST_ERRLEN];
  size_t accepted, events;
  int rc = st_serve_ingest_lineage(d, req->body, req->body_len, &accepted,
                                   &events, err, sizeof err);
  if (rc) {
    st_api_error(req, rc == ST_EIO ? 503 : 400, err);
    return;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "events", (double)events);
  cJSON_AddNumberToObject(o, "accepted", (double)accepted);
  st_api_json(req, 201, o);
}

/* }=== */

/* {=== MLflow =========================================================== */

static void refused(st_daemon *d, st_http_req *req, int status,
                    const char *reason, const char *msg) {
  st_buf l;
  st_buf_init(&l);
  st_metrics_labels(&l, "source", "mlflow", "reason", reason, NULL);
  st_metrics_add(d->metrics, "steward_webhooks_refused_total", l.data, 1);
  st_buf_free(&l);
  cJSON *log = st_log_begin("webhook_refused");
  st_log_str(log, "source", "mlflow");
  st_log_str(log, "reason", reason);
  st_log_str(log, "delivery", st_http_header_get(req, "x-mlflow-delivery-id"));
  st_log_event(log);
  st_api_error(req, status, msg);
}

/* A delivery steward does not judge: its id is taken all the same (a
 * replay is still refused), and it is answered 200 so MLflow does not
 * retry it. */
static void ignored(st_daemon *d, st_http_req *req, const char *delivery,
                    const char *event, const char *why) {
  int seen = 0;
  char err[ST_ERRLEN];
  int rc = st_store_delivery_add(d->store, "mlflow", delivery,
                                 (double)time(NULL), &seen, err, sizeof err);
  if (rc) {
    st_api_error(req, 503, err);
    return;
  }
  if (seen) {
    refused(d, req, 409, "replay", "this delivery id was seen before: "
            "refused as a replay");
    return;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "status", "ignored");
  cJSON_AddStringToObject(o, "event", event);
  cJSON_AddStringToObject(o, "reason", why);
  st_api_json(req, 200, o);
}

/* {"models": {id: {"version": v}}}: that model at that version. */
static cJSON *change_of(const char *model, const char *version) {
  cJSON *c = cJSON_CreateObject();
  cJSON *m = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "models"),
                                     model);
  cJSON_AddStringToObject(m, "version", version);
  return c;
}

static void judge(st_daemon *d, st_http_req *req, const char *delivery,
                  const st_mlflow_event *ev) {
  const st_registry *reg = st_session_registry(d->session);
  uint32_t n = st_mlflow_model(reg, ev->name);
  if (n == ST_NODE_NONE) {
    char why[600];
    snprintf(why, sizeof why, "no registered model is '%s' (by id or "
             "mlflow_name)", ev->name);
    ignored(d, req, delivery, ev->event, why);
    return;
  }
  const char *model = st_graph_id(&reg->graph, n);
  cJSON *change = change_of(model, ev->version);
  char *text = cJSON_PrintUnformatted(change);
  st_impact_record r = {"mlflow", delivery, ev->event, model, ev->version,
                        ev->alias, ev->name, text, (double)time(NULL)};
  int64_t id = 0;
  int seen = 0;
  char err[ST_ERRLEN];
  int rc = st_store_impact_begin(d->store, &r, &id, &seen, err, sizeof err);
  cJSON_free(text);
  if (rc) {
    st_api_error(req, rc == ST_EIO ? 503 : 400, err);
  } else if (seen) {
    refused(d, req, 409, "replay", "this delivery id was seen before: "
            "refused as a replay");
  } else {
    st_impact_request q = {id, model, ev->version, ev->name, ev->alias,
                           ev->event, delivery, change};
    st_serve_impact_submit(d, &q);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "impact", (double)id);
    cJSON_AddStringToObject(o, "status", "pending");
    cJSON_AddStringToObject(o, "model", model);
    cJSON_AddStringToObject(o, "version", ev->version);
    st_api_json(req, 202, o);
  }
  cJSON_Delete(change);
}

void st_api_mlflow(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  if (!d->cfg.mlflow) {
    st_api_error(req, 404, "MLflow webhooks are not configured (the "
                 "config's \"mlflow\")");
    return;
  }
  const char *delivery = st_http_header_get(req, "x-mlflow-delivery-id");
  char err[ST_ERRLEN];
  int stale = 0;
  if (st_mlflow_verify(d->cfg.mlflow_secret, d->cfg.mlflow_secret_len,
                       delivery, st_http_header_get(req, "x-mlflow-timestamp"),
                       st_http_header_get(req, "x-mlflow-signature"),
                       req->body, req->body_len, (double)time(NULL),
                       d->cfg.mlflow_max_age, &stale, err, sizeof err)) {
    refused(d, req, 401, stale ? "stale" : "signature", err);
    return;
  }
  st_mlflow_event ev;
  if (st_mlflow_parse(req->body, req->body_len, &ev, err, sizeof err)) {
    st_api_error(req, 400, err);
    return;
  }
  if (!ev.judged) {
    ignored(d, req, delivery, ev.event, "steward judges "
            "model_version.created and model_version_alias.created");
  } else if (!d->session || d->stopping) {
    st_api_error(req, 503, d->reload_error ? d->reload_error
                 : "no policy set is loaded");
  } else {
    judge(d, req, delivery, &ev);
  }
  st_mlflow_event_free(&ev);
}

/* }=== */

/* {=== Impacts ========================================================== */

void st_api_impacts(st_daemon *d, st_http_req *req, const char *arg) {
  (void)arg;
  long long limit, before;
  if (st_api_query_int(req, "limit", 1, 10000, 100, &limit) ||
      st_api_query_int(req, "cursor", 0, INT64_MAX, 0, &before))
    return;
  char *model = st_http_query_get(req, "model");
  cJSON *o = cJSON_CreateObject();
  cJSON *list = cJSON_AddArrayToObject(o, "impacts");
  int64_t next = 0;
  char err[ST_ERRLEN];
  int rc = st_store_impacts_list(d->store, model, before, (size_t)limit, list,
                                 &next, err, sizeof err);
  free(model);
  if (rc) {
    cJSON_Delete(o);
    st_api_error(req, rc == ST_EIO ? 503 : 400, err);
    return;
  }
  if (next) {
    char c[32];
    snprintf(c, sizeof c, "%lld", (long long)next);
    cJSON_AddStringToObject(o, "next_cursor", c);
  } else {
    cJSON_AddNullToObject(o, "next_cursor");
  }
  st_api_json(req, 200, o);
}

void st_api_impact_get(st_daemon *d, st_http_req *req, const char *arg) {
  char *end;
  long long id = strtoll(arg, &end, 10);
  if (*end || id <= 0) {
    st_api_error(req, 404, "no such impact");
    return;
  }
  cJSON *o = NULL;
  char err[ST_ERRLEN];
  int rc = st_store_impact_get(d->store, id, &o, err, sizeof err);
  if (rc) st_api_error(req, rc == ST_EIO ? 503 : 404, err);
  else st_api_json(req, 200, o);
}

/* }=== */
