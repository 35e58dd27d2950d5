/* store_alerts.c - see store.h: the alert queue and retention. The schema
 * is described in store.c. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

/* {=== Alerts =========================================================== */

int st_store_alerts_due(st_store *s, double now, size_t max, st_alert **out,
                        size_t *n, char *err, size_t errlen) {
  *out = NULL;
  *n = 0;
  if (!max) return ST_OK;
  /* The pending index, not the id order the planner would rather scan:
   * delivered alerts pile up, pending ones are few. */
  sqlite3_stmt *st = st_store_stmt(
    s, Q_ALERT_DUE, "SELECT id, target, attempts, body FROM alerts"
    " INDEXED BY alerts_pending WHERE status = 0 AND next_attempt <= ?1"
    " ORDER BY id LIMIT ?2", err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_double(st, 1, now);
  sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    st_grow((void **)out, &cap, *n + 1, sizeof **out);
    st_alert *a = &(*out)[(*n)++];
    a->id = sqlite3_column_int64(st, 0);
    a->target = sqlite3_column_int(st, 1);
    a->attempts = sqlite3_column_int(st, 2);
    a->body = st_xstrdup(st_store_col_str(st, 3));
  }
  rc = st_store_finish(s, st, rc, "cannot read due alerts", err, errlen);
  if (rc) {
    st_store_alerts_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int st_store_alert_put(st_store *s, int64_t run, int64_t impact, int target,
                       double due, const cJSON *body, char *err,
                       size_t errlen) {
  /* The id is known only once inserted, and the body names it first: the
   * row goes in, then its body. */
  sqlite3_stmt *st = st_store_stmt(
    s, Q_ALERT_INSERT, "INSERT INTO alerts(run_id, impact_id, target, status,"
    " next_attempt, body) VALUES(?1, ?2, ?3, 0, ?4, '')", err, errlen);
  if (!st) return ST_EIO;
  if (run) sqlite3_bind_int64(st, 1, run);
  else sqlite3_bind_null(st, 1);
  if (impact) sqlite3_bind_int64(st, 2, impact);
  else sqlite3_bind_null(st, 2);
  sqlite3_bind_int(st, 3, target);
  sqlite3_bind_double(st, 4, due);
  int rc = st_store_done(s, st, "cannot store an alert", err, errlen);
  if (rc) return rc;
  int64_t id = sqlite3_last_insert_rowid(s->db);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "alert", (double)id);
  for (const cJSON *x = body ? body->child : NULL; x; x = x->next)
    cJSON_AddItemToObject(o, x->string, cJSON_Duplicate(x, 1));
  char *text = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if (!(st = st_store_stmt(s, Q_ALERT_BODY, "UPDATE alerts SET body = ?2"
                           " WHERE id = ?1", err, errlen))) {
    cJSON_free(text);
    return ST_EIO;
  }
  sqlite3_bind_int64(st, 1, id);
  st_store_bind_str(st, 2, text);
  rc = st_store_done(s, st, "cannot store an alert", err, errlen);
  cJSON_free(text);
  return rc;
}

void st_store_alerts_free(st_alert *v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i].body);
  free(v);
}

int st_store_alert_attempt(st_store *s, int64_t id, st_alert_status status,
                           double next_attempt, const char *error, char *err,
                           size_t errlen) {
  if ((unsigned)status > ST_ALERT_FAILED)
    return st_errf(err, errlen, ST_EINPUT, "bad alert status %d",
                   (int)status);
  /* Only a pending alert is attempted: a settled one stays as it ended. */
  sqlite3_stmt *st = st_store_stmt(
    s, Q_ALERT_ATTEMPT, "UPDATE alerts SET status = ?2,"
    " attempts = attempts + 1, next_attempt = ?3, last_error = ?4"
    " WHERE id = ?1 AND status = 0", err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, (int)status);
  sqlite3_bind_double(st, 3, next_attempt);
  st_store_bind_str(st, 4, error);
  int rc = st_store_done(s, st, "cannot record an alert attempt", err,
                         errlen);
  if (rc == ST_OK && sqlite3_changes(s->db) == 0)
    return st_errf(err, errlen, ST_EINPUT, "no pending alert %lld",
                   (long long)id);
  return rc;
}

int st_store_alert_counts(st_store *s, size_t counts[3], char *err,
                          size_t errlen) {
  counts[0] = counts[1] = counts[2] = 0;
  sqlite3_stmt *st = st_store_stmt(
    s, Q_ALERT_COUNTS, "SELECT status, count(*) FROM alerts GROUP BY status",
    err, errlen);
  if (!st) return ST_EIO;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int status = sqlite3_column_int(st, 0);
    if (status >= 0 && status < 3)
      counts[status] = (size_t)sqlite3_column_int64(st, 1);
  }
  return st_store_finish(s, st, rc, "cannot count alerts", err, errlen);
}

double st_store_alert_next_due(st_store *s) {
  char err[ST_ERRLEN];
  sqlite3_stmt *st = st_store_stmt(
    s, Q_ALERT_NEXT, "SELECT min(next_attempt) FROM alerts WHERE status = 0",
    err, sizeof err);
  if (!st) return -1;
  double due = -1;
  if (sqlite3_step(st) == SQLITE_ROW &&
      sqlite3_column_type(st, 0) != SQLITE_NULL)
    due = sqlite3_column_double(st, 0);
  sqlite3_reset(st);
  return due;
}

/* }=== */

/* {=== Retention ======================================================== */

/* Deletion is chunked, a transaction per chunk: one transaction over a
 * year of history would grow the WAL by everything it deletes and hold the
 * write lock (ingest waits) for all of it. Each chunk is consistent on its
 * own, so stopping between two (a crash, a full disk) loses nothing.
 * No VACUUM afterwards: freed pages are reused by the next inserts, and a
 * database at its retention steady state only grows back to the size it
 * had; incremental vacuum would need auto_vacuum (pointer-map pages
 * written on every insert, slowing ingest) to give back space that is
 * needed again a day later. */
#define RUN_CHUNK 100
#define OBS_CHUNK 5000

/* Runs kept past the cutoff: each suite's latest completed run (the
 * baseline for "new" and the current findings; pruning it would make
 * every finding new again) and runs with alerts still pending. */
static const char PRUNE_RUNS[] =
  "DELETE FROM runs WHERE id IN (SELECT r.id FROM runs r"
  " WHERE r.finished < ?1"
  " AND r.id NOT IN (SELECT max(id) FROM runs WHERE outcome = 0"
  " GROUP BY suite)"
  " AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.run_id = r.id"
  " AND a.status = 0)"
  " ORDER BY r.id LIMIT ?2)";

/* A policy whose current run was pruned falls back to the latest
 * remaining completed run that evaluated it; policies whose current run
 * remains keep it (deleting runs cannot make a later one). */
static const char PRUNE_CURRENT[] =
  "INSERT INTO current_runs(policy, run_id)"
  " SELECT rp.policy, max(rp.run_id) FROM run_policies rp"
  " JOIN runs r ON r.id = rp.run_id WHERE r.outcome = 0"
  " AND rp.policy NOT IN (SELECT policy FROM current_runs)"
  " GROUP BY rp.policy";

/* One chunk of runs (with, by cascade, their findings, policies, current
 * rows and settled alerts); *more when the chunk was full. */
static int prune_runs_chunk(st_store *s, double cutoff, int *more, char *err,
                            size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(s, Q_PRUNE_RUNS, PRUNE_RUNS, err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_double(st, 1, cutoff);
  sqlite3_bind_int(st, 2, RUN_CHUNK);
  int rc = st_store_done(s, st, "cannot prune runs", err, errlen);
  if (rc) return rc;
  int n = sqlite3_changes(s->db);
  *more = n == RUN_CHUNK;
  if (!n) return ST_OK;
  st = st_store_stmt(s, Q_PRUNE_CURRENT, PRUNE_CURRENT, err, errlen);
  return st ? st_store_done(s, st, "cannot prune runs", err, errlen) : ST_EIO;
}

static int prune_runs(st_store *s, double cutoff, char *err, size_t errlen) {
  int more = 1, rc = ST_OK;
  while (more && !rc) {
    if ((rc = st_store_begin(s, err, errlen))) break;
    rc = prune_runs_chunk(s, cutoff, &more, err, errlen);
    rc = st_store_end(s, rc, err, errlen);
  }
  return rc;
}

/* Blobs no run names, except the latest put of each kind: the registry or
 * policy set the daemon holds now, which its next run will name. */
static int prune_blobs(st_store *s, char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_PRUNE_BLOBS, "DELETE FROM blobs WHERE hash NOT IN"
    " (SELECT registry_hash FROM runs WHERE registry_hash IS NOT NULL"
    " UNION SELECT policy_hash FROM runs WHERE policy_hash IS NOT NULL)"
    " AND used < (SELECT max(used) FROM blobs b WHERE b.kind = blobs.kind)",
    err, errlen);
  return st ? st_store_done(s, st, "cannot prune blobs", err, errlen) :
         ST_EIO;
}

/* The first OBS_CHUNK observations after id *last older than cutoff: their
 * ids span [lo, hi], and every id in that span older than cutoff is one of
 * them, so the delete is a range of the primary key. */
static int prune_obs_chunk(st_store *s, double cutoff, int64_t *last,
                           int *more, char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_PRUNE_OBS_SPAN, "SELECT min(id), max(id), count(*) FROM (SELECT id"
    " FROM obs WHERE id > ?1 AND at < ?2 ORDER BY id LIMIT ?3)", err,
    errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, *last);
  sqlite3_bind_double(st, 2, cutoff);
  sqlite3_bind_int(st, 3, OBS_CHUNK);
  int rc = sqlite3_step(st);
  int64_t lo = 0, hi = 0, n = 0;
  if (rc == SQLITE_ROW) {
    lo = sqlite3_column_int64(st, 0);
    hi = sqlite3_column_int64(st, 1);
    n = sqlite3_column_int64(st, 2);
  }
  if ((rc = st_store_finish(s, st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
                            "cannot prune observations", err, errlen)))
    return rc;
  *more = n == OBS_CHUNK;
  if (!n) return ST_OK;
  if (!(st = st_store_stmt(s, Q_PRUNE_OBS, "DELETE FROM obs WHERE id >= ?1"
                           " AND id <= ?2 AND at < ?3", err, errlen)))
    return ST_EIO;
  sqlite3_bind_int64(st, 1, lo);
  sqlite3_bind_int64(st, 2, hi);
  sqlite3_bind_double(st, 3, cutoff);
  if ((rc = st_store_done(s, st, "cannot prune observations", err, errlen)) ||
      (rc = st_store_meta_add(s, "obs_count", -n, err, errlen)))
    return rc;
  /* Replay's test for "past retention": the lowest id ever pruned. */
  if (!(st = st_store_stmt(s, Q_META_MIN, "UPDATE meta SET value ="
                           " min(value, ?1) WHERE name = 'obs_min_pruned'",
                           err, errlen)))
    return ST_EIO;
  sqlite3_bind_int64(st, 1, lo);
  *last = hi;
  return st_store_done(s, st, "cannot prune observations", err, errlen);
}

static int prune_obs(st_store *s, double cutoff, char *err, size_t errlen) {
  int64_t last = 0;
  int more = 1, rc = ST_OK;
  while (more && !rc) {
    if ((rc = st_store_begin(s, err, errlen))) break;
    rc = prune_obs_chunk(s, cutoff, &last, &more, err, errlen);
    rc = st_store_end(s, rc, err, errlen);
  }
  if (rc) return rc;
  /* Idempotency keys live as long as observations: a retry after that
   * long is a new request. */
  sqlite3_stmt *st = st_store_stmt(
    s, Q_PRUNE_IDEM, "DELETE FROM idempotency WHERE at < ?1", err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_double(st, 1, cutoff);
  return st_store_done(s, st, "cannot prune idempotency keys", err, errlen);
}

int st_store_prune(st_store *s, double now, double run_days, double obs_days,
                   char *err, size_t errlen) {
  int rc = ST_OK;
  if (run_days > 0) rc = prune_runs(s, now - run_days * 86400, err, errlen);
  if (!rc && run_days > 0)
    rc = st_store_prune_impacts(s, now - run_days * 86400, err, errlen);
  if (!rc) rc = prune_blobs(s, err, errlen);
  if (!rc && obs_days > 0)
    rc = prune_obs(s, now - obs_days * 86400, err, errlen);
  return rc;
}

/* }=== */
