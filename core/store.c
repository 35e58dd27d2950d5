/* store.c - see store.h. Opening, the schema and its migrations, the
 * helpers of store_internal.h, blobs and observations. Runs and findings
 * are in store_runs.c, alerts and retention in store_alerts.c. */
#include "store_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "timeutil.h"

/* "StWd": PRAGMA application_id of every steward store, so a SQLite file
 * that belongs to something else is refused rather than written to. */
#define STORE_APP_ID 0x53745764

/* {=== Schema =========================================================== */

/* Version 1. Tables:
 *  meta          named counters: obs_last_id (the last observation id ever
 *                given, so ids are never reused after a prune), obs_count,
 *                obs_min_pruned (the lowest id ever pruned: while it is
 *                above a run's high-water mark, the run's observations are
 *                intact without counting them)
 *  obs           one row per observation, the line verbatim; ids are given
 *                from meta.obs_last_id (cheaper than AUTOINCREMENT per row)
 *  idempotency   key → how many observations its request stored
 *  blobs         content-addressed inputs; `used` orders puts, so the
 *                latest of each kind survives retention while no run names
 *                it yet
 *  runs          one row per run; outcome NULL while it runs; obs_below
 *                counts the observations at or below its high-water mark
 *                when it began, so replay can tell whether any was pruned
 *  run_policies  the policies each run evaluated
 *  current_runs  for each policy, the latest completed run that evaluated
 *                it: what GET /v1/findings reads, kept up to date by
 *                run_finish and retention so reading it is a join, not a
 *                scan of history
 *  findings      each run's findings: status 0 new, 1 open, 2 resolved (a
 *                copy of the previous run's finding that is gone now)
 *  first_seen    fingerprint → when first seen; retention never prunes it
 *  alerts        status 0 pending, 1 delivered, 2 failed (st_alert_status)
 * AUTOINCREMENT where an id leaves the store (run ids, alert ids in webhook
 * ids, finding ids in cursors): a pruned id is never given again. */
static const char SCHEMA_V1[] =
  "CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
  " WITHOUT ROWID;"
  "INSERT INTO meta VALUES('obs_last_id', 0), ('obs_count', 0),"
  " ('obs_min_pruned', 9223372036854775807);"
  "CREATE TABLE obs(id INTEGER PRIMARY KEY, at REAL NOT NULL,"
  " subject TEXT NOT NULL, kind TEXT, metric TEXT, line TEXT NOT NULL);"
  "CREATE INDEX obs_subject_at ON obs(subject, at);"
  "CREATE TABLE idempotency(key TEXT PRIMARY KEY,"
  " accepted INTEGER NOT NULL, at REAL NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE blobs(hash TEXT PRIMARY KEY, kind TEXT NOT NULL,"
  " data BLOB NOT NULL, used INTEGER NOT NULL);"
  "CREATE TABLE runs(id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " suite TEXT NOT NULL, started REAL NOT NULL, clock REAL NOT NULL,"
  " finished REAL, outcome INTEGER, error TEXT,"
  " obs_high_water INTEGER NOT NULL, obs_below INTEGER NOT NULL,"
  " registry_hash TEXT, policy_hash TEXT,"
  " version TEXT, vm TEXT, n_findings INTEGER NOT NULL DEFAULT 0,"
  " n_new INTEGER NOT NULL DEFAULT 0, n_resolved INTEGER NOT NULL DEFAULT 0,"
  " n_alerts INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX runs_suite ON runs(suite, id);"
  "CREATE TABLE run_policies(run_id INTEGER NOT NULL"
  " REFERENCES runs(id) ON DELETE CASCADE, policy TEXT NOT NULL,"
  " PRIMARY KEY(run_id, policy)) WITHOUT ROWID;"
  "CREATE TABLE current_runs(policy TEXT PRIMARY KEY, run_id INTEGER"
  " NOT NULL REFERENCES runs(id) ON DELETE CASCADE) WITHOUT ROWID;"
  "CREATE TABLE findings(id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  " status INTEGER NOT NULL, policy TEXT NOT NULL, subject TEXT NOT NULL,"
  " path TEXT, key TEXT NOT NULL, severity INTEGER NOT NULL,"
  " enforcement INTEGER NOT NULL, message TEXT NOT NULL, evidence TEXT,"
  " error INTEGER NOT NULL, waiver TEXT, fingerprint TEXT NOT NULL,"
  " layer INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX findings_run ON findings(run_id, policy);"
  "CREATE TABLE first_seen(identity TEXT PRIMARY KEY, at REAL NOT NULL)"
  " WITHOUT ROWID;"
  "CREATE TABLE alerts(id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  " target INTEGER NOT NULL, status INTEGER NOT NULL,"
  " attempts INTEGER NOT NULL DEFAULT 0, next_attempt REAL NOT NULL,"
  " last_error TEXT, body TEXT NOT NULL);"
  "CREATE INDEX alerts_run ON alerts(run_id);"
  "CREATE INDEX alerts_pending ON alerts(next_attempt) WHERE status = 0;";

/* Version 2 (issue 13: lineage and model-registry webhooks). New tables:
 *  impacts          one row per announced change (an MLflow model version)
 *                   and the what-if it was judged by: status NULL while
 *                   pending, 0 completed, 1 failed; its change set, verdict,
 *                   counts and the impact report as JSON
 *  hook_deliveries  webhook delivery ids already taken (a replay is
 *                   refused), with when
 *  lineage_runs     what is known of each OpenLineage run (its job, start,
 *                   declared models, whether it ended) as JSON, so a run's
 *                   START and its end may come in different requests
 * and alerts rebuilt: an alert belongs to a run or (new) to an impact,
 * exactly one of them. The rebuild keeps every row and id, and the
 * AUTOINCREMENT high-water mark, so no alert id is ever given twice. */
static const char SCHEMA_V2[] =
  "CREATE TABLE impacts(id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " source TEXT NOT NULL, delivery TEXT, event TEXT NOT NULL,"
  " model TEXT NOT NULL, version TEXT NOT NULL, alias TEXT, name TEXT,"
  " received REAL NOT NULL, finished REAL, status INTEGER, verdict TEXT,"
  " change TEXT NOT NULL, result TEXT, error TEXT, clock REAL,"
  " obs_high_water INTEGER, registry_hash TEXT, policy_hash TEXT,"
  " n_new INTEGER NOT NULL DEFAULT 0, n_resolved INTEGER NOT NULL DEFAULT 0,"
  " n_blocking INTEGER NOT NULL DEFAULT 0,"
  " n_alerts INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX impacts_model ON impacts(model, id);"
  "CREATE INDEX impacts_pending ON impacts(id) WHERE status IS NULL;"
  "CREATE TABLE hook_deliveries(id TEXT PRIMARY KEY, source TEXT NOT NULL,"
  " at REAL NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE lineage_runs(run_id TEXT PRIMARY KEY, state TEXT NOT NULL,"
  " at REAL NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE alerts_v2(id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,"
  " impact_id INTEGER REFERENCES impacts(id) ON DELETE CASCADE,"
  " target INTEGER NOT NULL, status INTEGER NOT NULL,"
  " attempts INTEGER NOT NULL DEFAULT 0, next_attempt REAL NOT NULL,"
  " last_error TEXT, body TEXT NOT NULL,"
  " CHECK ((run_id IS NULL) <> (impact_id IS NULL)));"
  "INSERT INTO alerts_v2(id, run_id, target, status, attempts, next_attempt,"
  " last_error, body) SELECT id, run_id, target, status, attempts,"
  " next_attempt, last_error, body FROM alerts;"
  "DELETE FROM sqlite_sequence WHERE name = 'alerts_v2';"
  "INSERT INTO sqlite_sequence(name, seq) SELECT 'alerts_v2', seq"
  " FROM sqlite_sequence WHERE name = 'alerts';"
  "DROP TABLE alerts;"
  "ALTER TABLE alerts_v2 RENAME TO alerts;"
  "CREATE INDEX alerts_run ON alerts(run_id);"
  "CREATE INDEX alerts_impact ON alerts(impact_id);"
  "CREATE INDEX alerts_pending ON alerts(next_attempt) WHERE status = 0;";

/* MIGRATIONS[v] takes a store from version v to v + 1; version 0 is an
 * empty file. Version 3 is one more entry here and ST_STORE_SCHEMA 3. */
static const char *const MIGRATIONS[ST_STORE_SCHEMA] = {SCHEMA_V1,
                                                        SCHEMA_V2};

/* }=== */

/* {=== Helpers (store_internal.h) ======================================= */

sqlite3_stmt *st_store_stmt(st_store *s, int slot, const char *sql,
                            char *err, size_t errlen) {
  if (!s->q[slot]) {
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &s->q[slot], NULL);
    if (rc != SQLITE_OK) {
      st_store_dberr(s, rc, "cannot prepare a statement", err, errlen);
      return NULL;
    }
  }
  sqlite3_reset(s->q[slot]);
  return s->q[slot];
}

int st_store_dberr(st_store *s, int rc, const char *what, char *err,
                   size_t errlen) {
  int primary = rc & 0xff;
  const char *msg = sqlite3_errcode(s->db) == rc ? sqlite3_errmsg(s->db) :
                    sqlite3_errstr(rc);
  int code = primary == SQLITE_CONSTRAINT || primary == SQLITE_MISUSE ||
             primary == SQLITE_RANGE || primary == SQLITE_TOOBIG ?
             ST_EINPUT : ST_EIO;
  return st_errf(err, errlen, code, "%s: %s: %s", s->path, what, msg);
}

int st_store_finish(st_store *s, sqlite3_stmt *st, int rc, const char *what,
                    char *err, size_t errlen) {
  int out = rc == SQLITE_DONE ? ST_OK :
            st_store_dberr(s, rc, what, err, errlen);
  sqlite3_reset(st);
  return out;
}

int st_store_done(st_store *s, sqlite3_stmt *st, const char *what,
                  char *err, size_t errlen) {
  return st_store_finish(s, st, sqlite3_step(st), what, err, errlen);
}

void st_store_bind_str(sqlite3_stmt *st, int i, const char *s) {
  if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st, i);
}

const char *st_store_col_str(sqlite3_stmt *st, int i) {
  return (const char *)sqlite3_column_text(st, i);
}

static int exec_slot(st_store *s, int slot, const char *sql,
                     const char *what, char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(s, slot, sql, err, errlen);
  return st ? st_store_done(s, st, what, err, errlen) : ST_EIO;
}

int st_store_begin(st_store *s, char *err, size_t errlen) {
  return exec_slot(s, Q_BEGIN, "BEGIN IMMEDIATE", "cannot begin", err,
                   errlen);
}

int st_store_end(st_store *s, int rc, char *err, size_t errlen) {
  if (rc == ST_OK)
    rc = exec_slot(s, Q_COMMIT, "COMMIT", "cannot commit", err, errlen);
  /* SQLite may have rolled back already (SQLITE_FULL can); a ROLLBACK
   * without a transaction would only replace the error message. */
  if (rc != ST_OK && !sqlite3_get_autocommit(s->db)) {
    char ignored[64];
    exec_slot(s, Q_ROLLBACK, "ROLLBACK", "", ignored, sizeof ignored);
  }
  return rc;
}

int64_t st_store_meta(st_store *s, const char *name, char *err,
                      size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_META_GET, "SELECT value FROM meta WHERE name = ?1", err, errlen);
  if (!st) return -1;
  st_store_bind_str(st, 1, name);
  int rc = sqlite3_step(st);
  int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  if (rc != SQLITE_ROW) st_store_dberr(s, rc, "cannot read meta", err, errlen);
  sqlite3_reset(st);
  return v;
}

int st_store_meta_add(st_store *s, const char *name, int64_t by, char *err,
                      size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_META_ADD, "UPDATE meta SET value = value + ?2 WHERE name = ?1",
    err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, name);
  sqlite3_bind_int64(st, 2, by);
  return st_store_done(s, st, "cannot update meta", err, errlen);
}

void st_store_add_time(cJSON *o, const char *name, double epoch) {
  char ts[40];
  st_time_format(epoch, ts, sizeof ts);
  cJSON_AddStringToObject(o, name, ts);
}

sqlite3 *st_store_db(st_store *s) { return s->db; }

/* }=== */

/* {=== Open ============================================================= */

/* One integer from a constant query (a PRAGMA or a count). */
static int query_int(st_store *s, const char *sql, int64_t *out, char *err,
                     size_t errlen) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
  int out_rc = rc == SQLITE_ROW ? ST_OK :
               st_store_dberr(s, rc, "cannot read the schema", err, errlen);
  sqlite3_finalize(st);
  return out_rc;
}

/* Reads what the file is, before anything writes to it: a file that is not
 * a store at all, or a newer one, is refused untouched. *version is the
 * schema to migrate from (0: an empty file to create the store in). */
static int check_file(st_store *s, int64_t *version, char *err,
                      size_t errlen) {
  int64_t app = 0, tables = 0;
  int rc = query_int(s, "PRAGMA application_id", &app, err, errlen);
  if (rc == ST_OK) rc = query_int(s, "PRAGMA user_version", version, err,
                                  errlen);
  if (rc == ST_OK)
    rc = query_int(s, "SELECT count(*) FROM sqlite_master", &tables, err,
                   errlen);
  if (rc != ST_OK) {
    if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_NOTADB)
      return st_errf(err, errlen, ST_EINPUT,
                     "%s: not a steward store: file is not a database",
                     s->path);
    return rc;
  }
  if (app == 0 && *version == 0 && tables == 0) return ST_OK;
  if (app != STORE_APP_ID)
    return st_errf(err, errlen, ST_EINPUT, "%s: not a steward store: a "
                   "SQLite database of another application (application_id "
                   "%lld)", s->path, (long long)app);
  if (*version > ST_STORE_SCHEMA)
    return st_errf(err, errlen, ST_EINPUT, "%s: store schema %lld is newer "
                   "than this steward knows (%d); use a newer steward",
                   s->path, (long long)*version, ST_STORE_SCHEMA);
  return ST_OK;
}

static int exec_sql(st_store *s, const char *sql, const char *what,
                    char *err, size_t errlen) {
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? ST_OK : st_store_dberr(s, rc, what, err, errlen);
}

/* One step of MIGRATIONS in one transaction, stamped with its version.
 * The version is read again under the write lock: another process may
 * have migrated the file since check_file. */
static int migrate_step(st_store *s, int64_t v, char *err, size_t errlen) {
  int64_t now_v = 0;
  int rc = st_store_begin(s, err, errlen);
  if (rc) return rc;
  rc = query_int(s, "PRAGMA user_version", &now_v, err, errlen);
  if (rc == ST_OK && now_v == v) {
    char stamp[96];
    /* PRAGMAs take no parameters; both numbers are our constants. */
    snprintf(stamp, sizeof stamp, "PRAGMA application_id = %d;"
             "PRAGMA user_version = %lld;", STORE_APP_ID, (long long)v + 1);
    rc = exec_sql(s, MIGRATIONS[v], "cannot migrate the schema", err, errlen);
    if (rc == ST_OK)
      rc = exec_sql(s, stamp, "cannot stamp the schema", err, errlen);
  }
  return st_store_end(s, rc, err, errlen);
}

/* Per-connection settings, then the file's own journal mode (WAL persists
 * in the file once set). A 64 MiB page cache: the (subject, at) index takes
 * inserts all over the tree, and with SQLite's 2 MiB default every insert
 * into a store of a few hundred thousand rows reads its pages from the
 * kernel again. */
static int configure(st_store *s, char *err, size_t errlen) {
  int rc = exec_sql(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"
                    "PRAGMA journal_size_limit = 67108864;"
                    "PRAGMA cache_size = -65536",
                    "cannot configure the connection", err, errlen);
  if (rc || s->read_only) return rc;
  char mode[16] = "";
  sqlite3_stmt *st;
  int src = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st,
                               NULL);
  if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
    snprintf(mode, sizeof mode, "%s", sqlite3_column_text(st, 0));
  if (src != SQLITE_ROW)
    rc = st_store_dberr(s, src, "cannot switch to WAL", err, errlen);
  else if (strcmp(mode, "wal") != 0)
    rc = st_errf(err, errlen, ST_EIO, "%s: cannot switch to WAL (journal "
                 "mode stays %s)", s->path, mode);
  sqlite3_finalize(st);
  return rc;
}

static int open_db(st_store *s, char *err, size_t errlen) {
  int flags = (s->read_only ? SQLITE_OPEN_READONLY :
               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;    /* one thread at a time (store.h) */
  int rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
  if (rc != SQLITE_OK)
    return s->db ? st_store_dberr(s, rc, "cannot open the store", err, errlen)
                 : st_errf(err, errlen, ST_EIO, "%s: cannot open the store",
                           s->path);
  sqlite3_extended_result_codes(s->db, 1);
  /* Before the first read: another process may be creating the store. */
  sqlite3_busy_timeout(s->db, 5000);
  int64_t version = 0;
  if ((rc = check_file(s, &version, err, errlen))) return rc;
  if (version < ST_STORE_SCHEMA && s->read_only)
    return st_errf(err, errlen, ST_EINPUT, "%s: %s", s->path, version ?
                   "the store needs a migration: open it read-write once" :
                   "not a steward store: the database is empty");
  if ((rc = configure(s, err, errlen))) return rc;
  for (int64_t v = version; v < ST_STORE_SCHEMA && !rc; v++)
    rc = migrate_step(s, v, err, errlen);
  return rc;
}

int st_store_open(const char *path, int read_only, st_store **out, char *err,
                  size_t errlen) {
  struct stat sb;
  *out = NULL;
  /* Said here because SQLite's own message is only "unable to open". */
  if (read_only && stat(path, &sb) != 0)
    return st_errf(err, errlen, ST_EIO, "%s: cannot open the store: %s",
                   path, strerror(errno));
  st_store *s = st_xcalloc(1, sizeof *s);
  s->path = st_xstrdup(path);
  s->read_only = read_only;
  int rc = open_db(s, err, errlen);
  if (rc) {
    st_store_close(s);
    return rc;
  }
  *out = s;
  return ST_OK;
}

void st_store_close(st_store *s) {
  if (!s) return;
  for (int i = 0; i < Q_COUNT; i++) sqlite3_finalize(s->q[i]);
  sqlite3_close(s->db);
  free(s->path);
  free(s);
}

/* }=== */

/* {=== Blobs ============================================================ */

static void sha256_hex(const void *data, size_t len, char hash[65]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  static const char hex[] = "0123456789abcdef";
  if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL)) abort();
  for (unsigned i = 0; i < 32; i++) {
    hash[2 * i] = hex[md[i] >> 4];
    hash[2 * i + 1] = hex[md[i] & 15];
  }
  hash[64] = '\0';
}

int st_store_blob_put(st_store *s, const char *kind, const void *data,
                      size_t len, char hash[65], char *err, size_t errlen) {
  if (len > INT_MAX)
    return st_errf(err, errlen, ST_EINPUT, "%s: a blob of %zu bytes is too "
                   "large", s->path, len);
  sha256_hex(len ? data : "", len, hash);
  /* A known hash stores nothing again; it only becomes the latest put. */
  sqlite3_stmt *st = st_store_stmt(
    s, Q_BLOB_PUT, "INSERT INTO blobs(hash, kind, data, used) VALUES(?1, ?2,"
    " ?3, (SELECT coalesce(max(used), 0) + 1 FROM blobs))"
    " ON CONFLICT(hash) DO UPDATE SET used = excluded.used", err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, hash);
  st_store_bind_str(st, 2, kind);
  /* A NULL pointer would bind SQL NULL; "" binds an empty blob. */
  sqlite3_bind_blob(st, 3, len ? data : "", (int)len, SQLITE_STATIC);
  return st_store_done(s, st, "cannot store a blob", err, errlen);
}

int st_store_blob_get(st_store *s, const char *hash, char **data,
                      size_t *len, char *err, size_t errlen) {
  *data = NULL;
  *len = 0;
  sqlite3_stmt *st = st_store_stmt(
    s, Q_BLOB_GET, "SELECT data FROM blobs WHERE hash = ?1", err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, hash);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    const void *p = sqlite3_column_blob(st, 0);
    *data = st_xmalloc(n + 1);
    if (n) memcpy(*data, p, n);
    (*data)[n] = '\0';
    *len = n;
    sqlite3_reset(st);
    return ST_OK;
  }
  if (rc == SQLITE_DONE) {
    sqlite3_reset(st);
    return st_errf(err, errlen, ST_EINPUT, "%s: no blob %s (never stored, "
                   "or past retention)", s->path, hash);
  }
  return st_store_finish(s, st, rc, "cannot read a blob", err, errlen);
}

/* }=== */

/* {=== Observations ===================================================== */

/* *accepted of an earlier request with this key, or -1 when it is new. */
static int idem_lookup(st_store *s, const char *key, int64_t *accepted,
                       char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_IDEM_GET, "SELECT accepted FROM idempotency WHERE key = ?1", err,
    errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, key);
  int rc = sqlite3_step(st);
  *accepted = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  return st_store_finish(s, st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
                         "cannot read an idempotency key", err, errlen);
}

/* Inserts v[0..n) with ids first, first + 1, ...: one reused statement. */
static int obs_insert(st_store *s, const st_store_obs *v, size_t n,
                      int64_t first, char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_OBS_INSERT, "INSERT INTO obs(id, at, subject, kind, metric, line)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", err, errlen);
  if (!st) return ST_EIO;
  for (size_t i = 0; i < n; i++) {
    if (v[i].len > INT_MAX)
      return st_errf(err, errlen, ST_EINPUT, "%s: an observation of %zu "
                     "bytes is too large", s->path, v[i].len);
    sqlite3_bind_int64(st, 1, first + (int64_t)i);
    sqlite3_bind_double(st, 2, v[i].at);
    st_store_bind_str(st, 3, v[i].subject);
    st_store_bind_str(st, 4, v[i].kind);
    st_store_bind_str(st, 5, v[i].metric);
    sqlite3_bind_text(st, 6, v[i].line, (int)v[i].len, SQLITE_STATIC);
    int rc = st_store_done(s, st, "cannot store an observation", err, errlen);
    if (rc) return rc;
  }
  return ST_OK;
}

int st_store_obs_put(st_store *s, const st_store_obs *v, size_t n, char *err,
                     size_t errlen) {
  int64_t last = st_store_meta(s, "obs_last_id", err, errlen);
  if (last < 0) return ST_EIO;
  int rc;
  if ((rc = obs_insert(s, v, n, last + 1, err, errlen)) ||
      (rc = st_store_meta_add(s, "obs_last_id", (int64_t)n, err, errlen)) ||
      (rc = st_store_meta_add(s, "obs_count", (int64_t)n, err, errlen)))
    return rc;
  return ST_OK;
}

static int obs_add_txn(st_store *s, const st_store_obs *v, size_t n,
                       const char *key, double now, size_t *accepted,
                       int *duplicate, char *err, size_t errlen) {
  int64_t before = -1;
  int rc = key ? idem_lookup(s, key, &before, err, errlen) : ST_OK;
  if (rc) return rc;
  if (before >= 0) {
    *duplicate = 1;
    *accepted = (size_t)before;
    return ST_OK;
  }
  if ((rc = st_store_obs_put(s, v, n, err, errlen))) return rc;
  if (key) {
    sqlite3_stmt *st = st_store_stmt(
      s, Q_IDEM_PUT, "INSERT INTO idempotency(key, accepted, at)"
      " VALUES(?1, ?2, ?3)", err, errlen);
    if (!st) return ST_EIO;
    st_store_bind_str(st, 1, key);
    sqlite3_bind_int64(st, 2, (int64_t)n);
    sqlite3_bind_double(st, 3, now);
    rc = st_store_done(s, st, "cannot store an idempotency key", err, errlen);
  }
  return rc;
}

int st_store_obs_add(st_store *s, const st_store_obs *v, size_t n,
                     const char *idempotency_key, double now,
                     size_t *accepted, int *duplicate, char *err,
                     size_t errlen) {
  size_t got = 0;
  int dup = 0;
  *accepted = 0;
  *duplicate = 0;
  int rc = st_store_begin(s, err, errlen);
  if (rc) return rc;
  rc = obs_add_txn(s, v, n, idempotency_key, now, &got, &dup, err, errlen);
  /* A duplicate wrote nothing; committing its read-only transaction is
   * as cheap as rolling it back. */
  rc = st_store_end(s, rc, err, errlen);
  if (rc) return rc;
  *accepted = dup ? got : n;
  *duplicate = dup;
  return ST_OK;
}

int64_t st_store_obs_high_water(st_store *s) {
  char err[ST_ERRLEN];
  return st_store_meta(s, "obs_last_id", err, sizeof err);
}

int64_t st_store_obs_count(st_store *s) {
  char err[ST_ERRLEN];
  return st_store_meta(s, "obs_count", err, sizeof err);
}

int st_store_obs_load(st_store *s, int64_t upto, st_obsset *out, char *err,
                      size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_OBS_LOAD, "SELECT id, line FROM obs WHERE id <= ?1 ORDER BY id",
    err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, upto);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(st, 0);
    const char *line = st_store_col_str(st, 1);
    size_t len = (size_t)sqlite3_column_bytes(st, 1);
    /* Lines were validated before they were stored; an error here means
     * the file was changed behind the store's back. */
    if (st_obs_add_line(out, line, len, s->path,
                        id > INT_MAX ? INT_MAX : (int)id, err, errlen)) {
      sqlite3_reset(st);
      return ST_EIO;
    }
  }
  return st_store_finish(s, st, rc, "cannot load observations", err, errlen);
}

/* {"id": id, ...the stored record}: a member "id" of the record itself
 * gives way to the store's, so the object has no duplicate key. */
static cJSON *obs_json(int64_t id, const char *line, size_t len) {
  cJSON *rec = cJSON_ParseWithLength(line, len);
  if (!cJSON_IsObject(rec)) {
    cJSON_Delete(rec);
    return NULL;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)id);
  while (rec->child) {
    cJSON *item = cJSON_DetachItemViaPointer(rec, rec->child);
    if (item->string && !strcmp(item->string, "id")) cJSON_Delete(item);
    else cJSON_AddItemToArray(o, item);   /* keeps item->string as its key */
  }
  cJSON_Delete(rec);
  return o;
}

/* Binds q's filters; `at` bounds that are 0 become unbounded. */
static void obs_bind(sqlite3_stmt *st, const st_obs_query *q) {
  st_store_bind_str(st, 1, q->subject);
  st_store_bind_str(st, 2, q->metric);
  st_store_bind_str(st, 3, q->kind);
  sqlite3_bind_double(st, 4, q->since != 0 ? q->since : -1e308);
  sqlite3_bind_double(st, 5, q->until != 0 ? q->until : 1e308);
  sqlite3_bind_int64(st, 6, q->after);
  sqlite3_bind_int64(st, 7, (int64_t)q->limit + 1);  /* one more: is there
                                                      * a next page? */
}

/* With a subject the (subject, at) index narrows the rows; without one the
 * id order is the scan. The optional filters stay in both. */
static const char OBS_QUERY_SUBJECT[] =
  "SELECT id, line FROM obs WHERE subject = ?1 AND at >= ?4 AND at < ?5"
  " AND id > ?6 AND (?2 IS NULL OR metric = ?2)"
  " AND (?3 IS NULL OR kind = ?3) ORDER BY id LIMIT ?7";
static const char OBS_QUERY_ALL[] =
  "SELECT id, line FROM obs WHERE id > ?6 AND at >= ?4 AND at < ?5"
  " AND (?1 IS NULL OR subject = ?1) AND (?2 IS NULL OR metric = ?2)"
  " AND (?3 IS NULL OR kind = ?3) ORDER BY id LIMIT ?7";

int st_store_obs_query(st_store *s, const st_obs_query *q, cJSON *out,
                       int64_t *next, char *err, size_t errlen) {
  *next = 0;
  if (q->limit < 1 || q->limit > 10000)
    return st_errf(err, errlen, ST_EINPUT, "limit must be between 1 and "
                   "10000, not %zu", q->limit);
  if (q->after < 0)
    return st_errf(err, errlen, ST_EINPUT, "bad cursor %lld",
                   (long long)q->after);
  sqlite3_stmt *st = q->subject ?
    st_store_stmt(s, Q_OBS_QUERY_SUBJECT, OBS_QUERY_SUBJECT, err, errlen) :
    st_store_stmt(s, Q_OBS_QUERY_ALL, OBS_QUERY_ALL, err, errlen);
  if (!st) return ST_EIO;
  obs_bind(st, q);
  size_t n = 0;
  int64_t last = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == q->limit) {        /* the extra row: there is a next page */
      *next = last;
      rc = SQLITE_DONE;
      break;
    }
    last = sqlite3_column_int64(st, 0);
    cJSON *o = obs_json(last, st_store_col_str(st, 1),
                        (size_t)sqlite3_column_bytes(st, 1));
    if (!o) {
      sqlite3_reset(st);
      return st_errf(err, errlen, ST_EIO, "%s: stored observation %lld is "
                     "not a JSON object", s->path, (long long)last);
    }
    cJSON_AddItemToArray(out, o);
    n++;
  }
  return st_store_finish(s, st, rc, "cannot query observations", err,
                         errlen);
}

/* }=== */
