/*
 * serve_impacts.c - the what-if of a change announced from outside (a new
 * MLflow model version, or an alias moved to one): "that model at that
 * version", evaluated on the pool like POST /v1/impact, its end stored
 * with the run history, and alerted through the configured alert targets
 * when the verdict is blocked. See serve_internal.h.
 *
 * The impact was recorded as pending (with the delivery id that announced
 * it) before the webhook was answered, so nothing acknowledged is lost: an
 * impact still pending at the next start (the daemon stopped or died
 * during its what-if) is evaluated again then.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "impact.h"
#include "log.h"
#include "serve_internal.h"

typedef struct {
  st_serve_job job;
  st_session *session;       /* retained */
  int64_t id, high_water;
  double now, t0;
  char *model, *version, *name, *alias, *event, *delivery;
  char *registry_hash, *policy_hash;
  cJSON *change;             /* owned */
  int fail_on;
  /* What the worker found: */
  int failed;
  char err[ST_ERRLEN];
  char *result;              /* the impact report, JSON */
  const char *verdict;
  size_t new_findings, resolved, new_blocking;
  cJSON *alert;              /* the alert's body when blocked, or NULL */
  int alert_severity;
} impact_job;

static char *dup_or_null(const char *s) { return s ? st_xstrdup(s) : NULL; }

/* {=== On the worker ==================================================== */

static size_t summary_count(const cJSON *result, const char *key) {
  const cJSON *s = cJSON_GetObjectItem(result, "summary");
  const cJSON *v = cJSON_GetObjectItem(s, key);
  return cJSON_IsNumber(v) && v->valuedouble > 0 ? (size_t)v->valuedouble : 0;
}

/* Does a finding of the report block at fail_on (finding.h's rule)? */
static int blocks(const cJSON *f, int fail_on, int *severity) {
  const char *sev = cJSON_GetStringValue(cJSON_GetObjectItem(f, "severity"));
  const char *enf = cJSON_GetStringValue(cJSON_GetObjectItem(f,
                                                             "enforcement"));
  *severity = sev ? st_severity_parse(sev) : -1;
  return *severity >= fail_on && enf && strcmp(enf, "advisory") &&
         !cJSON_GetObjectItem(f, "waived_by") && !cJSON_GetObjectItem(f,
                                                                     "error");
}

/* The body every target of a blocked verdict gets (the store adds
 * "alert" and "impact"): what was announced, the verdict, the new
 * blocking findings, and the highest severity among them. */
static void make_alert(impact_job *j, const cJSON *result) {
  const cJSON *added = cJSON_GetObjectItem(cJSON_GetObjectItem(result,
                                                               "findings"),
                                           "new");
  cJSON *list = cJSON_CreateArray();
  int max = -1;
  for (const cJSON *f = added ? added->child : NULL; f; f = f->next) {
    int sev;
    if (!blocks(f, j->fail_on, &sev)) continue;
    if (sev > max) max = sev;
    cJSON *x = cJSON_CreateObject();
    static const char *const keys[] = {"policy", "subject", "severity",
                                       "enforcement", "message", "path"};
    for (int k = 0; k < 6; k++) {
      const cJSON *v = cJSON_GetObjectItem(f, keys[k]);
      cJSON_AddItemToObject(x, keys[k], v ? cJSON_Duplicate(v, 1)
                                          : cJSON_CreateNull());
    }
    cJSON_AddItemToArray(list, x);
  }
  cJSON *o = j->alert = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kind", "impact");
  cJSON_AddStringToObject(o, "source", "mlflow");
  cJSON_AddStringToObject(o, "event", j->event);
  if (j->delivery) cJSON_AddStringToObject(o, "delivery", j->delivery);
  else cJSON_AddNullToObject(o, "delivery");
  cJSON_AddStringToObject(o, "model", j->model);
  cJSON_AddStringToObject(o, "name", j->name);
  cJSON_AddStringToObject(o, "version", j->version);
  if (j->alias) cJSON_AddStringToObject(o, "alias", j->alias);
  else cJSON_AddNullToObject(o, "alias");
  cJSON_AddStringToObject(o, "verdict", j->verdict);
  cJSON_AddStringToObject(o, "severity", st_severity_name(max < 0 ? 0 : max));
  char msg[1024];
  snprintf(msg, sizeof msg, "%s %s version %s: the what-if of %s at %s is "
           "blocked: %zu new blocking finding%s", j->event, j->name,
           j->version, j->model, j->version, j->new_blocking,
           j->new_blocking == 1 ? "" : "s");
  cJSON_AddStringToObject(o, "message", msg);
  cJSON_AddNumberToObject(o, "new", (double)j->new_findings);
  cJSON_AddNumberToObject(o, "resolved", (double)j->resolved);
  cJSON_AddItemToObject(o, "findings", list);
  j->alert_severity = max;
}

static void impact_on_worker(st_pool_worker *w, st_serve_job *base) {
  impact_job *j = (impact_job *)base;
  const st_obsset *obs = st_serve_snapshot(base->d, w, j->high_water, j->err,
                                           sizeof j->err);
  if (!obs) {
    j->failed = 1;
    return;
  }
  char name[600];
  snprintf(name, sizeof name, "MLflow %s of %s version %s", j->event, j->name,
           j->version);
  st_impact im;
  st_impact_opts io = {name, j->fail_on, j->now, obs, 0};
  if (st_impact_run(&im, j->session, j->change, &io, j->err,
                    sizeof j->err)) {
    j->failed = 1;
  } else {
    char *text = cJSON_PrintUnformatted(im.result);
    j->result = st_xstrdup(text);
    cJSON_free(text);
    j->verdict = st_verdict_name(im.verdict);
    j->new_findings = summary_count(im.result, "new");
    j->resolved = summary_count(im.result, "resolved");
    j->new_blocking = summary_count(im.result, "new_blocking");
    if (im.verdict == ST_VERDICT_BLOCKED) make_alert(j, im.result);
  }
  st_impact_free(&im);
}

/* }=== */

/* {=== Back on the loop ================================================= */

static void log_finished(const impact_job *j, size_t alerts, double seconds,
                         const char *store_error) {
  cJSON *log = st_log_begin("impact_finished");
  cJSON_AddNumberToObject(log, "impact", (double)j->id);
  st_log_str(log, "model", j->model);
  st_log_str(log, "version", j->version);
  st_log_str(log, "verdict", j->failed ? "failed" : j->verdict);
  cJSON_AddNumberToObject(log, "new", (double)j->new_findings);
  cJSON_AddNumberToObject(log, "new_blocking", (double)j->new_blocking);
  cJSON_AddNumberToObject(log, "alerts", (double)alerts);
  cJSON_AddNumberToObject(log, "seconds", seconds);
  if (j->failed) st_log_str(log, "error", j->err);
  if (store_error) st_log_str(log, "store_error", store_error);
  st_log_event(log);
}

static void impact_job_free(impact_job *j) {
  st_session_close(j->session);
  cJSON_Delete(j->change);
  cJSON_Delete(j->alert);
  free(j->result);
  free(j->model);
  free(j->version);
  free(j->name);
  free(j->alias);
  free(j->event);
  free(j->delivery);
  free(j->registry_hash);
  free(j->policy_hash);
  free(j);
}

static void impact_finished(st_serve_job *base) {
  impact_job *j = (impact_job *)base;
  st_daemon *d = base->d;
  size_t n = d->cfg.nalerts;
  st_alert_rule *rules = st_xcalloc(n ? n : 1, sizeof *rules);
  for (size_t i = 0; i < n; i++)
    rules[i] = (st_alert_rule){(int)i, d->cfg.alerts[i].min_severity, 0};
  st_impact_result r = {j->failed, j->failed ? j->err : NULL, j->verdict,
                        j->result, (double)time(NULL), j->now, j->high_water,
                        j->registry_hash, j->policy_hash, j->new_findings,
                        j->resolved, j->new_blocking, j->alert,
                        j->alert_severity, rules, n};
  size_t alerts = 0;
  char err[ST_ERRLEN];
  int rc = st_store_impact_finish(d->store, j->id, &r, &alerts, err,
                                  sizeof err);
  log_finished(j, alerts, st_mono_now() - j->t0, rc ? err : NULL);
  st_buf l;
  st_buf_init(&l);
  st_metrics_labels(&l, "source", "mlflow", "verdict",
                    j->failed ? "failed" : j->verdict, NULL);
  st_metrics_add(d->metrics, "steward_impacts_total", l.data, 1);
  st_buf_free(&l);
  if (alerts && d->alerter) st_alerter_kick(d->alerter);
  free(rules);
  impact_job_free(j);
}

/* }=== */

void st_serve_impact_submit(st_daemon *d, const st_impact_request *r) {
  impact_job *j = st_xcalloc(1, sizeof *j);
  j->job = (st_serve_job){d, impact_on_worker, impact_finished, NULL};
  j->session = st_session_retain(d->session);
  j->id = r->id;
  j->high_water = st_store_obs_high_water(d->store);
  j->now = (double)time(NULL);
  j->t0 = st_mono_now();
  j->model = st_xstrdup(r->model);
  j->version = st_xstrdup(r->version);
  j->name = st_xstrdup(r->name ? r->name : r->model);
  j->alias = dup_or_null(r->alias);
  j->event = st_xstrdup(r->event);
  j->delivery = dup_or_null(r->delivery);
  j->registry_hash = st_xstrdup(d->registry_hash);
  j->policy_hash = st_xstrdup(d->policy_hash);
  j->change = cJSON_Duplicate(r->change, 1);
  j->fail_on = d->cfg.mlflow_fail_on;
  j->alert_severity = -1;
  cJSON *log = st_log_begin("impact_started");
  cJSON_AddNumberToObject(log, "impact", (double)j->id);
  st_log_str(log, "model", j->model);
  st_log_str(log, "version", j->version);
  st_log_event(log);
  st_serve_submit(d, &j->job);
}

/* The request a stored impact was made from. */
static int resume_one(st_daemon *d, int64_t id, char *err, size_t errlen) {
  cJSON *o = NULL;
  int rc = st_store_impact_get(d->store, id, &o, err, errlen);
  if (rc) return rc;
#define S(key) cJSON_GetStringValue(cJSON_GetObjectItem(o, key))
  st_impact_request r = {id, S("model"), S("version"), S("name"), S("alias"),
                         S("event"), S("delivery"),
                         cJSON_GetObjectItem(o, "change")};
#undef S
  if (r.model && r.version && r.event && cJSON_IsObject(r.change))
    st_serve_impact_submit(d, &r);
  else
    rc = st_errf(err, errlen, ST_EIO, "impact %lld: its stored request is "
                 "incomplete", (long long)id);
  cJSON_Delete(o);
  return rc;
}

void st_serve_impacts_resume(st_daemon *d) {
  int64_t *ids = NULL;
  size_t n = 0;
  char err[ST_ERRLEN] = "";
  int rc = st_store_impacts_pending(d->store, &ids, &n, err, sizeof err);
  if (!rc && n && !d->session)
    rc = st_errf(err, sizeof err, ST_EIO, "no policy set is loaded: they "
                 "wait for the next start");
  for (size_t i = 0; i < n && !rc; i++) rc = resume_one(d, ids[i], err,
                                                        sizeof err);
  if (n || rc) {
    cJSON *log = st_log_begin(rc ? "impacts_not_resumed" : "impacts_resumed");
    cJSON_AddNumberToObject(log, "count", (double)n);
    if (rc) st_log_str(log, "error", err);
    st_log_event(log);
  }
  free(ids);
}
