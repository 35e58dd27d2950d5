/*
 * store.h - the daemon's durable history: observations, runs, findings,
 * alert deliveries, and the registry and policy set each run used.
 *
 * The interface is the contract; store.c implements it on SQLite (WAL,
 * synchronous=FULL: what a function says it committed is on disk when it
 * returns, and survives kill -9). A second backend (PostgreSQL for several
 * replicas is planned) implements the same functions; nothing outside
 * store.c knows SQL or SQLite.
 *
 * Schema: versioned (ST_STORE_SCHEMA), migrated forward at open; a file
 * that is not a store, or whose schema is newer than this binary knows, is
 * refused (ST_EINPUT) and left untouched.
 *
 * Finding identity (finding.h) decides "new", "resolved" and first_seen:
 * first_seen is kept per identity in a table of its own that retention
 * never prunes, so it outlives the runs that saw it.
 *
 * Errors: ST_EINPUT for what the caller got wrong (a bad cursor, an unknown
 * run), ST_EIO for the disk (full, read-only, I/O error: the daemon answers
 * 503 and acknowledges nothing), with err filled. A failed write leaves
 * nothing of itself behind (one transaction each).
 *
 * Ownership: st_store_open returns a store the caller frees with
 * st_store_close. Every cJSON a function returns is the caller's. Strings
 * in argument structs are borrowed for the call.
 * Threading: a store (one connection) belongs to one thread at a time;
 * several threads open their own stores on one file (readers in WAL mode
 * see the last commit before their read began).
 */
#ifndef ST_STORE_H
#define ST_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "finding.h"
#include "obs.h"

#define ST_STORE_SCHEMA 2

typedef struct st_store st_store;

/* Opens (creating when absent, unless read_only) the store at path. A
 * read-only open never creates the file (ST_EIO when it is missing) and
 * refuses a store that still needs a migration. */
int st_store_open(const char *path, int read_only, st_store **out, char *err,
                  size_t errlen);
void st_store_close(st_store *s);

/* {=== Observations ===================================================== */

/* One validated observation: its JSON line as stored and returned, and
 * the fields the store indexes. */
typedef struct {
  const char *line;          /* one JSON object, no newline */
  size_t len;
  double at;                 /* epoch seconds */
  const char *subject;       /* `subject`; `model` for usage, `dataset` for schema */
  const char *kind;          /* `kind`, or NULL for a metric record */
  const char *metric;        /* `metric`, or NULL */
} st_store_obs;

/* Stores n observations in one transaction. With an idempotency key that
 * was seen before, stores nothing and sets *duplicate (and *accepted to
 * the count the first request stored). Returns ST_OK once committed. */
int st_store_obs_add(st_store *s, const st_store_obs *v, size_t n,
                     const char *idempotency_key, double now,
                     size_t *accepted, int *duplicate, char *err,
                     size_t errlen);

/* The id of the last observation stored (0 when none, -1 on a database
 * error): a run's high-water mark. Ids are never given twice, not even
 * after the observations that had them are pruned. */
int64_t st_store_obs_high_water(st_store *s);

/* Adds to out (not indexed: the caller calls st_obs_index) every
 * observation with id <= upto, in id order. */
int st_store_obs_load(st_store *s, int64_t upto, st_obsset *out, char *err,
                      size_t errlen);

typedef struct {
  const char *subject, *metric, *kind;   /* NULL: any */
  double since, until;       /* at >= since and at < until; 0: unbounded */
  int64_t after;             /* cursor: ids greater than this */
  size_t limit;              /* 1..10000 */
} st_obs_query;

/* Appends matching observations, oldest id first, to the array `out` as
 * {"id", ...the record} (a member "id" of the record itself gives way to
 * the store's); *next is the cursor for the next page (the last id of
 * this one), or 0 when this page is the last. */
int st_store_obs_query(st_store *s, const st_obs_query *q, cJSON *out,
                       int64_t *next, char *err, size_t errlen);

/* How many observations are stored (-1 on a database error). */
int64_t st_store_obs_count(st_store *s);

/* }=== */

/* {=== Content-addressed inputs ========================================= */

/* Stores bytes under their SHA-256 (hex, 64 chars into hash[65]) once per
 * distinct content. kind labels them ("registry", "policies"). */
int st_store_blob_put(st_store *s, const char *kind, const void *data,
                      size_t len, char hash[65], char *err, size_t errlen);

/* The bytes stored under hash: *data (NUL-terminated, caller frees) and
 * *len; ST_EINPUT when there is none (never stored, or pruned). */
int st_store_blob_get(st_store *s, const char *hash, char **data,
                      size_t *len, char *err, size_t errlen);

/* }=== */

/* {=== Runs and findings ================================================ */

/* What a run records when it starts: enough to re-evaluate it (replay). */
typedef struct {
  const char *suite;
  double started;            /* wall clock */
  double clock;              /* the evaluation clock (ctx.now) */
  int64_t obs_high_water;
  const char *registry_hash, *policy_hash;   /* blobs */
  const char *version, *vm;  /* "0.2.0", "Lua 5.4.4" */
} st_run_record;

int st_store_run_begin(st_store *s, const st_run_record *r, int64_t *id,
                       char *err, size_t errlen);

/* An alert rule: findings that are new in a run (or every finding, with
 * on_all) at or above min_severity become one pending alert each for
 * target, in the same transaction as the run's findings. */
typedef struct {
  int target;                /* the caller's index of the alert target */
  int min_severity;
  int on_all;
} st_alert_rule;

typedef enum {
  ST_RUN_COMPLETED, ST_RUN_FAILED, ST_RUN_TIMEOUT, ST_RUN_ABANDONED
} st_run_outcome;

typedef struct {
  st_run_outcome outcome;
  double finished;
  const st_findings *findings;   /* NULL for abandoned or failed runs */
  const char *const *policies;   /* ids the run evaluated */
  size_t npolicies;
  const char *error;             /* why it failed or timed out, or NULL */
  const st_alert_rule *rules;
  size_t nrules;
} st_run_result;

typedef struct {
  size_t findings, new_findings, resolved, alerts;
} st_run_counts;

/* Records the end of run id: its findings (each marked new or not by
 * identity against the latest completed run of the same suite, and the
 * resolved ones of that run), first_seen for identities never seen, and
 * the pending alerts the rules make, all in one transaction. Only a
 * completed run has findings and alerts. first_seen is the `started` of
 * the run that first had the identity. The policies of the findings count
 * as evaluated too (the loader's findings name policies no suite
 * selects). A finding makes at most one alert per target, and a waived
 * finding none. An alert's body is {"alert": its id, "run", "suite",
 * "policy", "subject", "severity", "enforcement", "message", "path",
 * "identity", "first_seen" (RFC 3339), "new": bool}, due at `finished`.
 * ST_EINPUT when the run is unknown or already finished. */
int st_store_run_finish(st_store *s, int64_t id, const st_run_result *r,
                        st_run_counts *counts, char *err, size_t errlen);

/* Marks every run that began but never finished (the daemon stopped or
 * died during it) as abandoned; returns how many in *n. Called at start. */
int st_store_runs_abandon_open(st_store *s, double now, size_t *n, char *err,
                               size_t errlen);

/* Runs, newest first, as {"id", "suite", "started", "finished", "outcome",
 * "clock", "counts": {"findings", "new", "resolved", "alerts"}, "error"?};
 * times in RFC 3339 ("finished" null and "outcome" "running" until the run
 * ends; else "completed", "failed", "timeout" or "abandoned"); suite NULL
 * for all; cursor: ids below `before` (0: from the newest); *next 0 on the
 * last page, else the last id of this one. limit 1..10000. */
int st_store_runs_list(st_store *s, const char *suite, int64_t before,
                       size_t limit, cJSON *out, int64_t *next, char *err,
                       size_t errlen);

/* One run: as in the list, plus "inputs" (registry_hash, policy_hash,
 * obs_high_water, version, vm), "findings" (each finding's JSON as
 * report.h writes it, with "status": "new" or "open") and "resolved" (the
 * findings of the suite's previous completed run no longer present).
 * ST_EINPUT when there is no such run. */
int st_store_run_get(st_store *s, int64_t id, cJSON **out, char *err,
                     size_t errlen);

/* What replay needs of run id: *record, the JSON {"suite", "outcome",
 * "clock", "obs_high_water", "registry_hash", "policy_hash", "version",
 * "vm", "policies": [the ids it evaluated]} (caller frees; "clock" in epoch
 * seconds, exactly as recorded), and
 * the findings it stored appended to findings.
 * ST_EINPUT when the run is unknown, did not complete, or its inputs are
 * past retention: its blobs are gone, or observations at or below its
 * high-water mark were pruned since (the store counts them at run_begin). */
int st_store_run_inputs(st_store *s, int64_t id, cJSON **record,
                        st_findings *findings, char *err, size_t errlen);

typedef struct {
  const char *policy, *subject, *suite;  /* NULL: any */
  int min_severity;          /* -1: any; else at least this */
  int64_t after;             /* cursor (0: from the start) */
  size_t limit;              /* 1..10000 */
} st_findings_query;

/* The current findings: for each policy, those of the latest completed run
 * (the highest id) that evaluated it, each as st_finding_json (report.h,
 * with "waived_by" as the run had it) plus "first_seen" (RFC 3339), "run"
 * and "suite", ordered by subject, then policy, then the store's row.
 * Cursor: *next is the row of the last item of a full page (0 on the last
 * page); the next page starts after that row's place in the order, so
 * pages stay in order across a new run. ST_EINPUT when the cursor's row
 * has been pruned. */
int st_store_findings_current(st_store *s, const st_findings_query *q,
                              cJSON *out, int64_t *next, char *err,
                              size_t errlen);

/* }=== */

/* {=== Alerts =========================================================== */

typedef enum {
  ST_ALERT_PENDING, ST_ALERT_DELIVERED, ST_ALERT_FAILED
} st_alert_status;

typedef struct {
  int64_t id;
  int target;
  int attempts;
  char *body;                /* the JSON the alert carries; owned */
} st_alert;

/* Pending alerts whose next attempt is due at `now`, oldest first, at most
 * max: *out (caller frees with st_store_alerts_free) and *n. */
int st_store_alerts_due(st_store *s, double now, size_t max, st_alert **out,
                        size_t *n, char *err, size_t errlen);
void st_store_alerts_free(st_alert *v, size_t n);

/* Records one delivery attempt: delivered, failed for good, or pending
 * again at next_attempt; `error` says what went wrong (or NULL).
 * ST_EINPUT unless alert id is pending. */
int st_store_alert_attempt(st_store *s, int64_t id, st_alert_status status,
                           double next_attempt, const char *error, char *err,
                           size_t errlen);

/* How many alerts are in each status. */
int st_store_alert_counts(st_store *s, size_t counts[3], char *err,
                          size_t errlen);

/* The earliest next attempt of a pending alert, or -1 when none (or on a
 * database error: the caller looks again at its next kick). */
double st_store_alert_next_due(st_store *s);

/* }=== */

/* {=== Lineage runs and webhook deliveries (store_impacts.c) ============ */

/* What is known of an OpenLineage run (openlineage.h's state, as JSON):
 * *state (caller frees) or NULL when the run was never stored. */
int st_store_lineage_run_get(st_store *s, const char *run_id, char **state,
                             char *err, size_t errlen);

/* Stores n observations and nruns run states (run_ids[i], states[i]; each
 * replacing the run's previous state) in one transaction, at `now`.
 * ST_OK once committed; nothing of it stored otherwise. */
int st_store_lineage_add(st_store *s, const st_store_obs *v, size_t n,
                         const char *const *run_ids,
                         const char *const *states, size_t nruns, double now,
                         char *err, size_t errlen);

/* Takes a webhook delivery id (source labels it: "mlflow"): ST_OK with
 * *seen 0 when it is new (and now stored), 1 when it was taken before
 * (nothing stored). */
int st_store_delivery_add(st_store *s, const char *source, const char *id,
                          double now, int *seen, char *err, size_t errlen);

/* }=== */

/* {=== Impacts (store_impacts.c) ======================================== */

/* A change announced from outside (a new model version in MLflow) and the
 * what-if it is judged by. */
typedef struct {
  const char *source;        /* "mlflow" */
  const char *delivery;      /* the delivery id, taken with the impact */
  const char *event;         /* "model_version.created" */
  const char *model;         /* the registry id */
  const char *version;
  const char *alias;         /* or NULL */
  const char *name;          /* the name as announced */
  const char *change;        /* the change set evaluated, JSON */
  double received;
} st_impact_record;

/* Takes the delivery id and records the impact as pending, in one
 * transaction: ST_OK with *id, or with *seen set (nothing stored) when the
 * delivery id was taken before. */
int st_store_impact_begin(st_store *s, const st_impact_record *r,
                          int64_t *id, int *seen, char *err, size_t errlen);

typedef struct {
  int failed;                /* the evaluation failed; error says why */
  const char *error;
  const char *verdict;       /* "clear", "review", "blocked"; NULL if failed */
  const char *result;        /* the impact report as JSON, or NULL */
  double finished, clock;
  int64_t obs_high_water;
  const char *registry_hash, *policy_hash;
  size_t new_findings, resolved, new_blocking;
  /* Alerts: when `alert` is not NULL (a blocked verdict), one pending alert
   * per rule whose min_severity is at or below alert_severity (the highest
   * severity among the new blocking findings), one per target. The body
   * is `alert` with "alert": its id and "impact": the impact's id added. */
  const cJSON *alert;
  int alert_severity;
  const st_alert_rule *rules;
  size_t nrules;
} st_impact_result;

/* Records the end of pending impact id and its alerts, in one transaction;
 * *alerts says how many. ST_EINPUT when it is unknown or already ended. */
int st_store_impact_finish(st_store *s, int64_t id, const st_impact_result *r,
                           size_t *alerts, char *err, size_t errlen);

/* Impacts, newest first, as {"id", "source", "delivery", "event", "model",
 * "version", "alias", "name", "received", "finished", "status" ("pending",
 * "completed", "failed"), "verdict", "counts": {"new", "resolved",
 * "blocking", "alerts"}, "error"?}; model NULL for all; cursor as
 * st_store_runs_list. */
int st_store_impacts_list(st_store *s, const char *model, int64_t before,
                          size_t limit, cJSON *out, int64_t *next, char *err,
                          size_t errlen);

/* One impact: as in the list, plus "change", "inputs" (clock,
 * obs_high_water, registry_hash, policy_hash) and "impact" (the report,
 * null until it ends). ST_EINPUT when there is none. */
int st_store_impact_get(st_store *s, int64_t id, cJSON **out, char *err,
                        size_t errlen);

/* The ids of impacts still pending (the daemon stopped before their
 * what-if ended), oldest first: *ids (caller frees) and *n. */
int st_store_impacts_pending(st_store *s, int64_t **ids, size_t *n, char *err,
                             size_t errlen);

/* }=== */

/* Deletes runs finished more than run_days ago (0: keep forever) with
 * their findings and their delivered or failed alerts, never pending ones:
 * a run with a pending alert is kept, and so is each suite's latest
 * completed run (the baseline for "new" and the current findings). Then
 * the blobs no run still names, but the latest put of each kind (what the
 * daemon holds for its next run); impacts that ended as long ago (but
 * those with a pending alert), webhook delivery ids and lineage runs as
 * old; then observations whose `at` is older than obs_days (0: keep
 * forever), and idempotency keys as old. first_seen is kept. In chunks of
 * one transaction each, so ingest is not held up. */
int st_store_prune(st_store *s, double now, double run_days, double obs_days,
                   char *err, size_t errlen);

#endif
