/* store_runs.c - see store.h: beginning and finishing runs, which marks
 * their findings new, open or resolved, keeps first_seen and makes the
 * run's alerts, all in one transaction. The schema is described in
 * store.c; reading runs and findings back is store_query.c. */
#include "store_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* {=== Begin ============================================================ */

/* obs_below is counted as all stored minus those above the high-water
 * mark: the few that arrived since the caller read it, not the history. */
int st_store_run_begin(st_store *s, const st_run_record *r, int64_t *id,
                       char *err, size_t errlen) {
  *id = 0;
  sqlite3_stmt *st = st_store_stmt(
    s, Q_RUN_BEGIN, "INSERT INTO runs(suite, started, clock, obs_high_water,"
    " obs_below, registry_hash, policy_hash, version, vm)"
    " VALUES(?1, ?2, ?3, ?4, (SELECT value FROM meta WHERE name ="
    " 'obs_count') - (SELECT count(*) FROM obs WHERE id > ?4),"
    " ?5, ?6, ?7, ?8)", err, errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, r->suite);
  sqlite3_bind_double(st, 2, r->started);
  sqlite3_bind_double(st, 3, r->clock);
  sqlite3_bind_int64(st, 4, r->obs_high_water);
  st_store_bind_str(st, 5, r->registry_hash);
  st_store_bind_str(st, 6, r->policy_hash);
  st_store_bind_str(st, 7, r->version);
  st_store_bind_str(st, 8, r->vm);
  int rc = st_store_done(s, st, "cannot record a run", err, errlen);
  if (rc == ST_OK) *id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

/* }=== */

/* {=== Finish =========================================================== */

/* A finding and its place in its list, sorted by identity then place: the
 * sorted merge of diff_findings in impact.c, so equal identities pair up
 * as a multiset, first with first. */
typedef struct {
  const st_finding *f;
  size_t pos;
} ident_ref;

static int ident_ref_cmp(const void *a, const void *b) {
  const ident_ref *x = a, *y = b;
  int c = st_finding_identity_cmp(x->f, y->f);
  return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Caller frees. */
static ident_ref *sorted_refs(const st_findings *l) {
  ident_ref *v = st_xmalloc((l->n ? l->n : 1) * sizeof *v);
  for (size_t i = 0; i < l->n; i++) v[i] = (ident_ref){&l->v[i], i};
  if (l->n > 1) qsort(v, l->n, sizeof *v, ident_ref_cmp);
  return v;
}

typedef struct {
  st_store *s;
  int64_t run;
  char *suite;                  /* owned */
  double started;
  const st_run_result *r;
  const st_findings *now;       /* r->findings, or an empty list */
  st_run_counts *counts;
  char *err;
  size_t errlen;
  /* The diff: */
  st_findings prev;             /* identities of the previous run's */
  int64_t *prev_ids;            /* their rows */
  unsigned char *is_new;        /* per finding of now */
  char (*fps)[ST_FINGERPRINT_LEN + 1];   /* per finding of now */
} finish_ctx;

/* The run's suite and start; ST_EINPUT when unknown or finished. */
static int run_state(finish_ctx *c) {
  sqlite3_stmt *st = st_store_stmt(
    c->s, Q_RUN_STATE, "SELECT suite, started, outcome IS NOT NULL FROM runs"
    " WHERE id = ?1", c->err, c->errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, c->run);
  int rc = sqlite3_step(st), done = 0;
  if (rc == SQLITE_ROW) {
    c->suite = st_xstrdup(st_store_col_str(st, 0));
    c->started = sqlite3_column_double(st, 1);
    done = sqlite3_column_int(st, 2);
    rc = SQLITE_DONE;
  } else if (rc == SQLITE_DONE) {
    sqlite3_reset(st);
    return st_errf(c->err, c->errlen, ST_EINPUT, "no run %lld",
                   (long long)c->run);
  }
  if ((rc = st_store_finish(c->s, st, rc, "cannot read a run", c->err,
                            c->errlen)))
    return rc;
  return done ? st_errf(c->err, c->errlen, ST_EINPUT, "run %lld has "
                        "already finished", (long long)c->run) : ST_OK;
}

/* The identities of the suite's latest completed run before this one. */
static int load_prev(finish_ctx *c) {
  sqlite3_stmt *st = st_store_stmt(
    c->s, Q_RUN_PREV, "SELECT max(id) FROM runs WHERE suite = ?1"
    " AND outcome = 0 AND id < ?2", c->err, c->errlen);
  if (!st) return ST_EIO;
  st_store_bind_str(st, 1, c->suite);
  sqlite3_bind_int64(st, 2, c->run);
  int rc = sqlite3_step(st);
  int64_t prev = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  if ((rc = st_store_finish(c->s, st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
                            "cannot find the previous run", c->err,
                            c->errlen)) || !prev)
    return rc;
  if (!(st = st_store_stmt(c->s, Q_FINDING_IDENT, "SELECT id, policy,"
                           " subject, path, key FROM findings WHERE run_id ="
                           " ?1 AND status < 2 ORDER BY id", c->err,
                           c->errlen)))
    return ST_EIO;
  sqlite3_bind_int64(st, 1, prev);
  size_t cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    st_finding *f = st_findings_add(&c->prev, st_store_col_str(st, 1),
                                    st_store_col_str(st, 2), 0, 0, "",
                                    st_store_col_str(st, 3), NULL);
    const char *key = st_store_col_str(st, 4);
    f->key = key && *key ? st_xstrdup(key) : NULL;
    st_grow((void **)&c->prev_ids, &cap, c->prev.n, sizeof *c->prev_ids);
    c->prev_ids[c->prev.n - 1] = sqlite3_column_int64(st, 0);
  }
  return st_store_finish(c->s, st, rc, "cannot read the previous findings",
                         c->err, c->errlen);
}

/* Marks c->is_new and c->prev_ids (0: still present) by a sorted merge;
 * returns the number resolved. */
static size_t diff(finish_ctx *c) {
  ident_ref *a = sorted_refs(&c->prev), *b = sorted_refs(c->now);
  size_t i = 0, j = 0, resolved = 0;
  while (i < c->prev.n || j < c->now->n) {
    int cmp = i == c->prev.n ? 1 : j == c->now->n ? -1 :
              st_finding_identity_cmp(a[i].f, b[j].f);
    if (cmp <= 0) {
      if (cmp < 0) resolved++;
      else c->prev_ids[a[i].pos] = 0;
      i++;
    }
    if (cmp >= 0) c->is_new[b[j++].pos] = cmp > 0;
  }
  free(a);
  free(b);
  return resolved;
}

static int insert_finding(finish_ctx *c, size_t i) {
  const st_finding *f = &c->now->v[i];
  sqlite3_stmt *st = st_store_stmt(
    c->s, Q_FINDING_INSERT, "INSERT INTO findings(run_id, status, policy,"
    " subject, path, key, severity, enforcement, message, evidence, error,"
    " waiver, fingerprint, layer) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
    " ?10, ?11, ?12, ?13, ?14)", c->err, c->errlen);
  if (!st) return ST_EIO;
  char *ev = f->evidence ? cJSON_PrintUnformatted(f->evidence) : NULL;
  sqlite3_bind_int64(st, 1, c->run);
  sqlite3_bind_int(st, 2, c->is_new[i] ? ST_STORE_NEW : ST_STORE_OPEN);
  st_store_bind_str(st, 3, f->policy);
  st_store_bind_str(st, 4, f->subject);
  st_store_bind_str(st, 5, f->path);
  st_store_bind_str(st, 6, f->key ? f->key : "");
  sqlite3_bind_int(st, 7, f->severity);
  sqlite3_bind_int(st, 8, f->enforcement);
  st_store_bind_str(st, 9, f->message);
  st_store_bind_str(st, 10, ev);
  sqlite3_bind_int(st, 11, f->error);
  st_store_bind_str(st, 12, f->waiver);
  st_store_bind_str(st, 13, c->fps[i]);
  sqlite3_bind_int(st, 14, f->layer);
  int rc = st_store_done(c->s, st, "cannot store a finding", c->err,
                         c->errlen);
  cJSON_free(ev);
  if (rc) return rc;
  /* first_seen: the run's start, when its snapshot of the world was taken;
   * an identity seen before keeps its time. */
  if (!(st = st_store_stmt(c->s, Q_FIRST_SEEN_PUT, "INSERT INTO"
                           " first_seen(identity, at) VALUES(?1, ?2)"
                           " ON CONFLICT(identity) DO NOTHING", c->err,
                           c->errlen)))
    return ST_EIO;
  st_store_bind_str(st, 1, c->fps[i]);
  sqlite3_bind_double(st, 2, c->started);
  return st_store_done(c->s, st, "cannot store first_seen", c->err,
                       c->errlen);
}

/* The previous run's findings that are gone, copied as resolved rows of
 * this run: they stay listed even once that run is pruned. */
static int insert_resolved(finish_ctx *c) {
  for (size_t i = 0; i < c->prev.n; i++) {
    if (!c->prev_ids[i]) continue;
    sqlite3_stmt *st = st_store_stmt(
      c->s, Q_FINDING_RESOLVE, "INSERT INTO findings(run_id, status, "
      ST_STORE_FINDING_COLS ", fingerprint) SELECT ?1, 2, "
      ST_STORE_FINDING_COLS ", fingerprint FROM findings WHERE id = ?2",
      c->err, c->errlen);
    if (!st) return ST_EIO;
    sqlite3_bind_int64(st, 1, c->run);
    sqlite3_bind_int64(st, 2, c->prev_ids[i]);
    int rc = st_store_done(c->s, st, "cannot store a resolved finding",
                           c->err, c->errlen);
    if (rc) return rc;
  }
  return ST_OK;
}

/* run_policies, and current_runs when the run completed. */
static int record_policy(finish_ctx *c, const char *policy) {
  sqlite3_stmt *st = st_store_stmt(
    c->s, Q_POLICY_PUT, "INSERT INTO run_policies(run_id, policy)"
    " VALUES(?1, ?2) ON CONFLICT DO NOTHING", c->err, c->errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, c->run);
  st_store_bind_str(st, 2, policy);
  int rc = st_store_done(c->s, st, "cannot store a run's policy", c->err,
                         c->errlen);
  if (rc || c->r->outcome != ST_RUN_COMPLETED) return rc;
  if (!(st = st_store_stmt(c->s, Q_CURRENT_PUT, "INSERT INTO"
                           " current_runs(policy, run_id) VALUES(?1, ?2)"
                           " ON CONFLICT(policy) DO UPDATE SET run_id ="
                           " excluded.run_id WHERE excluded.run_id >"
                           " current_runs.run_id", c->err, c->errlen)))
    return ST_EIO;
  st_store_bind_str(st, 1, policy);
  sqlite3_bind_int64(st, 2, c->run);
  return st_store_done(c->s, st, "cannot store the current run", c->err,
                       c->errlen);
}

/* The policies the caller names, and those of the findings (the loader's
 * findings carry policies no suite selects): each once. */
static int record_policies(finish_ctx *c) {
  int rc = ST_OK;
  for (size_t i = 0; i < c->r->npolicies && !rc; i++)
    rc = record_policy(c, c->r->policies[i]);
  ident_ref *v = sorted_refs(c->now);     /* policies are adjacent */
  for (size_t i = 0; i < c->now->n && !rc; i++)
    if (!i || strcmp(v[i].f->policy, v[i - 1].f->policy))
      rc = record_policy(c, v[i].f->policy);
  free(v);
  return rc;
}

static double first_seen(finish_ctx *c, const char *fp, int *rc) {
  sqlite3_stmt *st = st_store_stmt(
    c->s, Q_FIRST_SEEN_GET, "SELECT at FROM first_seen WHERE identity = ?1",
    c->err, c->errlen);
  if (!st) {
    *rc = ST_EIO;
    return 0;
  }
  st_store_bind_str(st, 1, fp);
  int src = sqlite3_step(st);
  double at = src == SQLITE_ROW ? sqlite3_column_double(st, 0) : c->started;
  *rc = st_store_finish(c->s, st, src == SQLITE_ROW ? SQLITE_DONE : src,
                        "cannot read first_seen", c->err, c->errlen);
  return at;
}

/* The JSON an alert carries but its own id (st_store_alert_put adds it);
 * the caller frees it. */
static cJSON *alert_body(finish_ctx *c, size_t i, double seen) {
  const st_finding *f = &c->now->v[i];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "run", (double)c->run);
  cJSON_AddStringToObject(o, "suite", c->suite);
  cJSON_AddStringToObject(o, "policy", f->policy);
  cJSON_AddStringToObject(o, "subject", f->subject);
  cJSON_AddStringToObject(o, "severity", st_severity_name(f->severity));
  cJSON_AddStringToObject(o, "enforcement",
                          st_enforcement_name(f->enforcement));
  cJSON_AddStringToObject(o, "message", f->message);
  if (f->path) cJSON_AddStringToObject(o, "path", f->path);
  else cJSON_AddNullToObject(o, "path");
  cJSON_AddStringToObject(o, "identity", c->fps[i]);
  st_store_add_time(o, "first_seen", seen);
  cJSON_AddBoolToObject(o, "new", c->is_new[i]);
  return o;
}

/* One pending alert, due at once. */
static int make_alert(finish_ctx *c, size_t i, int target) {
  int rc;
  double seen = first_seen(c, c->fps[i], &rc);
  if (rc) return rc;
  cJSON *body = alert_body(c, i, seen);
  rc = st_store_alert_put(c->s, c->run, 0, target, c->r->finished, body,
                          c->err, c->errlen);
  cJSON_Delete(body);
  if (!rc) c->counts->alerts++;
  return rc;
}

/* Does rule k match finding i, and is it the first matching rule with its
 * target (one alert per finding and target)? Waived findings make none:
 * the waiver is the owner saying they know. */
static int rule_matches(const finish_ctx *c, size_t i, size_t k) {
  const st_finding *f = &c->now->v[i];
  const st_alert_rule *rule = &c->r->rules[k];
  return !f->waiver && (rule->on_all || c->is_new[i]) &&
         f->severity >= rule->min_severity;
}

static int make_alerts(finish_ctx *c) {
  for (size_t i = 0; i < c->now->n; i++)
    for (size_t k = 0; k < c->r->nrules; k++) {
      if (!rule_matches(c, i, k)) continue;
      size_t j = 0;
      while (j < k && !(c->r->rules[j].target == c->r->rules[k].target &&
                        rule_matches(c, i, j)))
        j++;
      int rc = j == k ? make_alert(c, i, c->r->rules[k].target) : ST_OK;
      if (rc) return rc;
    }
  return ST_OK;
}

static int finish_completed(finish_ctx *c) {
  size_t n = c->now->n;
  c->is_new = st_xcalloc(n ? n : 1, 1);
  c->fps = st_xmalloc((n ? n : 1) * sizeof *c->fps);
  for (size_t i = 0; i < n; i++) st_finding_fingerprint(&c->now->v[i],
                                                        c->fps[i]);
  int rc = load_prev(c);
  if (rc) return rc;
  c->counts->resolved = diff(c);
  c->counts->findings = n;
  for (size_t i = 0; i < n && !rc; i++) {
    c->counts->new_findings += c->is_new[i];
    rc = insert_finding(c, i);
  }
  if (!rc) rc = insert_resolved(c);
  if (!rc) rc = record_policies(c);
  if (!rc) rc = make_alerts(c);
  return rc;
}

static int end_run(finish_ctx *c) {
  sqlite3_stmt *st = st_store_stmt(
    c->s, Q_RUN_END, "UPDATE runs SET outcome = ?2, finished = ?3,"
    " error = ?4, n_findings = ?5, n_new = ?6, n_resolved = ?7,"
    " n_alerts = ?8 WHERE id = ?1", c->err, c->errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_int64(st, 1, c->run);
  sqlite3_bind_int(st, 2, (int)c->r->outcome);
  sqlite3_bind_double(st, 3, c->r->finished);
  st_store_bind_str(st, 4, c->r->error);
  sqlite3_bind_int64(st, 5, (int64_t)c->counts->findings);
  sqlite3_bind_int64(st, 6, (int64_t)c->counts->new_findings);
  sqlite3_bind_int64(st, 7, (int64_t)c->counts->resolved);
  sqlite3_bind_int64(st, 8, (int64_t)c->counts->alerts);
  return st_store_done(c->s, st, "cannot finish a run", c->err, c->errlen);
}

int st_store_run_finish(st_store *s, int64_t id, const st_run_result *r,
                        st_run_counts *counts, char *err, size_t errlen) {
  static const st_findings none;
  finish_ctx c = {.s = s, .run = id, .r = r, .counts = counts, .err = err,
                  .errlen = errlen};
  c.now = r->findings && r->outcome == ST_RUN_COMPLETED ? r->findings : &none;
  memset(counts, 0, sizeof *counts);
  st_findings_init(&c.prev);
  if ((unsigned)r->outcome > ST_RUN_ABANDONED)
    return st_errf(err, errlen, ST_EINPUT, "bad run outcome %d",
                   (int)r->outcome);
  int rc = st_store_begin(s, err, errlen);
  if (rc) return rc;
  rc = run_state(&c);
  if (!rc && r->outcome == ST_RUN_COMPLETED) rc = finish_completed(&c);
  else if (!rc) rc = record_policies(&c);
  if (!rc) rc = end_run(&c);
  rc = st_store_end(s, rc, err, errlen);
  if (rc) memset(counts, 0, sizeof *counts);    /* nothing was stored */
  free(c.suite);
  st_findings_free(&c.prev);
  free(c.prev_ids);
  free(c.is_new);
  free(c.fps);
  return rc;
}

int st_store_runs_abandon_open(st_store *s, double now, size_t *n, char *err,
                               size_t errlen) {
  *n = 0;
  sqlite3_stmt *st = st_store_stmt(
    s, Q_RUN_ABANDON, "UPDATE runs SET outcome = 3, finished = ?1,"
    " error = 'the daemon stopped during the run' WHERE outcome IS NULL",
    err, errlen);
  if (!st) return ST_EIO;
  sqlite3_bind_double(st, 1, now);
  int rc = st_store_done(s, st, "cannot abandon runs", err, errlen);
  if (rc == ST_OK) *n = (size_t)sqlite3_changes(s->db);
  return rc;
}

/* }=== */
