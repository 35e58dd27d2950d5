/*
 * store_internal.h - what the files of the SQLite store share: the store
 * itself, its cache of prepared statements, error mapping and transactions.
 *
 * store.c opens the store, migrates the schema (described there) and
 * keeps blobs and observations; store_runs.c begins and finishes runs;
 * store_query.c reads runs and findings back; store_alerts.c keeps alerts
 * and retention; store_impacts.c keeps impacts, webhook deliveries and
 * lineage runs. Nothing else includes this header except the
 * store's unit test, which reaches the connection (st_store_db) to make the
 * disk look full.
 *
 * SQL: every statement is a constant string with bound parameters; a query
 * with optional filters picks one of a few constant variants, so no SQL is
 * ever built from input. Statements are prepared on first use and kept
 * until st_store_close; every use resets its statement before returning,
 * because a statement left mid-step holds a read snapshot open (in WAL mode
 * that pins old pages and stops checkpoints).
 *
 * Ownership: the store owns its connection, path and statements.
 * Threading: as store.h, one thread at a time per store.
 */
#ifndef ST_STORE_INTERNAL_H
#define ST_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"
#include "util.h"

/* One slot per statement, across the four files. */
enum {
  Q_BEGIN, Q_COMMIT, Q_ROLLBACK,
  Q_META_GET, Q_META_ADD, Q_META_MIN,
  Q_OBS_INSERT, Q_OBS_QUERY_SUBJECT, Q_OBS_QUERY_ALL, Q_OBS_LOAD,
  Q_OBS_BELOW,
  Q_IDEM_GET, Q_IDEM_PUT,
  Q_BLOB_PUT, Q_BLOB_GET, Q_BLOB_HAS,
  Q_RUN_BEGIN, Q_RUN_STATE, Q_RUN_PREV, Q_RUN_END, Q_RUN_ABANDON,
  Q_RUN_LIST_ALL, Q_RUN_LIST_SUITE, Q_RUN_GET,
  Q_FINDING_INSERT, Q_FINDING_RESOLVE, Q_FINDINGS_OF_RUN, Q_FINDING_IDENT,
  Q_FINDING_POS, Q_FINDINGS_CURRENT,
  Q_FIRST_SEEN_PUT, Q_FIRST_SEEN_GET,
  Q_POLICY_PUT, Q_CURRENT_PUT, Q_POLICIES_OF_RUN,
  Q_ALERT_INSERT, Q_ALERT_BODY, Q_ALERT_DUE, Q_ALERT_ATTEMPT,
  Q_ALERT_COUNTS, Q_ALERT_NEXT,
  Q_PRUNE_RUNS, Q_PRUNE_CURRENT, Q_PRUNE_BLOBS, Q_PRUNE_OBS_SPAN,
  Q_PRUNE_OBS, Q_PRUNE_IDEM,
  Q_LINEAGE_GET, Q_LINEAGE_PUT, Q_DELIVERY_PUT,
  Q_IMPACT_BEGIN, Q_IMPACT_STATE, Q_IMPACT_END, Q_IMPACT_ALERT,
  Q_IMPACT_LIST_ALL, Q_IMPACT_LIST_MODEL, Q_IMPACT_GET, Q_IMPACT_PENDING,
  Q_PRUNE_IMPACTS, Q_PRUNE_DELIVERIES, Q_PRUNE_LINEAGE,
  Q_COUNT
};

/* findings.status */
enum { ST_STORE_NEW, ST_STORE_OPEN, ST_STORE_RESOLVED };

/* The columns a finding is stored in and rebuilt from (store_query.c's
 * row_finding reads them in this order). */
#define ST_STORE_FINDING_COLS "policy, subject, path, key, severity," \
                              " enforcement, message, evidence, error, waiver," \
                              " layer"

struct st_store {
  sqlite3 *db;
  char *path;
  int read_only;
  sqlite3_stmt *q[Q_COUNT];
};

/* The statement in slot, prepared from sql on first use, reset and ready
 * to bind; NULL with err filled when it cannot be prepared. */
sqlite3_stmt *st_store_stmt(st_store *s, int slot, const char *sql,
                            char *err, size_t errlen);

/* Fills err with "PATH: what: SQLite's message" for the SQLite result rc
 * and returns ST_EINPUT when the caller broke a constraint or misused an
 * API, else ST_EIO (full, read-only, I/O error, busy past the timeout). */
int st_store_dberr(st_store *s, int rc, const char *what, char *err,
                   size_t errlen);

/* Steps st to completion and resets it: ST_OK, or st_store_dberr. */
int st_store_done(st_store *s, sqlite3_stmt *st, const char *what,
                  char *err, size_t errlen);

/* After stepping st with result rc: resets it and returns ST_OK when rc is
 * SQLITE_DONE, else st_store_dberr (with SQLite's message for rc). */
int st_store_finish(st_store *s, sqlite3_stmt *st, int rc, const char *what,
                    char *err, size_t errlen);

/* Binds a string, or NULL. SQLITE_STATIC: the caller keeps s alive until
 * the statement is reset. */
void st_store_bind_str(sqlite3_stmt *st, int i, const char *s);

/* A column as a string, or NULL when it is NULL. Valid until the next step
 * or reset. */
const char *st_store_col_str(sqlite3_stmt *st, int i);

/* BEGIN IMMEDIATE: takes the write lock now, so a transaction never fails
 * half-way for want of it (the busy timeout waits for it instead). */
int st_store_begin(st_store *s, char *err, size_t errlen);

/* Ends the transaction begun by st_store_begin: commits when rc is ST_OK
 * (returning the commit's own error if it fails), else rolls back; returns
 * the outcome. Every write path goes through here, so a failure leaves
 * nothing of itself behind and the connection ready for the next call. */
int st_store_end(st_store *s, int rc, char *err, size_t errlen);

/* Inserts n validated observations with the next ids and counts them
 * (store.c), in the caller's transaction. */
int st_store_obs_put(st_store *s, const st_store_obs *v, size_t n, char *err,
                     size_t errlen);

/* A pending alert of a run or an impact (one of run and impact is 0) for
 * target, due at `due`, whose body is `body` with "alert": its id added
 * (store_alerts.c), in the caller's transaction. */
int st_store_alert_put(st_store *s, int64_t run, int64_t impact, int target,
                       double due, const cJSON *body, char *err,
                       size_t errlen);

/* Retention of impacts, delivery ids and lineage runs older than cutoff
 * (store_impacts.c), in a transaction of its own. */
int st_store_prune_impacts(st_store *s, double cutoff, char *err,
                           size_t errlen);

/* A meta counter (see the schema in store.c), or -1 on error. */
int64_t st_store_meta(st_store *s, const char *name, char *err,
                      size_t errlen);

/* Adds `by` to the meta counter name (in the caller's transaction). */
int st_store_meta_add(st_store *s, const char *name, int64_t by, char *err,
                      size_t errlen);

/* Adds "name": RFC 3339 of epoch to o. */
void st_store_add_time(cJSON *o, const char *name, double epoch);

/* The connection, for the store's unit test only. */
sqlite3 *st_store_db(st_store *s);

#endif
