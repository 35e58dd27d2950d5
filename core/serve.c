/*
 * serve.c - `steward serve`: the daemon's life. Start (config, store,
 * policy set, HTTP, alerts, suites), reload on SIGHUP and on file changes,
 * hand work to the pool and take results back, shut down on SIGTERM or
 * SIGINT. See serve.h; the parts share serve_internal.h.
 */
#include "serve.h"

#include <dirent.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "serve_internal.h"

/* {=== Jobs: to the pool and back ======================================= */

static void run_job(st_pool_worker *w, void *arg) {
  st_serve_job *j = arg;
  j->run(w, j);
  st_daemon *d = j->d;
  pthread_mutex_lock(&d->done_lock);
  j->next = d->done;
  d->done = j;
  pthread_mutex_unlock(&d->done_lock);
  uv_async_send(&d->done_async);
}

void st_serve_submit(st_daemon *d, st_serve_job *j) {
  d->jobs_in_flight++;
  st_pool_submit(d->pool, run_job, j);
}

static void check_stopped(st_daemon *d);

/* The loop takes finished jobs, oldest first. */
static void on_done(uv_async_t *h) {
  st_daemon *d = h->data;
  pthread_mutex_lock(&d->done_lock);
  st_serve_job *list = d->done;
  d->done = NULL;
  pthread_mutex_unlock(&d->done_lock);
  st_serve_job *rev = NULL;
  while (list) {
    st_serve_job *next = list->next;
    list->next = rev;
    rev = list;
    list = next;
  }
  while (rev) {
    st_serve_job *next = rev->next;
    d->jobs_in_flight--;
    rev->finish(rev);                 /* frees the job */
    rev = next;
  }
  if (d->stopping) check_stopped(d);
}

const st_obsset *st_serve_snapshot(st_daemon *d, st_pool_worker *w,
                                   int64_t high_water, char *err,
                                   size_t errlen) {
  st_reader *r = &d->readers[st_pool_worker_index(w)];
  if (!r->store &&
      st_store_open(d->cfg.store, 1, &r->store, err, errlen) != ST_OK)
    return NULL;
  if (r->high_water == high_water) return &r->obs;
  st_obs_free(&r->obs);
  st_obs_init(&r->obs);
  r->high_water = -1;
  if (st_store_obs_load(r->store, high_water, &r->obs, err, errlen) != ST_OK)
    return NULL;
  st_obs_index(&r->obs);
  r->high_water = high_water;
  return &r->obs;
}

/* }=== */

/* {=== Responses cache ================================================== */

void st_serve_cache_drop(st_daemon *d) {
  for (size_t i = 0; i < d->ncache; i++) {
    free(d->cache[i].target);
    free(d->cache[i].body);
  }
  d->ncache = 0;
}

/* }=== */

/* {=== Loading the policy set =========================================== */

static void set_reload_error(st_daemon *d, const char *msg) {
  free(d->reload_error);
  d->reload_error = msg ? st_xstrdup(msg) : NULL;
}

/* Stores the session's blobs; fills the hashes. */
static int store_blobs(st_daemon *d, st_session *s, char reg[65],
                       char pol[65], char *err, size_t errlen) {
  size_t rl, pl;
  char *rb = st_session_registry_blob(s, &rl);
  char *pb = st_session_policy_blob(s, &pl);
  int rc = st_store_blob_put(d->store, "registry", rb, rl, reg, err, errlen);
  if (!rc) rc = st_store_blob_put(d->store, "policies", pb, pl, pol, err,
                                  errlen);
  free(rb);
  free(pb);
  return rc;
}

static int open_session(st_daemon *d, st_session **out, char *err,
                        size_t errlen) {
  const st_config *c = &d->cfg;
  st_session_opts so = {
    .registry = {c->registry, NULL, 0, NULL},
    .home = d->home, .builtin = c->builtin,
    .policies = (const char *const *)c->policies, .npolicies = c->npolicies,
    .params = {c->params, NULL, 0, NULL},
    .limits = c->policy_defaults, .now = (double)time(NULL),
  };
  return st_session_open(&so, out, err, errlen);
}

int st_serve_reload(st_daemon *d) {
  char err[ST_ERRLEN], reg[65], pol[65];
  st_session *s = NULL;
  st_ol_map *map = NULL;
  int rc = open_session(d, &s, err, sizeof err);
  /* The lineage map goes with the registry it maps into. */
  if (!rc) rc = st_ol_map_load(st_session_registry(s), d->cfg.openlineage_map,
                               &map, err, sizeof err);
  if (!rc) rc = store_blobs(d, s, reg, pol, err, sizeof err);
  cJSON *log = st_log_begin(rc ? "reload_failed" : "reloaded");
  if (rc) {
    st_ol_map_free(map);
    st_session_close(s);
    set_reload_error(d, err);
    st_log_str(log, "error", err);
    st_metrics_add(d->metrics, "steward_reload_errors_total", NULL, 1);
    st_log_event(log);
    return rc;
  }
  int same = d->session && !strcmp(reg, d->registry_hash) &&
             !strcmp(pol, d->policy_hash);
  st_session_close(d->session);
  st_ol_map_free(d->ol_map);
  d->session = s;
  d->ol_map = map;
  memcpy(d->registry_hash, reg, sizeof reg);
  memcpy(d->policy_hash, pol, sizeof pol);
  d->registry_nodes = st_session_registry(s)->graph.nnodes;
  set_reload_error(d, NULL);
  st_serve_cache_drop(d);
  cJSON_AddStringToObject(log, "registry_hash", reg);
  cJSON_AddStringToObject(log, "policy_hash", pol);
  cJSON_AddNumberToObject(log, "nodes", (double)d->registry_nodes);
  cJSON_AddNumberToObject(log, "policies",
                          (double)st_session_policies(s)->n);
  cJSON_AddBoolToObject(log, "changed", !same);
  st_log_event(log);
  return ST_OK;
}

/* }=== */

/* {=== Watching files =================================================== */

static void on_reload_timer(uv_timer_t *t) {
  st_daemon *d = t->data;
  if (!d->stopping) st_serve_reload(d);
}

static void on_fs_event(uv_fs_event_t *h, const char *name, int events,
                        int status) {
  (void)name;
  (void)events;
  (void)status;
  st_daemon *d = h->data;
  if (d->stopping) return;
  /* Editors write files in several steps: wait for quiet, then reload. */
  uv_timer_start(&d->reload_timer, on_reload_timer,
                 (uint64_t)(d->cfg.reload_debounce * 1000), 0);
}

/* libuv handles must not move once initialized: the watchers live in an
 * array of fixed size, and a directory past it is not watched (said in the
 * log; SIGHUP still reloads). A watcher that fails to start stays in the
 * array, inactive, and is closed with the others. */
#define MAX_WATCH 64

static void watch_dir(st_daemon *d, const char *dir) {
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return;
  if (d->nwatch == MAX_WATCH) {
    cJSON *log = st_log_begin("not_watched");
    st_log_str(log, "directory", dir);
    st_log_event(log);
    return;
  }
  uv_fs_event_t *h = &d->watch[d->nwatch++];
  uv_fs_event_init(d->loop, h);
  h->data = d;
  uv_fs_event_start(h, on_fs_event, dir, 0);
}

/* The directory itself, or a file's directory. */
static void watch_path(st_daemon *d, const char *path) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    watch_dir(d, path);
    return;
  }
  char *copy = st_xstrdup(path), *slash = strrchr(copy, '/');
  if (slash) *slash = '\0';
  watch_dir(d, slash ? copy : ".");
  free(copy);
}

/* A pack and the directories under it (inotify does not recurse). */
static void watch_tree(st_daemon *d, const char *dir, int depth) {
  watch_path(d, dir);
  size_t n;
  char **names = st_list_dir(dir, &n);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (depth < 8 && stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
      watch_tree(d, names[i], depth + 1);
    free(names[i]);
  }
  free(names);
}

static void start_watching(st_daemon *d) {
  d->watch = st_xcalloc(MAX_WATCH, sizeof *d->watch);
  d->nwatch = 0;
  watch_path(d, d->cfg.registry);
  if (d->cfg.params) watch_path(d, d->cfg.params);
  if (d->cfg.openlineage_map) watch_path(d, d->cfg.openlineage_map);
  for (size_t i = 0; i < d->cfg.npolicies; i++)
    watch_tree(d, d->cfg.policies[i], 0);
}

/* }=== */

/* {=== Shutdown ========================================================= */

static void on_closed(uv_handle_t *h) {
  st_daemon *d = h->data;
  d->closing--;
}

static void close_handle(st_daemon *d, void *h) {
  uv_handle_t *handle = h;
  handle->data = d;
  if (uv_is_closing(handle)) return;
  d->closing++;
  uv_close(handle, on_closed);
}

static void on_http_closed(void *ud) {
  st_daemon *d = ud;
  d->closing--;
}

static void on_alerts_closed(void *ud) {
  st_daemon *d = ud;
  d->closing--;
}

/* Once no job is in flight, the last handles close and the loop ends. */
static void check_stopped(st_daemon *d) {
  if (d->jobs_in_flight) return;
  close_handle(d, &d->done_async);
}

static void begin_shutdown(st_daemon *d, const char *why) {
  if (d->stopping) return;
  d->stopping = 1;
  atomic_store(&d->cancel, 1);
  cJSON *log = st_log_begin("stopping");
  cJSON_AddStringToObject(log, "signal", why);
  cJSON_AddNumberToObject(log, "runs_in_flight", d->jobs_in_flight);
  st_log_event(log);
  st_serve_suites_stop(d);
  for (size_t i = 0; i < d->nwatch; i++) close_handle(d, &d->watch[i]);
  close_handle(d, &d->reload_timer);
  close_handle(d, &d->prune_timer);
  close_handle(d, &d->sig_hup);
  close_handle(d, &d->sig_term);
  close_handle(d, &d->sig_int);
  close_handle(d, &d->log_flush);
  if (d->http) {
    d->closing++;
    st_httpd_stop(d->http, on_http_closed, d);
  }
  if (d->alerter) {
    d->closing++;
    st_alerter_stop(d->alerter, on_alerts_closed, d);
  }
  check_stopped(d);
}

static void on_signal(uv_signal_t *h, int signum) {
  st_daemon *d = h->data;
  if (signum == SIGHUP) {
    if (!d->stopping) st_serve_reload(d);
    return;
  }
  begin_shutdown(d, signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

/* }=== */

/* {=== Start ============================================================ */

/* Observation files named in the config are loaded once, at the first
 * start: each is stored under an idempotency key of its path, so a restart
 * finds it stored and adds nothing. */
static int load_config_observations(st_daemon *d, char *err, size_t errlen);

static void on_prune(uv_timer_t *t) {
  st_daemon *d = t->data;
  char err[ST_ERRLEN];
  if (st_store_prune(d->store, (double)time(NULL), d->cfg.retention_runs_days,
                     d->cfg.retention_obs_days, err, sizeof err) != ST_OK) {
    cJSON *log = st_log_begin("prune_failed");
    st_log_str(log, "error", err);
    st_log_event(log);
  }
}

static void on_prepare(uv_prepare_t *h) {
  (void)h;
  st_log_flush();
}

static void start_handles(st_daemon *d) {
  uv_prepare_init(d->loop, &d->log_flush);
  d->log_flush.data = d;
  uv_prepare_start(&d->log_flush, on_prepare);
  uv_unref((uv_handle_t *)&d->log_flush);   /* does not keep the loop up */
  st_log_set_buffered(1);
  uv_signal_init(d->loop, &d->sig_hup);
  uv_signal_init(d->loop, &d->sig_term);
  uv_signal_init(d->loop, &d->sig_int);
  d->sig_hup.data = d->sig_term.data = d->sig_int.data = d;
  uv_signal_start(&d->sig_hup, on_signal, SIGHUP);
  uv_signal_start(&d->sig_term, on_signal, SIGTERM);
  uv_signal_start(&d->sig_int, on_signal, SIGINT);
  uv_timer_init(d->loop, &d->reload_timer);
  uv_timer_init(d->loop, &d->prune_timer);
  d->reload_timer.data = d->prune_timer.data = d;
  uv_timer_start(&d->prune_timer, on_prune, 1000, 3600 * 1000);
  uv_async_init(d->loop, &d->done_async, on_done);
  d->done_async.data = d;
  pthread_mutex_init(&d->done_lock, NULL);
}

static int start_alerts(st_daemon *d, char *err, size_t errlen) {
  size_t n = d->cfg.nalerts;
  st_alert_target *t = st_xcalloc(n ? n : 1, sizeof *t);
  for (size_t i = 0; i < n; i++) {
    const st_alert_config *a = &d->cfg.alerts[i];
    t[i] = (st_alert_target){a->name, a->webhook, a->secret, a->secret_len,
                             (const char *const *)a->command};
  }
  int rc = st_alerter_new(d->loop, d->store, t, n, NULL, &d->alerter, err,
                          errlen);
  free(t);
  if (!rc) st_alerter_kick(d->alerter);   /* pending from before a restart */
  return rc;
}

static int start_http(st_daemon *d, char *err, size_t errlen) {
  int rc = st_httpd_start(d->loop, d->cfg.host, d->cfg.port, &d->cfg.http,
                          st_api_handle, st_api_done, d, &d->http, err,
                          errlen);
  if (rc) return rc;
  cJSON *log = st_log_begin("listening");
  cJSON_AddStringToObject(log, "host", d->cfg.host);
  cJSON_AddNumberToObject(log, "port", st_httpd_port(d->http));
  st_log_event(log);
  return ST_OK;
}

static int open_store(st_daemon *d, char *err, size_t errlen) {
  int rc = st_store_open(d->cfg.store, 0, &d->store, err, errlen);
  size_t abandoned = 0;
  if (!rc) rc = st_store_runs_abandon_open(d->store, (double)time(NULL),
                                           &abandoned, err, errlen);
  if (!rc && abandoned) {
    cJSON *log = st_log_begin("runs_abandoned");
    cJSON_AddNumberToObject(log, "count", (double)abandoned);
    st_log_event(log);
  }
  if (!rc) rc = load_config_observations(d, err, errlen);
  return rc;
}

static void daemon_free(st_daemon *d) {
  st_session_close(d->session);
  st_ol_map_free(d->ol_map);
  if (d->alerter) st_alerter_free(d->alerter);
  if (d->http) st_httpd_free(d->http);
  st_pool_free(d->pool);
  free(d->watch);
  st_serve_cache_drop(d);
  free(d->cache);
  st_metrics_free(d->metrics);
  free(d->suites);
  free(d->reload_error);
  free(d->home);
  st_store_close(d->store);
  st_config_free(&d->cfg);
  pthread_mutex_destroy(&d->done_lock);
}

static void free_readers(st_daemon *d, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    st_store_close(d->readers[i].store);
    st_obs_free(&d->readers[i].obs);
  }
  free(d->readers);
}

/* A handle still open when the loop should be empty is a bug: say which. */
static void report_open_handle(uv_handle_t *h, void *arg) {
  (void)arg;
  cJSON *log = st_log_begin("handle_left_open");
  cJSON_AddStringToObject(log, "type", uv_handle_type_name(h->type));
  st_log_event(log);
}

int st_serve_main(const char *config_path) {
  /* A file size limit (RLIMIT_FSIZE) must fail the write, which the store
   * answers as a full disk, not kill the daemon. */
  signal(SIGXFSZ, SIG_IGN);
  /* Responses of tens of kilobytes are built and freed at every request:
   * keep freed memory in the process rather than handing it back to the
   * kernel and faulting it in again at the next request. */
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  st_daemon d;
  memset(&d, 0, sizeof d);
  char err[ST_ERRLEN];
  if (st_config_load(config_path, &d.cfg, err, sizeof err) != ST_OK) {
    fprintf(stderr, "steward: %s\n", err);
    st_config_free(&d.cfg);
    return 2;
  }
  uv_loop_t loop;
  uv_loop_init(&loop);
  d.loop = &loop;
  d.home = st_session_home();
  d.started = (double)time(NULL);
  d.metrics = st_metrics_new();
  atomic_init(&d.cancel, 0);
  st_serve_metrics_init(&d);
  start_handles(&d);
  int rc = open_store(&d, err, sizeof err);
  unsigned workers = d.cfg.workers ? d.cfg.workers : 1;
  d.pool = st_pool_new(workers);
  d.readers = st_xcalloc(workers, sizeof *d.readers);
  for (unsigned i = 0; i < workers; i++) {
    d.readers[i].high_water = -1;
    st_obs_init(&d.readers[i].obs);
  }
  if (!rc) st_serve_reload(&d);    /* a bad set: not ready, still serving */
  if (!rc) rc = start_http(&d, err, sizeof err);
  if (!rc) rc = start_alerts(&d, err, sizeof err);
  int code = 0;
  if (rc) {
    fprintf(stderr, "steward: %s\n", err);
    code = 2;
    begin_shutdown(&d, "startup error");
  } else {
    start_watching(&d);
    st_serve_suites_start(&d);
    st_serve_impacts_resume(&d);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  st_pool_free(d.pool);
  d.pool = NULL;
  free_readers(&d, workers);
  d.readers = NULL;
  if (!code) st_log_event(st_log_begin("stopped"));
  st_log_set_buffered(0);
  daemon_free(&d);
  if (uv_loop_close(&loop) != 0) uv_walk(&loop, report_open_handle, NULL);
  return code;
}

/* }=== */

static int load_config_observations(st_daemon *d, char *err, size_t errlen) {
  for (size_t i = 0; i < d->cfg.nobservations; i++) {
    const char *path = d->cfg.observations[i];
    size_t len, accepted;
    int dup;
    char *text = st_read_file(path, &len, err, errlen);
    if (!text) return ST_EIO;
    st_buf key;
    st_buf_init(&key);
    st_buf_printf(&key, "config-file:%s", path);
    int rc = st_serve_ingest_text(d, path, text, len, key.data, &accepted,
                                  &dup, err, errlen);
    st_buf_free(&key);
    free(text);
    if (rc) return rc;
    cJSON *log = st_log_begin("observations_loaded");
    st_log_str(log, "file", path);
    cJSON_AddNumberToObject(log, "accepted", (double)accepted);
    cJSON_AddBoolToObject(log, "already_stored", dup);
    st_log_event(log);
  }
  return ST_OK;
}
