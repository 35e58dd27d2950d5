/* store_query.c - see store.h: reading runs back (the list, one run, what
 * replay needs) and the current findings. The schema is described in
 * store.c. */
#include "store_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const OUTCOMES[] = {"completed", "failed", "timeout",
                                       "abandoned"};

/* Appends the finding in columns c.. of st (ST_STORE_FINDING_COLS) to
 * dst; returns it. */
static st_finding *row_finding(sqlite3_stmt *st, int c, st_findings *dst) {
  const char *ev = st_store_col_str(st, c + 7);
  st_finding *f = st_findings_add(
    dst, st_store_col_str(st, c), st_store_col_str(st, c + 1),
    sqlite3_column_int(st, c + 4), sqlite3_column_int(st, c + 5),
    st_store_col_str(st, c + 6), st_store_col_str(st, c + 2),
    ev ? cJSON_Parse(ev) : NULL);
  const char *key = st_store_col_str(st, c + 3);
  const char *waiver = st_store_col_str(st, c + 9);
  f->key = key && *key ? st_xstrdup(key) : NULL;   /* "" is the NULL key */
  f->error = (uint8_t)sqlite3_column_int(st, c + 8);
  f->waiver = waiver ? st_xstrdup(waiver) : NULL;
  f->layer = (uint8_t)sqlite3_column_int(st, c + 10);
  return f;
}

/* {=== Reading runs ===================================================== */

#define RUN_COLS "id, suite, started, finished, outcome, clock, n_findings," \
                 " n_new, n_resolved, n_alerts, error"

/* A run as the list shows it, from RUN_COLS. */
static cJSON *run_json(sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  cJSON_AddStringToObject(o, "suite", st_store_col_str(st, 1));
  st_store_add_time(o, "started", sqlite3_column_double(st, 2));
  if (sqlite3_column_type(st, 3) == SQLITE_NULL)
    cJSON_AddNullToObject(o, "finished");
  else st_store_add_time(o, "finished", sqlite3_column_double(st, 3));
  int outcome = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
                sqlite3_column_int(st, 4);
  cJSON_AddStringToObject(o, "outcome", outcome >= 0 && outcome <= 3 ?
                          OUTCOMES[outcome] : "running");
  st_store_add_time(o, "clock", sqlite3_column_double(st, 5));
  cJSON *n = cJSON_AddObjectToObject(o, "counts");
  static const char *const names[] = {"findings", "new", "resolved",
                                      "alerts"};
  for (int i = 0; i < 4; i++)
    cJSON_AddNumberToObject(n, names[i],
                            (double)sqlite3_column_int64(st, 6 + i));
  if (st_store_col_str(st, 10))
    cJSON_AddStringToObject(o, "error", st_store_col_str(st, 10));
  return o;
}

static const char RUN_LIST_ALL[] =
  "SELECT " RUN_COLS " FROM runs WHERE id < ?2 ORDER BY id DESC LIMIT ?3";
static const char RUN_LIST_SUITE[] =
  "SELECT " RUN_COLS " FROM runs WHERE suite = ?1 AND id < ?2"
  " ORDER BY id DESC LIMIT ?3";

int st_store_runs_list(st_store *s, const char *suite, int64_t before,
                       size_t limit, cJSON *out, int64_t *next, char *err,
                       size_t errlen) {
  *next = 0;
  if (limit < 1 || limit > 10000)
    return st_errf(err, errlen, ST_EINPUT, "limit must be between 1 and "
                   "10000, not %zu", limit);
  if (before < 0)
    return st_errf(err, errlen, ST_EINPUT, "bad cursor %lld",
                   (long long)before);
  sqlite3_stmt *st = suite ?
    st_store_stmt(s, Q_RUN_LIST_SUITE, RUN_LIST_SUITE, err, errlen) :
    st_store_stmt(s, Q_RUN_LIST_ALL, RUN_LIST_ALL, err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, suite);
  sqlite3_bind_int64(st, 2, before > 0 ? before : INT64_MAX);
  sqlite3_bind_int64(st, 3, (int64_t)limit + 1);
  size_t n = 0;
  int64_t last = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n++ == limit) {         /* one more than asked: a next page */
      *next = last;
      rc = SQLITE_DONE;
      break;
    }
    last = sqlite3_column_int64(st, 0);
    cJSON_AddItemToArray(out, run_json(st));
  }
  return st_store_finish(s, st, rc, "cannot list runs", err, errlen);
}

/* The findings rows of run into dst (with status[] when not NULL, caller
 * frees); resolved rows only when with_resolved. */
static int run_findings(st_store *s, int64_t run, int with_resolved,
                        st_findings *dst, unsigned char **status, char *err,
                        size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_FINDINGS_OF_RUN, "SELECT " ST_STORE_FINDING_COLS ", status"
    " FROM findings WHERE run_id = ?1 ORDER BY id", err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, run);
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int stat = sqlite3_column_int(st, 11);
    if (stat == ST_STORE_RESOLVED && !with_resolved) continue;
    row_finding(st, 0, dst);
    if (!status) continue;
    st_grow((void **)status, &cap, dst->n, 1);
    (*status)[dst->n - 1] = (unsigned char)stat;
  }
  return st_store_finish(s, st, rc, "cannot read findings", err, errlen);
}

/* The run's row (RUN_COLS, then its inputs from column 11, then
 * obs_below) stepped onto;
 * ST_EINPUT when there is none. The caller resets st. */
static int run_row(st_store *s, int64_t id, sqlite3_stmt **out, char *err,
                   size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_RUN_GET, "SELECT " RUN_COLS ", registry_hash, policy_hash,"
    " obs_high_water, version, vm, obs_below FROM runs WHERE id = ?1", err,
    errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *out = st;
    return ST_OK;
  }
  sqlite3_reset(st);
  if (rc == SQLITE_DONE)
    return st_errf(err, errlen, ST_EINPUT, "no run %lld", (long long)id);
  return st_store_dberr(s, rc, "cannot read a run", err, errlen);
}

static cJSON *inputs_json(sqlite3_stmt *st) {
  cJSON *o = cJSON_CreateObject();
  static const char *const names[] = {"registry_hash", "policy_hash"};
  for (int i = 0; i < 2; i++) {
    if (st_store_col_str(st, 11 + i))
      cJSON_AddStringToObject(o, names[i], st_store_col_str(st, 11 + i));
    else cJSON_AddNullToObject(o, names[i]);
  }
  cJSON_AddNumberToObject(o, "obs_high_water",
                          (double)sqlite3_column_int64(st, 13));
  static const char *const more[] = {"version", "vm"};
  for (int i = 0; i < 2; i++) {
    if (st_store_col_str(st, 14 + i))
      cJSON_AddStringToObject(o, more[i], st_store_col_str(st, 14 + i));
    else cJSON_AddNullToObject(o, more[i]);
  }
  return o;
}

int st_store_run_get(st_store *s, int64_t id, cJSON **out, char *err,
                     size_t errlen) {
  sqlite3_stmt *st;
  *out = NULL;
  int rc = run_row(s, id, &st, err, errlen);
  if (rc) return rc;
  cJSON *o = run_json(st);
  cJSON_AddItemToObject(o, "inputs", inputs_json(st));
  sqlite3_reset(st);
  st_findings f;
  unsigned char *status = NULL;
  st_findings_init(&f);
  rc = run_findings(s, id, 1, &f, &status, err, errlen);
  cJSON *now = cJSON_AddArrayToObject(o, "findings");
  cJSON *gone = cJSON_AddArrayToObject(o, "resolved");
  for (size_t i = 0; i < f.n && !rc; i++) {
    cJSON *x = st_finding_json(&f.v[i]);
    if (status[i] != ST_STORE_RESOLVED)
      cJSON_AddStringToObject(x, "status",
                              status[i] == ST_STORE_NEW ? "new" : "open");
    cJSON_AddItemToArray(status[i] == ST_STORE_RESOLVED ? gone : now, x);
  }
  st_findings_free(&f);
  free(status);
  if (rc) cJSON_Delete(o);
  else *out = o;
  return rc;
}

/* }=== */

/* {=== Replay inputs ==================================================== */

/* ST_EINPUT "past retention" when a blob the run names is gone. */
static int blob_kept(st_store *s, int64_t id, const char *hash,
                     const char *what, char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_BLOB_HAS, "SELECT 1 FROM blobs WHERE hash = ?1", err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, hash);
  int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
  if ((rc = st_store_finish(s, st, found ? SQLITE_DONE : rc,
                            "cannot read a blob", err, errlen)))
    return rc;
  return found ? ST_OK :
         st_errf(err, errlen, ST_EINPUT, "run %lld: its inputs are past "
                 "retention: its %s (%s) is no longer stored", (long long)id,
                 what, hash ? hash : "not recorded");
}

/* 1 when the observations at or below hw are the `below` the run began
 * with (ids are never reused, so a count that is the same is the same
 * set), 0 when some were pruned since, or an error. */
static int obs_intact(st_store *s, int64_t hw, int64_t below, char *err,
                      size_t errlen) {
  int64_t pruned = st_store_meta(s, "obs_min_pruned", err, errlen);
  if (pruned < 0) return ST_EIO;
  if (pruned > hw) return 1;            /* nothing that low was pruned */
  sqlite3_stmt *st = st_store_stmt(
    s, Q_OBS_BELOW, "SELECT count(*) FROM obs WHERE id <= ?1", err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, hw);
  int rc = sqlite3_step(st);
  int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  if ((rc = st_store_finish(s, st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
                            "cannot count observations", err, errlen)))
    return rc;
  return n == below;
}

/* Adds "policies": the ids run id evaluated, sorted. */
static int add_policies(st_store *s, int64_t id, cJSON *o, char *err,
                        size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_POLICIES_OF_RUN, "SELECT policy FROM run_policies WHERE run_id = ?1"
    " ORDER BY policy", err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, id);
  cJSON *list = cJSON_AddArrayToObject(o, "policies");
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    cJSON_AddItemToArray(list, cJSON_CreateString(st_store_col_str(st, 0)));
  return st_store_finish(s, st, rc, "cannot read a run's policies", err,
                         errlen);
}

/* The record of a completed run whose inputs are all still stored. */
static int inputs_record(st_store *s, int64_t id, sqlite3_stmt *st,
                         cJSON **record, char *err, size_t errlen) {
  int outcome = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
                sqlite3_column_int(st, 4);
  if (outcome != ST_RUN_COMPLETED)
    return st_errf(err, errlen, ST_EINPUT, "run %lld did not complete (%s)",
                   (long long)id, outcome < 0 ? "running" : OUTCOMES[outcome]);
  int64_t hw = sqlite3_column_int64(st, 13);
  int rc = obs_intact(s, hw, sqlite3_column_int64(st, 16), err, errlen);
  if (rc < 0) return rc;
  if (!rc)
    return st_errf(err, errlen, ST_EINPUT, "run %lld: its inputs are past "
                   "retention: observations at or below its high-water mark "
                   "%lld were pruned", (long long)id, (long long)hw);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "suite", st_store_col_str(st, 1));
  cJSON_AddStringToObject(o, "outcome", OUTCOMES[outcome]);
  cJSON_AddNumberToObject(o, "clock", sqlite3_column_double(st, 5));
  cJSON *in = inputs_json(st);
  cJSON *x;
  while ((x = in->child)) cJSON_AddItemToArray(
    o, cJSON_DetachItemViaPointer(in, x));   /* keeps each key */
  cJSON_Delete(in);
  rc = add_policies(s, id, o, err, errlen);
  if (rc) {
    cJSON_Delete(o);
    return rc;
  }
  *record = o;
  return ST_OK;
}

int st_store_run_inputs(st_store *s, int64_t id, cJSON **record,
                        st_findings *findings, char *err, size_t errlen) {
  sqlite3_stmt *st;
  *record = NULL;
  int rc = run_row(s, id, &st, err, errlen);
  if (rc) return rc;
  char *reg = st_store_col_str(st, 11) ?
              st_xstrdup(st_store_col_str(st, 11)) : NULL;
  char *pol = st_store_col_str(st, 12) ?
              st_xstrdup(st_store_col_str(st, 12)) : NULL;
  cJSON *o = NULL;
  rc = inputs_record(s, id, st, &o, err, errlen);
  sqlite3_reset(st);
  if (!rc) rc = blob_kept(s, id, reg, "registry", err, errlen);
  if (!rc) rc = blob_kept(s, id, pol, "policy set", err, errlen);
  free(reg);
  free(pol);
  st_findings got;
  st_findings_init(&got);
  if (!rc) rc = run_findings(s, id, 0, &got, NULL, err, errlen);
  if (rc) {
    cJSON_Delete(o);
    st_findings_free(&got);
    return rc;
  }
  st_findings_move(findings, &got);
  *record = o;
  return ST_OK;
}

/* }=== */

/* {=== Current findings ================================================= */

/* CROSS JOIN fixes the join order (SQLite's documented hint): from the few
 * current_runs rows into findings by its (run_id, policy) index, never a
 * scan of every run's findings. */
static const char FINDINGS_CURRENT[] =
  "SELECT f.policy, f.subject, f.path, f.key, f.severity, f.enforcement,"
  " f.message, f.evidence, f.error, f.waiver, f.layer, f.id, f.run_id,"
  " r.suite, fs.at"
  " FROM current_runs c CROSS JOIN findings f"
  " ON f.run_id = c.run_id AND f.policy = c.policy"
  " JOIN runs r ON r.id = f.run_id"
  " LEFT JOIN first_seen fs ON fs.identity = f.fingerprint"
  " WHERE f.status < 2 AND (?1 IS NULL OR c.policy = ?1)"
  " AND (?2 IS NULL OR f.subject = ?2) AND (?3 IS NULL OR r.suite = ?3)"
  " AND f.severity >= ?4 AND (f.subject, f.policy, f.id) > (?5, ?6, ?7)"
  " ORDER BY f.subject, f.policy, f.id LIMIT ?8";

/* The cursor is the id of the last finding row a page returned; the next
 * page starts after its (subject, policy, id). ST_EINPUT once that row is
 * pruned. */
static int bind_cursor(st_store *s, sqlite3_stmt *q, int64_t after,
                       char *err, size_t errlen) {
  if (after == 0) {
    sqlite3_bind_text(q, 5, "", 0, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, "", 0, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, 0);
    return ST_OK;
  }
  sqlite3_stmt *st = st_store_stmt(
    s, Q_FINDING_POS, "SELECT subject, policy FROM findings WHERE id = ?1",
    err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, after);
  int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
  if (found) {
    sqlite3_bind_text(q, 5, st_store_col_str(st, 0), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, st_store_col_str(st, 1), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 7, after);
  }
  if ((rc = st_store_finish(s, st, found ? SQLITE_DONE : rc,
                            "cannot read a cursor", err, errlen)))
    return rc;
  return found ? ST_OK : st_errf(err, errlen, ST_EINPUT, "cursor %lld is no "
                                 "longer valid", (long long)after);
}

/* st_finding_json of the row plus where it comes from. */
static cJSON *current_json(sqlite3_stmt *st) {
  st_findings one;
  st_findings_init(&one);
  cJSON *o = st_finding_json(row_finding(st, 0, &one));
  st_findings_free(&one);
  if (sqlite3_column_type(st, 14) == SQLITE_NULL)
    cJSON_AddNullToObject(o, "first_seen");
  else st_store_add_time(o, "first_seen", sqlite3_column_double(st, 14));
  cJSON_AddNumberToObject(o, "run", (double)sqlite3_column_int64(st, 12));
  cJSON_AddStringToObject(o, "suite", st_store_col_str(st, 13));
  return o;
}

int st_store_findings_current(st_store *s, const st_findings_query *q,
                              cJSON *out, int64_t *next, char *err,
                              size_t errlen) {
  *next = 0;
  if (q->limit < 1 || q->limit > 10000)
    return st_errf(err, errlen, ST_EINPUT, "limit must be between 1 and "
                   "10000, not %zu", q->limit);
  sqlite3_stmt *st = st_store_stmt(s, Q_FINDINGS_CURRENT, FINDINGS_CURRENT,
                                   err, errlen);
  if (!st) return ST_EIO;
  int rc = bind_cursor(s, st, q->after, err, errlen);
  if (rc) return rc;
  st_store_bind_str(st, 1, q->policy);
  st_store_bind_str(st, 2, q->subject);
  st_store_bind_str(st, 3, q->suite);
  sqlite3_bind_int(st, 4, q->min_severity);
  sqlite3_bind_int64(st, 8, (int64_t)q->limit + 1);
  size_t n = 0;
  int64_t last = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n++ == q->limit) {
      *next = last;
      rc = SQLITE_DONE;
      break;
    }
    last = sqlite3_column_int64(st, 11);
    cJSON_AddItemToArray(out, current_json(st));
  }
  return st_store_finish(s, st, rc, "cannot read the current findings", err,
                         errlen);
}

/* }=== */
