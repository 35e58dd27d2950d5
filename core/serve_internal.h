/*
 * serve_internal.h - what the parts of `steward serve` share (private to
 * serve.c, serve_runs.c and api*.c; nothing else includes it).
 *
 * The daemon is one libuv loop thread plus a worker pool (pool.h). The loop
 * owns everything here: the config, the current good session (retained;
 * a reload swaps it, runs in flight keep theirs), the store connection it
 * writes with, the HTTP server, the alerter, the suites' timers and the
 * metrics. Workers only evaluate: a job carries what it needs (a retained
 * session, the observation high-water mark) and hands its result back
 * through `done` (a mutex-guarded list and a uv_async), so the loop writes
 * the store and answers requests. Each worker reads observations through a
 * store connection of its own (stores are one connection per thread).
 *
 * Ownership: st_daemon owns all of its members; a job owns its result until
 * the loop takes it. Threading: members are loop-thread only except the
 * `done` list (its lock), `readers` (each worker its own slot) and
 * `cancel` (atomic).
 */
#ifndef ST_SERVE_INTERNAL_H
#define ST_SERVE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include <uv.h>

#include "alert.h"
#include "config.h"
#include "httpd.h"
#include "metrics.h"
#include "openlineage.h"
#include "pool.h"
#include "session.h"
#include "store.h"
#include "version.h"


typedef struct st_daemon st_daemon;

typedef struct {
  st_daemon *d;
  const st_suite_config *cfg;
  uv_timer_t timer;
  double next_at;                /* epoch seconds of the next tick */
  int running;
  int64_t last_run;              /* 0: none yet */
  double last_started, last_finished;
  const char *last_outcome;
} st_suite_state;

/* A piece of work for the pool; `run` on a worker, `finish` on the loop. */
typedef struct st_serve_job {
  st_daemon *d;
  void (*run)(st_pool_worker *w, struct st_serve_job *j);
  void (*finish)(struct st_serve_job *j);
  struct st_serve_job *next;     /* on the done list */
} st_serve_job;

/* A worker's view of the observations: a snapshot up to a high-water mark,
 * reloaded when the mark moves. */
typedef struct {
  st_store *store;               /* read-only connection, opened lazily */
  int64_t high_water;            /* of `obs`; -1: none loaded */
  st_obsset obs;
} st_reader;

/* Cached bodies of GET responses, dropped whenever what they show can
 * change (a run finishes, observations arrive, a reload). */
typedef struct {
  char *target;
  char *body;
  size_t len;
  int status;
} st_cached;

struct st_daemon {
  uv_loop_t *loop;
  st_config cfg;
  char *home;
  st_store *store;
  st_session *session;           /* the current good set; NULL until one */
  st_ol_map *ol_map;             /* lineage names to its ids (with it) */
  char registry_hash[65], policy_hash[65];
  size_t registry_nodes;
  char *reload_error;            /* the last failed reload's message */
  double started;
  st_pool *pool;
  st_reader *readers;            /* one per worker */
  st_httpd *http;
  st_alerter *alerter;
  st_suite_state *suites;
  st_metrics *metrics;
  uv_signal_t sig_hup, sig_term, sig_int;
  uv_fs_event_t *watch;
  size_t nwatch;
  uv_timer_t reload_timer, prune_timer;
  uv_async_t done_async;
  uv_prepare_t log_flush;        /* flushes the log before each wait */
  pthread_mutex_t done_lock;
  st_serve_job *done;
  atomic_int cancel;             /* shutting down: runs stop */
  int stopping;
  unsigned jobs_in_flight;
  unsigned closing;              /* handles still closing at shutdown */
  st_cached *cache;
  size_t ncache, cache_cap;
};

/* serve.c */
void st_serve_submit(st_daemon *d, st_serve_job *j);
int st_serve_reload(st_daemon *d);
void st_serve_cache_drop(st_daemon *d);
const st_obsset *st_serve_snapshot(st_daemon *d, st_pool_worker *w,
                                   int64_t high_water, char *err,
                                   size_t errlen);

/* serve_runs.c */
void st_serve_suites_start(st_daemon *d);
void st_serve_suites_stop(st_daemon *d);
/* Starts a run of suite now: ST_OK and *run, or ST_EINPUT when it is
 * already running (or the daemon has no good policy set yet). */
int st_serve_run_now(st_daemon *d, st_suite_state *s, int64_t *run,
                     char *err, size_t errlen);
st_suite_state *st_serve_suite(st_daemon *d, const char *name);
void st_serve_metrics_init(st_daemon *d);

/* serve_ingest.c: validates JSON Lines or a JSON array of observations,
 * whole, and stores them in one transaction. ST_EINPUT with err
 * "NAME:LINE:COL: what" (nothing stored), ST_EIO for the disk (nothing
 * stored). */
int st_serve_ingest_text(st_daemon *d, const char *name, const char *text,
                         size_t len, const char *idempotency_key,
                         size_t *accepted, int *duplicate, char *err,
                         size_t errlen);

/* serve_ingest.c: OpenLineage events (a body of POST /api/v1/lineage),
 * converted, checked as observations and stored with the runs' state in
 * one transaction. *events counts the events, *accepted the observations.
 * ST_EINPUT with err "body:LINE:COL: ..." (nothing stored), ST_EIO for the
 * disk or when no registry is loaded. */
int st_serve_ingest_lineage(st_daemon *d, const char *text, size_t len,
                            size_t *accepted, size_t *events, char *err,
                            size_t errlen);

/* serve_impacts.c: the what-if of an announced change (an MLflow model
 * version) on the pool, its end stored with its alerts. */
typedef struct {
  int64_t id;                    /* the pending impact */
  const char *model, *version, *name, *alias, *event, *delivery;
  const cJSON *change;           /* copied */
} st_impact_request;
void st_serve_impact_submit(st_daemon *d, const st_impact_request *r);
/* Starts again the impacts still pending in the store (a restart). */
void st_serve_impacts_resume(st_daemon *d);

/* api.c */
void st_api_handle(st_http_req *req, void *ud);
void st_api_done(const st_http_req *req, int status, double seconds,
                 const char *route, void *ud);

#endif
