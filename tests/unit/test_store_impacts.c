/*
 * test_store_impacts.c - what issue 13 adds to the store (core/
 * store_impacts.c, schema version 2): a version-1 store migrated in place
 * (its runs, findings and alerts kept with their ids, and alert ids never
 * given twice), lineage runs stored with their observations, webhook
 * delivery ids taken once, impacts from pending to ended with one alert
 * per target, listed and read back, and retention.
 *
 * Every store lives in a temporary directory removed at exit.
 */
#include "store_internal.h"
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

#define NOW 1795651200.0            /* 2026-11-26T00:00:00Z */
#define DAY 86400.0

static char dir[64];

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static const char *path_of(const char *name)
{
    static char path[160];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/steward-impacts-XXXXXX");
        if (!mkdtemp(dir)) T_FAILF("mkdtemp failed");
        else atexit(cleanup);
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static st_store *open_store(const char *name)
{
    st_store *s = NULL;
    char err[ST_ERRLEN] = "";
    if (st_store_open(path_of(name), 0, &s, err, sizeof err) != ST_OK)
        T_FAILF("store did not open: %s", err);
    return s;
}

static const char *raw_text(sqlite3 *db, const char *sql, char *out,
                            size_t len)
{
    sqlite3_stmt *st;
    snprintf(out, len, "(none)");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, len, "(error: %s)", sqlite3_errmsg(db));
        return out;
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static const char *json(const cJSON *x)
{
    static char text[8192];
    char *p = cJSON_PrintUnformatted(x);
    snprintf(text, sizeof text, "%s", p ? p : "(null)");
    cJSON_free(p);
    return text;
}

/* "id:target:attempts; ..." of the alerts due at now, and their bodies. */
static void expect_due(st_store *s, double now, const char *want,
                       char bodies[][1024], size_t max_bodies)
{
    st_alert *v = NULL;
    size_t n = 0;
    char err[ST_ERRLEN] = "", got[512] = "";
    T_EQ_INT(st_store_alerts_due(s, now, 50, &v, &n, err, sizeof err), ST_OK);
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%d:%d:%d", i ? "; " : "",
                 (int)v[i].id, v[i].target, v[i].attempts);
        if (bodies && i < max_bodies)
            snprintf(bodies[i], 1024, "%s", v[i].body);
    }
    T_EQ_STR(got, want);
    st_store_alerts_free(v, n);
}

/* {=== Migration from version 1 ========================================= */

/* Schema version 1 as steward 0.2.0 created it, frozen here: the test is
 * that a store made by that binary opens and migrates. */
static const char FROZEN_V1[] =
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


static void make_v1(const char *path)
{
    sqlite3 *db;
    T_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    const char *fill =
        "PRAGMA journal_mode = WAL;"
        "INSERT INTO runs(id, suite, started, clock, finished, outcome,"
        " obs_high_water, obs_below) VALUES(1, 'nightly', 1, 1, 2, 0, 0, 0),"
        " (2, 'nightly', 3, 3, 4, 0, 0, 0);"
        "INSERT INTO findings(run_id, status, policy, subject, key, severity,"
        " enforcement, message, error, fingerprint) VALUES(2, 0, 'p', 's', '',"
        " 3, 1, 'm', 0, 'fp');"
        "INSERT INTO alerts(id, run_id, target, status, next_attempt, body)"
        " VALUES(1, 1, 0, 1, 2, '{\"alert\":1}'), (2, 2, 0, 0, 4,"
        " '{\"alert\":2}'), (7, 2, 1, 0, 4, '{\"alert\":7}');"
        "DELETE FROM alerts WHERE id = 7;"    /* the sequence stays at 7 */
        "PRAGMA application_id = 1400133476; PRAGMA user_version = 1;";
    char *msg = NULL;
    if (sqlite3_exec(db, FROZEN_V1, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, fill, NULL, NULL, &msg) != SQLITE_OK)
        T_FAILF("making a version-1 store: %s", msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(db);
}

static void test_migrate_v1(void)
{
    char path[160], buf[256], err[ST_ERRLEN] = "";
    snprintf(path, sizeof path, "%s", path_of("v1.db"));
    make_v1(path);
    /* A read-only open refuses a store that needs its migration. */
    st_store *s = (st_store *)1;
    T_EQ_INT(st_store_open(path, 1, &s, err, sizeof err), ST_EINPUT);
    T_CONTAINS(err, "the store needs a migration");
    s = open_store("v1.db");
    if (!s) return;
    sqlite3 *db = st_store_db(s);
    T_EQ_STR(raw_text(db, "PRAGMA user_version", buf, sizeof buf), "2");
    T_EQ_STR(raw_text(db, "SELECT group_concat(id || ':' || run_id || ':' ||"
                      " status || ':' || body, ' ') FROM alerts", buf,
                      sizeof buf), "1:1:1:{\"alert\":1} 2:2:0:{\"alert\":2}");
    T_EQ_STR(raw_text(db, "SELECT count(*) FROM findings", buf, sizeof buf),
             "1");
    T_EQ_STR(raw_text(db, "SELECT group_concat(name, ',') FROM sqlite_master"
                      " WHERE type = 'table' AND name IN ('impacts',"
                      " 'hook_deliveries', 'lineage_runs', 'alerts_v2')",
                      buf, sizeof buf), "impacts,hook_deliveries,lineage_runs");
    T_EQ_STR(raw_text(db, "PRAGMA foreign_key_check", buf, sizeof buf),
             "(none)");
    T_EQ_STR(raw_text(db, "PRAGMA integrity_check", buf, sizeof buf), "ok");
    /* The pending alert is still due; the next alert id is past 7. */
    expect_due(s, 10, "2:0:0", NULL, 0);
    cJSON *body = cJSON_Parse("{\"x\":1}");
    T_EQ_INT(st_store_begin(s, err, sizeof err), ST_OK);
    T_EQ_INT(st_store_alert_put(s, 2, 0, 0, 5, body, err, sizeof err), ST_OK);
    T_EQ_INT(st_store_end(s, ST_OK, err, sizeof err), ST_OK);
    cJSON_Delete(body);
    T_EQ_STR(raw_text(db, "SELECT max(id) FROM alerts", buf, sizeof buf), "8");
    /* An alert belongs to a run or an impact, exactly one. */
    char *msg = NULL;
    T_CHECK(sqlite3_exec(db, "INSERT INTO alerts(target, status, next_attempt,"
                         " body) VALUES(0, 0, 0, '')", NULL, NULL, &msg)
            != SQLITE_OK);
    sqlite3_free(msg);
    st_store_close(s);
    /* Opened again, nothing more to migrate. */
    s = open_store("v1.db");
    if (s) T_EQ_STR(raw_text(st_store_db(s), "PRAGMA user_version", buf,
                             sizeof buf), "2");
    st_store_close(s);
}

/* }=== */

/* {=== Lineage runs and deliveries ====================================== */

static void test_lineage_runs(void)
{
    st_store *s = open_store("lineage.db");
    if (!s) return;
    char err[ST_ERRLEN] = "", *state = (char *)1, buf[64];
    T_EQ_INT(st_store_lineage_run_get(s, "r1", &state, err, sizeof err),
             ST_OK);
    T_CHECK(state == NULL);
    const char *line = "{\"at\":\"2026-11-20\",\"kind\":\"run\",\"subject\":"
                       "\"w\",\"status\":\"fail\"}";
    st_store_obs o = {line, strlen(line), NOW - 6 * DAY, "w", "run", NULL};
    const char *ids[] = {"r1", "r2"};
    const char *states[] = {"{\"ended\":true}", "{\"ended\":false}"};
    T_EQ_INT(st_store_lineage_add(s, &o, 1, ids, states, 2, NOW, err,
                                  sizeof err), ST_OK);
    T_EQ_INT(st_store_obs_high_water(s), 1);
    T_EQ_INT(st_store_lineage_run_get(s, "r1", &state, err, sizeof err),
             ST_OK);
    T_EQ_STR(state, "{\"ended\":true}");
    free(state);
    /* A state replaces the run's previous one; no observation is fine. */
    const char *again[] = {"{\"ended\":true,\"n\":2}"};
    T_EQ_INT(st_store_lineage_add(s, NULL, 0, ids + 1, again, 1, NOW + 1, err,
                                  sizeof err), ST_OK);
    T_EQ_INT(st_store_lineage_run_get(s, "r2", &state, err, sizeof err),
             ST_OK);
    T_EQ_STR(state, "{\"ended\":true,\"n\":2}");
    free(state);
    T_EQ_INT(st_store_obs_high_water(s), 1);
    T_EQ_STR(raw_text(st_store_db(s), "SELECT count(*) FROM lineage_runs", buf,
                      sizeof buf), "2");
    /* Delivery ids: once. */
    int seen = 9;
    T_EQ_INT(st_store_delivery_add(s, "mlflow", "d-1", NOW, &seen, err,
                                   sizeof err), ST_OK);
    T_EQ_INT(seen, 0);
    T_EQ_INT(st_store_delivery_add(s, "mlflow", "d-1", NOW + 5, &seen, err,
                                   sizeof err), ST_OK);
    T_EQ_INT(seen, 1);
    st_store_close(s);
}

/* }=== */

/* {=== Impacts ========================================================== */

static int64_t begin_impact(st_store *s, const char *delivery,
                            const char *model, double at, int *seen)
{
    st_impact_record r = {"mlflow", delivery, "model_version.created", model,
                          "4.0.0", NULL, "LeadScorer",
                          "{\"models\":{\"m\":{\"version\":\"4.0.0\"}}}", at};
    int64_t id = 0;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_store_impact_begin(s, &r, &id, seen, err, sizeof err), ST_OK);
    return id;
}

static void test_impacts(void)
{
    st_store *s = open_store("impacts.db");
    if (!s) return;
    char err[ST_ERRLEN] = "", bodies[4][1024];
    int seen = 9;
    int64_t a = begin_impact(s, "d-1", "lead-scorer", NOW, &seen);
    T_EQ_INT(a, 1);
    T_EQ_INT(seen, 0);
    /* The same delivery again: refused, nothing stored. */
    T_EQ_INT(begin_impact(s, "d-1", "lead-scorer", NOW + 1, &seen), 0);
    T_EQ_INT(seen, 1);
    int64_t b = begin_impact(s, "d-2", "churn-predictor", NOW + 2, &seen);
    T_EQ_INT(b, 2);
    int64_t *pending = NULL;
    size_t np = 0;
    T_EQ_INT(st_store_impacts_pending(s, &pending, &np, err, sizeof err),
             ST_OK);
    T_EQ_INT(np, 2);
    free(pending);

    /* Blocked at high: target 0 (high) and target 1 (medium) are told,
     * target 2 (critical) is not, target 0's second rule adds nothing. */
    static const st_alert_rule rules[] = {
        {.target = 0, .min_severity = ST_SEV_HIGH},
        {.target = 1, .min_severity = ST_SEV_MEDIUM},
        {.target = 2, .min_severity = ST_SEV_CRITICAL},
        {.target = 0, .min_severity = ST_SEV_LOW},
    };
    cJSON *alert = cJSON_Parse("{\"kind\":\"impact\",\"verdict\":\"blocked\"}");
    st_impact_result r = {0, NULL, "blocked", "{\"verdict\":\"blocked\"}",
                          NOW + 10, NOW, 42, "rh", "ph", 2, 1, 1, alert,
                          ST_SEV_HIGH, rules, 4};
    size_t alerts = 9;
    T_EQ_INT(st_store_impact_finish(s, a, &r, &alerts, err, sizeof err),
             ST_OK);
    T_EQ_INT(alerts, 2);
    expect_due(s, NOW + 20, "1:0:0; 2:1:0", bodies, 4);
    T_EQ_STR(bodies[0], "{\"alert\":1,\"impact\":1,\"kind\":\"impact\","
             "\"verdict\":\"blocked\"}");
    T_EQ_INT(st_store_impact_finish(s, a, &r, &alerts, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "impact 1 has already ended");
    T_EQ_INT(st_store_impact_finish(s, 99, &r, &alerts, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "no impact 99");
    /* A failed what-if: no verdict, no alert. */
    st_impact_result f = {1, "the change set cannot be applied", NULL, NULL,
                          NOW + 11, NOW, 42, "rh", "ph", 0, 0, 0, alert,
                          ST_SEV_CRITICAL, rules, 4};
    T_EQ_INT(st_store_impact_finish(s, b, &f, &alerts, err, sizeof err),
             ST_OK);
    T_EQ_INT(alerts, 0);
    cJSON_Delete(alert);

    /* Listed newest first, by model, a page at a time. */
    cJSON *list = cJSON_CreateArray();
    int64_t next = 9;
    T_EQ_INT(st_store_impacts_list(s, NULL, 0, 1, list, &next, err,
                                   sizeof err), ST_OK);
    T_EQ_INT(next, 2);
    T_EQ_STR(json(list),
             "[{\"id\":2,\"source\":\"mlflow\",\"delivery\":\"d-2\",\"event\":"
             "\"model_version.created\",\"model\":\"churn-predictor\","
             "\"version\":\"4.0.0\",\"alias\":null,\"name\":\"LeadScorer\","
             "\"received\":\"2026-11-26T00:00:02Z\",\"finished\":"
             "\"2026-11-26T00:00:11Z\",\"status\":\"failed\",\"verdict\":null,"
             "\"counts\":{\"new\":0,\"resolved\":0,\"blocking\":0,\"alerts\":0},"
             "\"error\":\"the change set cannot be applied\"}]");
    cJSON_Delete(list);
    list = cJSON_CreateArray();
    T_EQ_INT(st_store_impacts_list(s, NULL, next, 10, list, &next, err,
                                   sizeof err), ST_OK);
    T_EQ_INT(next, 0);
    T_EQ_INT(cJSON_GetArraySize(list), 1);
    cJSON_Delete(list);
    list = cJSON_CreateArray();
    T_EQ_INT(st_store_impacts_list(s, "lead-scorer", 0, 10, list, &next, err,
                                   sizeof err), ST_OK);
    T_EQ_INT(cJSON_GetArraySize(list), 1);
    T_EQ_STR(json(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "counts")),
             "{\"new\":2,\"resolved\":1,\"blocking\":1,\"alerts\":2}");
    cJSON_Delete(list);
    T_EQ_INT(st_store_impacts_list(s, NULL, 0, 0, NULL, &next, err,
                                   sizeof err), ST_EINPUT);

    /* One, with its change, inputs and report. */
    cJSON *one = NULL;
    T_EQ_INT(st_store_impact_get(s, a, &one, err, sizeof err), ST_OK);
    T_EQ_STR(json(cJSON_GetObjectItem(one, "change")),
             "{\"models\":{\"m\":{\"version\":\"4.0.0\"}}}");
    T_EQ_STR(json(cJSON_GetObjectItem(one, "inputs")),
             "{\"clock\":\"2026-11-26T00:00:00Z\",\"obs_high_water\":42,"
             "\"registry_hash\":\"rh\",\"policy_hash\":\"ph\"}");
    T_EQ_STR(json(cJSON_GetObjectItem(one, "impact")),
             "{\"verdict\":\"blocked\"}");
    T_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(one, "status")),
             "completed");
    cJSON_Delete(one);
    T_EQ_INT(st_store_impact_get(s, 99, &one, err, sizeof err), ST_EINPUT);
    T_EQ_INT(st_store_impacts_pending(s, &pending, &np, err, sizeof err),
             ST_OK);
    T_EQ_INT(np, 0);
    free(pending);

    /* Retention: an impact with a pending alert stays; once its alerts
     * are settled it goes, with them. */
    T_EQ_INT(st_store_prune(s, NOW + 100 * DAY, 90, 0, err, sizeof err),
             ST_OK);
    T_EQ_INT(st_store_impact_get(s, a, &one, err, sizeof err), ST_OK);
    cJSON_Delete(one);
    T_EQ_INT(st_store_impact_get(s, b, &one, err, sizeof err), ST_EINPUT);
    T_EQ_INT(st_store_alert_attempt(s, 1, ST_ALERT_DELIVERED, 0, NULL, err,
                                    sizeof err), ST_OK);
    T_EQ_INT(st_store_alert_attempt(s, 2, ST_ALERT_FAILED, 0, "no", err,
                                    sizeof err), ST_OK);
    T_EQ_INT(st_store_prune(s, NOW + 100 * DAY, 90, 0, err, sizeof err),
             ST_OK);
    T_EQ_INT(st_store_impact_get(s, a, &one, err, sizeof err), ST_EINPUT);
    char buf[64];
    T_EQ_STR(raw_text(st_store_db(s), "SELECT count(*) FROM alerts", buf,
                      sizeof buf), "0");
    T_EQ_STR(raw_text(st_store_db(s), "SELECT count(*) FROM hook_deliveries",
                      buf, sizeof buf), "0");
    st_store_close(s);
}

/* }=== */

T_SUITE(T_CASE(test_migrate_v1), T_CASE(test_lineage_runs),
        T_CASE(test_impacts))
