/* store_impacts.c - see store.h: what lineage and model-registry webhooks
 * leave in the store. Lineage runs (what is known of each OpenLineage run,
 * stored with the observations it made), webhook delivery ids (a replay is
 * refused), and impacts (an announced change, its what-if and its alerts).
 * The schema (version 2) is described in store.c. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

/* {=== Lineage runs and deliveries ====================================== */

int st_store_lineage_run_get(st_store *s, const char *run_id, char **state,
                             char *err, size_t errlen) {
  *state = NULL;
  sqlite3_stmt *st = st_store_stmt(
    s, Q_LINEAGE_GET, "SELECT state FROM lineage_runs WHERE run_id = ?1", err,
    errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, run_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *state = st_xstrdup(st_store_col_str(st, 0));
  return st_store_finish(s, st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
                         "cannot read a lineage run", err, errlen);
}

static int lineage_put(st_store *s, const char *run_id, const char *state,
                       double now, char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_LINEAGE_PUT, "INSERT INTO lineage_runs(run_id, state, at)"
    " VALUES(?1, ?2, ?3) ON CONFLICT(run_id) DO UPDATE SET"
    " state = excluded.state, at = excluded.at", err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, run_id);
  st_store_bind_str(st, 2, state);
  sqlite3_bind_double(st, 3, now);
  return st_store_done(s, st, "cannot store a lineage run", err, errlen);
}

int st_store_lineage_add(st_store *s, const st_store_obs *v, size_t n,
                         const char *const *run_ids,
                         const char *const *states, size_t nruns, double now,
                         char *err, size_t errlen) {
  int rc = st_store_begin(s, err, errlen);
  if (rc) return rc;
  if (n) rc = st_store_obs_put(s, v, n, err, errlen);
  for (size_t i = 0; i < nruns && !rc; i++)
    rc = lineage_put(s, run_ids[i], states[i], now, err, errlen);
  return st_store_end(s, rc, err, errlen);
}

/* In the caller's transaction: *seen when the id was taken before. */
static int delivery_put(st_store *s, const char *source, const char *id,
                        double now, int *seen, char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_DELIVERY_PUT, "INSERT INTO hook_deliveries(id, source, at)"
    " VALUES(?1, ?2, ?3) ON CONFLICT(id) DO NOTHING", err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, id);
  st_store_bind_str(st, 2, source);
  sqlite3_bind_double(st, 3, now);
  int rc = st_store_done(s, st, "cannot store a delivery id", err, errlen);
  *seen = rc == ST_OK && sqlite3_changes(s->db) == 0;
  return rc;
}

int st_store_delivery_add(st_store *s, const char *source, const char *id,
                          double now, int *seen, char *err, size_t errlen) {
  *seen = 0;
  int rc = st_store_begin(s, err, errlen);
  if (!rc) rc = delivery_put(s, source, id, now, seen, err, errlen);
  return st_store_end(s, rc, err, errlen);
}

/* }=== */

/* {=== Impacts ========================================================== */

int st_store_impact_begin(st_store *s, const st_impact_record *r,
                          int64_t *id, int *seen, char *err, size_t errlen) {
  *id = 0;
  *seen = 0;
  int rc = st_store_begin(s, err, errlen);
  if (!rc && r->delivery)
    rc = delivery_put(s, r->source, r->delivery, r->received, seen, err,
                      errlen);
  if (!rc && !*seen) {
    sqlite3_stmt *st = st_store_stmt(
      s, Q_IMPACT_BEGIN, "INSERT INTO impacts(source, delivery, event, model,"
      " version, alias, name, received, change) VALUES(?1, ?2, ?3, ?4, ?5,"
      " ?6, ?7, ?8, ?9)", err, errlen);
    if (!st) {
      rc = ST_EIO;
    } else {
      st_store_bind_str(st, 1, r->source);
      st_store_bind_str(st, 2, r->delivery);
      st_store_bind_str(st, 3, r->event);
      st_store_bind_str(st, 4, r->model);
      st_store_bind_str(st, 5, r->version);
      st_store_bind_str(st, 6, r->alias);
      st_store_bind_str(st, 7, r->name);
      sqlite3_bind_double(st, 8, r->received);
      st_store_bind_str(st, 9, r->change);
      rc = st_store_done(s, st, "cannot record an impact", err, errlen);
      if (!rc) *id = sqlite3_last_insert_rowid(s->db);
    }
  }
  rc = st_store_end(s, rc, err, errlen);
  if (rc) *id = 0;
  return rc;
}

/* ST_EINPUT unless impact id exists and is pending. */
static int impact_pending(st_store *s, int64_t id, char *err, size_t errlen) {
  sqlite3_stmt *st = st_store_stmt(
    s, Q_IMPACT_STATE, "SELECT status IS NULL FROM impacts WHERE id = ?1", err,
    errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
  int pending = found && sqlite3_column_int(st, 0);
  if ((rc = st_store_finish(s, st, found ? SQLITE_DONE : rc,
                            "cannot read an impact", err, errlen)))
    return rc;
  if (!found) return st_errf(err, errlen, ST_EINPUT, "no impact %lld",
                             (long long)id);
  return pending ? ST_OK : st_errf(err, errlen, ST_EINPUT, "impact %lld has "
                                   "already ended", (long long)id);
}

/* One alert per target, the first rule of each target that the severity
 * reaches. */
static int impact_alerts(st_store *s, int64_t id, const st_impact_result *r,
                         size_t *alerts, char *err, size_t errlen) {
  for (size_t k = 0; r->alert && k < r->nrules; k++) {
    const st_alert_rule *rule = &r->rules[k];
    size_t j = 0;
    while (j < k && !(r->rules[j].target == rule->target &&
                      r->alert_severity >= r->rules[j].min_severity))
      j++;
    if (j < k || r->alert_severity < rule->min_severity) continue;
    cJSON *body = cJSON_CreateObject();    /* "impact" first, then r's */
    cJSON_AddNumberToObject(body, "impact", (double)id);
    for (const cJSON *x = r->alert->child; x; x = x->next)
      cJSON_AddItemToObject(body, x->string, cJSON_Duplicate(x, 1));
    int rc = st_store_alert_put(s, 0, id, rule->target, r->finished, body,
                                err, errlen);
    cJSON_Delete(body);
    if (rc) return rc;
    (*alerts)++;
  }
  return ST_OK;
}

int st_store_impact_finish(st_store *s, int64_t id, const st_impact_result *r,
                           size_t *alerts, char *err, size_t errlen) {
  *alerts = 0;
  int rc = st_store_begin(s, err, errlen);
  if (!rc) rc = impact_pending(s, id, err, errlen);
  if (!rc && !r->failed) rc = impact_alerts(s, id, r, alerts, err, errlen);
  sqlite3_stmt *st = rc ? NULL : st_store_stmt(
    s, Q_IMPACT_END, "UPDATE impacts SET finished = ?2, status = ?3,"
    " verdict = ?4, result = ?5, error = ?6, clock = ?7,"
    " obs_high_water = ?8, registry_hash = ?9, policy_hash = ?10,"
    " n_new = ?11, n_resolved = ?12, n_blocking = ?13, n_alerts = ?14"
    " WHERE id = ?1", err, errlen);
  if (!rc && !st) rc = ST_EIO;
  if (!rc) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_double(st, 2, r->finished);
    sqlite3_bind_int(st, 3, r->failed ? 1 : 0);
    st_store_bind_str(st, 4, r->failed ? NULL : r->verdict);
    st_store_bind_str(st, 5, r->result);
    st_store_bind_str(st, 6, r->error);
    sqlite3_bind_double(st, 7, r->clock);
    sqlite3_bind_int64(st, 8, r->obs_high_water);
    st_store_bind_str(st, 9, r->registry_hash);
    st_store_bind_str(st, 10, r->policy_hash);
    sqlite3_bind_int64(st, 11, (int64_t)r->new_findings);
    sqlite3_bind_int64(st, 12, (int64_t)r->resolved);
    sqlite3_bind_int64(st, 13, (int64_t)r->new_blocking);
    sqlite3_bind_int64(st, 14, (int64_t)*alerts);
    rc = st_store_done(s, st, "cannot finish an impact", err, errlen);
  }
  rc = st_store_end(s, rc, err, errlen);
  if (rc) *alerts = 0;
  return rc;
}

/* }=== */

/* {=== Reading impacts back ============================================= */

#define IMPACT_COLS "id, source, delivery, event, model, version, alias," \
                    " name, received, finished, status, verdict, n_new," \
                    " n_resolved, n_blocking, n_alerts, error"

static void add_str(cJSON *o, const char *key, const char *v) {
  if (v) cJSON_AddStringToObject(o, key, v);
  else cJSON_AddNullToObject(o, key);
}

/* An impact as the list shows it, from IMPACT_COLS. */
static cJSON *impact_json(sqlite3_stmt *st) {
  static const char *const keys[] = {"source", "delivery", "event", "model",
                                     "version", "alias", "name"};
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
  for (int i = 0; i < 7; i++) add_str(o, keys[i], st_store_col_str(st, 1 + i));
  st_store_add_time(o, "received", sqlite3_column_double(st, 8));
  if (sqlite3_column_type(st, 9) == SQLITE_NULL)
    cJSON_AddNullToObject(o, "finished");
  else st_store_add_time(o, "finished", sqlite3_column_double(st, 9));
  int status = sqlite3_column_type(st, 10) == SQLITE_NULL ? -1 :
               sqlite3_column_int(st, 10);
  cJSON_AddStringToObject(o, "status", status < 0 ? "pending" : status ?
                          "failed" : "completed");
  add_str(o, "verdict", st_store_col_str(st, 11));
  cJSON *n = cJSON_AddObjectToObject(o, "counts");
  static const char *const names[] = {"new", "resolved", "blocking",
                                      "alerts"};
  for (int i = 0; i < 4; i++)
    cJSON_AddNumberToObject(n, names[i],
                            (double)sqlite3_column_int64(st, 12 + i));
  if (st_store_col_str(st, 16))
    cJSON_AddStringToObject(o, "error", st_store_col_str(st, 16));
  return o;
}

static const char IMPACT_LIST_ALL[] =
  "SELECT " IMPACT_COLS " FROM impacts WHERE id < ?2 ORDER BY id DESC"
  " LIMIT ?3";
static const char IMPACT_LIST_MODEL[] =
  "SELECT " IMPACT_COLS " FROM impacts WHERE model = ?1 AND id < ?2"
  " ORDER BY id DESC LIMIT ?3";

int st_store_impacts_list(st_store *s, const char *model, int64_t before,
                          size_t limit, cJSON *out, int64_t *next, char *err,
                          size_t errlen) {
  *next = 0;
  if (limit < 1 || limit > 10000)
    return st_errf(err, errlen, ST_EINPUT, "limit must be between 1 and "
                   "10000, not %zu", limit);
  if (before < 0)
    return st_errf(err, errlen, ST_EINPUT, "bad cursor %lld",
                   (long long)before);
  sqlite3_stmt *st = model ?
    st_store_stmt(s, Q_IMPACT_LIST_MODEL, IMPACT_LIST_MODEL, err, errlen) :
    st_store_stmt(s, Q_IMPACT_LIST_ALL, IMPACT_LIST_ALL, err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, model);
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
    cJSON_AddItemToArray(out, impact_json(st));
  }
  return st_store_finish(s, st, rc, "cannot list impacts", err, errlen);
}

/* A stored JSON column, parsed; JSON null when it is NULL or unreadable. */
static cJSON *json_col(sqlite3_stmt *st, int i) {
  const char *text = st_store_col_str(st, i);
  cJSON *j = text ? cJSON_Parse(text) : NULL;
  return j ? j : cJSON_CreateNull();
}

int st_store_impact_get(st_store *s, int64_t id, cJSON **out, char *err,
                        size_t errlen) {
  *out = NULL;
  sqlite3_stmt *st = st_store_stmt(
    s, Q_IMPACT_GET, "SELECT " IMPACT_COLS ", change, result, clock,"
    " obs_high_water, registry_hash, policy_hash FROM impacts WHERE id = ?1",
    err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(st);
    return rc == SQLITE_DONE ?
      st_errf(err, errlen, ST_EINPUT, "no impact %lld", (long long)id) :
      st_store_dberr(s, rc, "cannot read an impact", err, errlen);
  }
  cJSON *o = impact_json(st);
  cJSON_AddItemToObject(o, "change", json_col(st, 17));
  cJSON *in = cJSON_AddObjectToObject(o, "inputs");
  if (sqlite3_column_type(st, 19) == SQLITE_NULL)
    cJSON_AddNullToObject(in, "clock");
  else st_store_add_time(in, "clock", sqlite3_column_double(st, 19));
  if (sqlite3_column_type(st, 20) == SQLITE_NULL)
    cJSON_AddNullToObject(in, "obs_high_water");
  else cJSON_AddNumberToObject(in, "obs_high_water",
                               (double)sqlite3_column_int64(st, 20));
  add_str(in, "registry_hash", st_store_col_str(st, 21));
  add_str(in, "policy_hash", st_store_col_str(st, 22));
  cJSON_AddItemToObject(o, "impact", json_col(st, 18));
  sqlite3_reset(st);
  *out = o;
  return ST_OK;
}

int st_store_impacts_pending(st_store *s, int64_t **ids, size_t *n, char *err,
                             size_t errlen) {
  *ids = NULL;
  *n = 0;
  sqlite3_stmt *st = st_store_stmt(
    s, Q_IMPACT_PENDING, "SELECT id FROM impacts WHERE status IS NULL"
    " ORDER BY id", err, errlen);
  if (!st) return ST_EIO;
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    st_grow((void **)ids, &cap, *n + 1, sizeof **ids);
    (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
  }
  rc = st_store_finish(s, st, rc, "cannot read pending impacts", err, errlen);
  if (rc) {
    free(*ids);
    *ids = NULL;
    *n = 0;
  }
  return rc;
}

/* }=== */

/* {=== Retention ======================================================== */

/* Impacts that ended before cutoff (their settled alerts by cascade; one
 * with a pending alert is kept), delivery ids and lineage runs as old. A
 * delivery older than any MLflow would retry (its timestamp is refused
 * after 5 minutes) is safe to forget; a lineage run that old has ended or
 * never will. */
int st_store_prune_impacts(st_store *s, double cutoff, char *err,
                           size_t errlen) {
  static const struct { int slot; const char *sql; } q[] = {
    {Q_PRUNE_IMPACTS, "DELETE FROM impacts WHERE finished < ?1"
     " AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.impact_id ="
     " impacts.id AND a.status = 0)"},
    {Q_PRUNE_DELIVERIES, "DELETE FROM hook_deliveries WHERE at < ?1"},
    {Q_PRUNE_LINEAGE, "DELETE FROM lineage_runs WHERE at < ?1"},
  };
  int rc = st_store_begin(s, err, errlen);
  for (size_t i = 0; i < sizeof q / sizeof *q && !rc; i++) {
    sqlite3_stmt *st = st_store_stmt(s, q[i].slot, q[i].sql, err, errlen);
    if (!st) {
      rc = ST_EIO;
      break;
    }
    sqlite3_bind_double(st, 1, cutoff);
    rc = st_store_done(s, st, "cannot prune impacts", err, errlen);
  }
  return st_store_end(s, rc, err, errlen);
}

/* }=== */
