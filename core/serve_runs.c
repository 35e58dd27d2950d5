/*
 * serve_runs.c - the daemon's suites: their schedules, their runs on the
 * pool, and what a finished run writes (store, alerts, metrics, logs).
 *
 * A run sees one consistent snapshot: the session current when it starts
 * (retained, so a reload meanwhile does not change it) and the
 * observations up to the store's high-water mark at that moment (read by
 * the worker from its own connection, so ingest goes on meanwhile). One run
 * at a time per suite: a tick that finds the previous run going is skipped
 * and counted.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lua.h>

#include "log.h"
#include "serve_internal.h"
#include "version.h"

typedef struct {
  st_serve_job job;
  st_suite_state *suite;
  st_session *session;       /* retained */
  int64_t run, high_water;
  double clock;
  double t0;                 /* st_mono_now at submit */
  st_report rep;
  int rc;
  char err[ST_ERRLEN];
} run_job;

static const char *outcome_name(st_run_outcome o) {
  switch (o) {
  case ST_RUN_COMPLETED: return "completed";
  case ST_RUN_FAILED: return "failed";
  case ST_RUN_TIMEOUT: return "timeout";
  default: return "abandoned";
  }
}

/* {=== On the worker ==================================================== */

static void run_on_worker(st_pool_worker *w, st_serve_job *base) {
  run_job *j = (run_job *)base;
  st_daemon *d = base->d;
  const st_obsset *obs = st_serve_snapshot(d, w, j->high_water, j->err,
                                           sizeof j->err);
  st_report_init(&j->rep);
  if (!obs) {
    j->rc = ST_EIO;
    return;
  }
  const st_suite_config *c = j->suite->cfg;
  st_run_opts ro;
  memset(&ro, 0, sizeof ro);
  ro.now = j->clock;
  ro.fail_on = ST_SEV_HIGH;
  ro.select = (const char *const *)c->policies;
  ro.nselect = c->npolicies;
  ro.obs = obs;
  ro.runner = st_pool_runner(w, j->session);
  ro.timeout = c->timeout;
  ro.cancel = &d->cancel;
  j->rc = st_session_check(j->session, &ro, &j->rep, j->err, sizeof j->err);
}

/* }=== */

/* {=== Back on the loop ================================================= */

static st_run_outcome outcome_of(const run_job *j) {
  if (j->rc) return ST_RUN_FAILED;
  if (j->rep.stopped == ST_STOP_CANCEL) return ST_RUN_ABANDONED;
  if (j->rep.stopped == ST_STOP_DEADLINE) return ST_RUN_TIMEOUT;
  return ST_RUN_COMPLETED;
}

static st_alert_rule *alert_rules(const st_daemon *d) {
  size_t n = d->cfg.nalerts;
  st_alert_rule *r = st_xcalloc(n ? n : 1, sizeof *r);
  for (size_t i = 0; i < n; i++)
    r[i] = (st_alert_rule){(int)i, d->cfg.alerts[i].min_severity,
                           d->cfg.alerts[i].on_all};
  return r;
}

static void count_run(st_daemon *d, const run_job *j, st_run_outcome o,
                      double seconds) {
  st_buf l;
  st_buf_init(&l);
  const char *suite = j->suite->cfg->name;
  st_metrics_labels(&l, "suite", suite, "outcome", outcome_name(o), NULL);
  st_metrics_add(d->metrics, "steward_runs_total", l.data, 1);
  st_buf_free(&l);
  st_buf_init(&l);
  st_metrics_labels(&l, "suite", suite, NULL);
  st_metrics_set(d->metrics, "steward_run_last_start_timestamp_seconds",
                 l.data, j->suite->last_started);
  st_metrics_set(d->metrics, "steward_run_last_end_timestamp_seconds",
                 l.data, j->suite->last_finished);
  st_metrics_observe(d->metrics, "steward_evaluation_duration_seconds",
                     l.data, seconds);
  st_buf_free(&l);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The findings gauge: per policy and severity, the findings of the latest
 * completed run that evaluated the policy (what GET /v1/findings lists).
 * One pass over the findings, a binary search each. */
static void count_findings(st_daemon *d, const run_job *j,
                           const char *const *ids, size_t nids) {
  const char **sorted = st_xmalloc((nids ? nids : 1) * sizeof *sorted);
  memcpy(sorted, ids, nids * sizeof *sorted);
  qsort(sorted, nids, sizeof *sorted, cmp_str);
  size_t *n = st_xcalloc((nids ? nids : 1) * ST_SEV_COUNT, sizeof *n);
  for (size_t k = 0; k < j->rep.findings.n; k++) {
    const st_finding *f = &j->rep.findings.v[k];
    const char *key = f->policy;
    const char **hit = bsearch(&key, sorted, nids, sizeof *sorted, cmp_str);
    if (hit && f->severity < ST_SEV_COUNT)
      n[(size_t)(hit - sorted) * ST_SEV_COUNT + f->severity]++;
  }
  for (size_t i = 0; i < nids; i++)
    for (int sev = 0; sev < ST_SEV_COUNT; sev++) {
      st_buf l;
      st_buf_init(&l);
      st_metrics_labels(&l, "policy", sorted[i], "severity",
                        st_severity_name(sev), NULL);
      st_metrics_set(d->metrics, "steward_findings", l.data,
                     (double)n[i * ST_SEV_COUNT + (size_t)sev]);
      st_buf_free(&l);
    }
  free(n);
  free(sorted);
}

static void log_finished(const run_job *j, st_run_outcome o,
                         const st_run_counts *c, double seconds) {
  cJSON *log = st_log_begin("run_finished");
  cJSON_AddNumberToObject(log, "run", (double)j->run);
  st_log_str(log, "suite", j->suite->cfg->name);
  cJSON_AddStringToObject(log, "outcome", outcome_name(o));
  cJSON_AddNumberToObject(log, "findings", (double)c->findings);
  cJSON_AddNumberToObject(log, "new", (double)c->new_findings);
  cJSON_AddNumberToObject(log, "resolved", (double)c->resolved);
  cJSON_AddNumberToObject(log, "alerts", (double)c->alerts);
  cJSON_AddNumberToObject(log, "failed_policies", (double)j->rep.failed);
  cJSON_AddNumberToObject(log, "seconds", seconds);
  if (j->rc) st_log_str(log, "error", j->err);
  st_log_event(log);
}

static void run_finished(st_serve_job *base) {
  run_job *j = (run_job *)base;
  st_daemon *d = base->d;
  st_suite_state *s = j->suite;
  st_run_outcome o = outcome_of(j);
  double seconds = st_mono_now() - j->t0;
  const char **ids = NULL;
  size_t nids = st_session_selected(j->session,
                                    (const char *const *)s->cfg->policies,
                                    s->cfg->npolicies, &ids);
  st_alert_rule *rules = alert_rules(d);
  st_run_result r = {o, (double)time(NULL),
                     o == ST_RUN_COMPLETED ? &j->rep.findings : NULL,
                     ids, nids, j->rc ? j->err : o == ST_RUN_TIMEOUT ?
                     "the suite's timeout passed" : NULL,
                     rules, d->cfg.nalerts};
  st_run_counts counts = {0, 0, 0, 0};
  char err[ST_ERRLEN];
  if (st_store_run_finish(d->store, j->run, &r, &counts, err, sizeof err)) {
    cJSON *log = st_log_begin("store_failed");
    st_log_str(log, "error", err);
    st_log_event(log);
  }
  s->running = 0;
  s->last_run = j->run;
  s->last_finished = r.finished;
  s->last_outcome = outcome_name(o);
  count_run(d, j, o, seconds);
  if (o == ST_RUN_COMPLETED) count_findings(d, j, ids, nids);
  log_finished(j, o, &counts, seconds);
  st_serve_cache_drop(d);
  if (counts.alerts && d->alerter) st_alerter_kick(d->alerter);
  free(rules);
  free(ids);
  st_report_free(&j->rep);
  st_session_close(j->session);
  free(j);
}

/* }=== */

int st_serve_run_now(st_daemon *d, st_suite_state *s, int64_t *run,
                     char *err, size_t errlen) {
  if (s->running)
    return st_errf(err, errlen, ST_EINPUT, "suite '%s' is already running",
                   s->cfg->name);
  if (!d->session || d->stopping)
    return st_errf(err, errlen, ST_EINPUT, "no policy set is loaded");
  run_job *j = st_xcalloc(1, sizeof *j);
  j->job = (st_serve_job){d, run_on_worker, run_finished, NULL};
  j->suite = s;
  j->session = st_session_retain(d->session);
  j->clock = (double)time(NULL);
  j->high_water = st_store_obs_high_water(d->store);
  st_run_record rec = {s->cfg->name, j->clock, j->clock, j->high_water,
                       d->registry_hash, d->policy_hash, ST_VERSION,
                       ST_VM};
  int rc = st_store_run_begin(d->store, &rec, &j->run, err, errlen);
  if (rc) {
    st_session_close(j->session);
    free(j);
    return rc;
  }
  s->running = 1;
  s->last_started = j->clock;
  j->t0 = st_mono_now();
  *run = j->run;
  cJSON *log = st_log_begin("run_started");
  cJSON_AddNumberToObject(log, "run", (double)j->run);
  st_log_str(log, "suite", s->cfg->name);
  cJSON_AddNumberToObject(log, "observations_high_water",
                          (double)j->high_water);
  st_log_event(log);
  st_serve_submit(d, &j->job);
  return ST_OK;
}

/* {=== Schedules ======================================================== */

static void arm(st_suite_state *s, double now);

static void on_tick(uv_timer_t *t) {
  st_suite_state *s = t->data;
  st_daemon *d = s->d;
  double now = (double)time(NULL);
  if (d->stopping) return;
  if (s->running) {
    st_buf l;
    st_buf_init(&l);
    st_metrics_labels(&l, "suite", s->cfg->name, NULL);
    st_metrics_add(d->metrics, "steward_skipped_ticks_total", l.data, 1);
    st_buf_free(&l);
    cJSON *log = st_log_begin("tick_skipped");
    st_log_str(log, "suite", s->cfg->name);
    st_log_event(log);
  } else {
    int64_t run;
    char err[ST_ERRLEN];
    if (st_serve_run_now(d, s, &run, err, sizeof err)) {
      cJSON *log = st_log_begin("run_not_started");
      st_log_str(log, "suite", s->cfg->name);
      st_log_str(log, "error", err);
      st_log_event(log);
    }
  }
  arm(s, now);
}

static void arm(st_suite_state *s, double now) {
  double next = st_schedule_next(&s->cfg->schedule, now);
  s->next_at = next;
  if (next < 0) return;             /* a cron that never matches */
  double delay = next - now;
  uv_timer_start(&s->timer, on_tick, delay > 0 ? (uint64_t)(delay * 1000) : 0,
                 0);
}

void st_serve_suites_start(st_daemon *d) {
  d->suites = st_xcalloc(d->cfg.nsuites ? d->cfg.nsuites : 1,
                         sizeof *d->suites);
  double now = (double)time(NULL);
  for (size_t i = 0; i < d->cfg.nsuites; i++) {
    st_suite_state *s = &d->suites[i];
    s->d = d;
    s->cfg = &d->cfg.suites[i];
    uv_timer_init(d->loop, &s->timer);
    s->timer.data = s;
    if (s->cfg->schedule.is_cron) {
      arm(s, now);
    } else {                        /* an interval suite runs at start */
      s->next_at = now;
      uv_timer_start(&s->timer, on_tick, 0, 0);
    }
  }
}

static void on_timer_closed(uv_handle_t *h) {
  st_suite_state *s = h->data;
  s->d->closing--;
}

void st_serve_suites_stop(st_daemon *d) {
  for (size_t i = 0; d->suites && i < d->cfg.nsuites; i++) {
    uv_timer_t *t = &d->suites[i].timer;
    if (uv_is_closing((uv_handle_t *)t)) continue;
    d->closing++;
    uv_close((uv_handle_t *)t, on_timer_closed);
  }
}

st_suite_state *st_serve_suite(st_daemon *d, const char *name) {
  for (size_t i = 0; d->suites && i < d->cfg.nsuites; i++)
    if (!strcmp(d->suites[i].cfg->name, name)) return &d->suites[i];
  return NULL;
}

/* }=== */

void st_serve_metrics_init(st_daemon *d) {
  static const double eval_buckets[] = {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30,
                                        60, 300};
  static const double http_buckets[] = {0.0005, 0.001, 0.005, 0.01, 0.05,
                                        0.1, 0.5, 1, 5};
  st_metrics *m = d->metrics;
  st_metrics_family(m, "steward_build_info", ST_METRIC_GAUGE,
                    "The steward version and Lua VM, always 1.", NULL, 0);
  st_buf l;
  st_buf_init(&l);
  st_metrics_labels(&l, "version", ST_VERSION, "vm", ST_VM, NULL);
  st_metrics_set(m, "steward_build_info", l.data, 1);
  st_buf_free(&l);
  st_metrics_family(m, "steward_runs_total", ST_METRIC_COUNTER,
                    "Suite runs by suite and outcome.", NULL, 0);
  st_metrics_family(m, "steward_run_last_start_timestamp_seconds",
                    ST_METRIC_GAUGE, "When each suite's last run started.",
                    NULL, 0);
  st_metrics_family(m, "steward_run_last_end_timestamp_seconds",
                    ST_METRIC_GAUGE, "When each suite's last run ended.",
                    NULL, 0);
  st_metrics_family(m, "steward_findings", ST_METRIC_GAUGE,
                    "Current findings by policy and severity.", NULL, 0);
  st_metrics_family(m, "steward_evaluation_duration_seconds",
                    ST_METRIC_HISTOGRAM, "How long suite runs take.",
                    eval_buckets, sizeof eval_buckets / sizeof *eval_buckets);
  st_metrics_family(m, "steward_http_request_duration_seconds",
                    ST_METRIC_HISTOGRAM,
                    "HTTP requests by route and status code.", http_buckets,
                    sizeof http_buckets / sizeof *http_buckets);
  st_metrics_family(m, "steward_observations_ingested_total",
                    ST_METRIC_COUNTER, "Observations stored.", NULL, 0);
  st_metrics_add(m, "steward_observations_ingested_total", NULL, 0);
  st_metrics_family(m, "steward_alerts", ST_METRIC_GAUGE,
                    "Alerts in the store by status (delivered, failed, "
                    "pending).", NULL, 0);
  st_metrics_family(m, "steward_reload_errors_total", ST_METRIC_COUNTER,
                    "Reloads that failed (the previous set kept running).",
                    NULL, 0);
  st_metrics_add(m, "steward_reload_errors_total", NULL, 0);
  st_metrics_family(m, "steward_skipped_ticks_total", ST_METRIC_COUNTER,
                    "Scheduled ticks skipped: the suite's previous run was "
                    "still going.", NULL, 0);
  st_metrics_family(m, "steward_lineage_events_total", ST_METRIC_COUNTER,
                    "OpenLineage events taken in (POST /api/v1/lineage).",
                    NULL, 0);
  st_metrics_add(m, "steward_lineage_events_total", NULL, 0);
  st_metrics_family(m, "steward_impacts_total", ST_METRIC_COUNTER,
                    "What-ifs of announced changes (MLflow webhooks) by "
                    "source and verdict.", NULL, 0);
  st_metrics_family(m, "steward_webhooks_refused_total", ST_METRIC_COUNTER,
                    "Webhook deliveries refused, by source and reason "
                    "(signature, stale, replay).", NULL, 0);
}
