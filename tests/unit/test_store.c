/*
 * test_store.c - the daemon's durable history (core/store*.c): opening,
 * refusing what is not a store, observations (queries, idempotency, the
 * high-water mark, loading into an st_obsset), a full disk and a failing
 * write, runs with new/open/resolved findings, first_seen, the current
 * findings, alerts, retention, blobs, and kill -9 during ingest.
 *
 * Every store lives in a temporary directory removed at exit. The test
 * reaches the store's connection (store_internal.h) only to make the disk
 * look full and to read what no API returns (an alert's last error).
 */
#include "store_internal.h"
#include "t.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "timeutil.h"

#define NOW 1795651200.0            /* 2026-11-26T00:00:00Z */
#define DAY 86400.0

static char dir[64];

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* dir/name, in a static buffer (one path at a time is enough here). */
static const char *path_of(const char *name)
{
    static char path[160];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/steward-store-XXXXXX");
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

/* The whole file, or NULL; *len its size. Caller frees. */
static char *slurp(const char *path, size_t *len)
{
    char err[ST_ERRLEN];
    return st_read_file(path, len, err, sizeof err);
}

static void write_bytes(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len) T_FAILF("cannot write %s", path);
    if (f) fclose(f);
}

/* One SQL statement on the store's own connection (the test's back door). */
static void raw_exec(st_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st_store_db(s), sql, NULL, NULL, &msg) != SQLITE_OK)
        T_FAILF("%s: %s", sql, msg ? msg : "?");
    sqlite3_free(msg);
}

/* The first column of the first row of sql as text, into out. */
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

/* cJSON as one line, into a static buffer. */
static const char *json(const cJSON *x)
{
    static char text[8192];
    char *p = cJSON_PrintUnformatted(x);
    snprintf(text, sizeof text, "%s", p ? p : "(null)");
    cJSON_free(p);
    return text;
}

/* {=== Observation helpers ============================================== */

/* Stores JSON lines as the daemon does: the indexed fields read from each
 * line. Returns the store's code. */
static int add_lines(st_store *s, const char *const *lines, size_t n,
                     const char *key, size_t *accepted, int *dup, char *err,
                     size_t errlen)
{
    st_store_obs *v = calloc(n ? n : 1, sizeof *v);
    cJSON **parsed = calloc(n ? n : 1, sizeof *parsed);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = parsed[i] = cJSON_Parse(lines[i]);
        cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "at");
        cJSON *sub = cJSON_GetObjectItemCaseSensitive(o, "subject");
        cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
        cJSON *metric = cJSON_GetObjectItemCaseSensitive(o, "metric");
        if (!sub) sub = cJSON_GetObjectItemCaseSensitive(o, "model");
        v[i].line = lines[i];
        v[i].len = strlen(lines[i]);
        if (!at || st_time_parse(at->valuestring, &v[i].at) != 0)
            T_FAILF("bad test line %s", lines[i]);
        v[i].subject = sub ? sub->valuestring : NULL;
        v[i].kind = kind ? kind->valuestring : NULL;
        v[i].metric = metric ? metric->valuestring : NULL;
    }
    int rc = st_store_obs_add(s, v, n, key, NOW, accepted, dup, err, errlen);
    for (size_t i = 0; i < n; i++) cJSON_Delete(parsed[i]);
    free(parsed);
    free(v);
    return rc;
}

static const char *const LINES[] = {
    "{\"at\":\"2026-11-01T00:00:00Z\",\"subject\":\"m1\",\"metric\":\"psi\","
    "\"value\":0.1}",
    "{\"at\":\"2026-11-02T00:00:00Z\",\"subject\":\"m1\",\"metric\":\"auc\","
    "\"value\":0.9}",
    "{\"at\":\"2026-11-03T00:00:00Z\",\"kind\":\"usage\",\"model\":\"m2\","
    "\"caller\":\"app\",\"count\":5}",
    "{\"at\":\"2026-11-04T00:00:00Z\",\"subject\":\"m1\",\"kind\":\"incident\","
    "\"severity\":\"high\"}",
    "{\"at\":\"2026-11-05T00:00:00Z\",\"subject\":\"m1\",\"metric\":\"psi\","
    "\"value\":0.3,\"id\":\"x\"}",
};

/* The five LINES, as the query returns them, by id (1-based). */
static const char *const RECORDS[] = {
    "",
    "{\"id\":1,\"at\":\"2026-11-01T00:00:00Z\",\"subject\":\"m1\","
    "\"metric\":\"psi\",\"value\":0.1}",
    "{\"id\":2,\"at\":\"2026-11-02T00:00:00Z\",\"subject\":\"m1\","
    "\"metric\":\"auc\",\"value\":0.9}",
    "{\"id\":3,\"at\":\"2026-11-03T00:00:00Z\",\"kind\":\"usage\","
    "\"model\":\"m2\",\"caller\":\"app\",\"count\":5}",
    "{\"id\":4,\"at\":\"2026-11-04T00:00:00Z\",\"subject\":\"m1\","
    "\"kind\":\"incident\",\"severity\":\"high\"}",
    "{\"id\":5,\"at\":\"2026-11-05T00:00:00Z\",\"subject\":\"m1\","
    "\"metric\":\"psi\",\"value\":0.3}",
};

static void add_five(st_store *s)
{
    size_t accepted = 0;
    int dup = -1;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(add_lines(s, LINES, 5, NULL, &accepted, &dup, err, sizeof err),
             ST_OK);
    T_EQ_INT(accepted, 5);
    T_EQ_INT(dup, 0);
}

/* The ids a query returns, as "1,2,3", and the next cursor. */
static void expect_query(st_store *s, st_obs_query q, const char *ids,
                         int64_t next)
{
    cJSON *out = cJSON_CreateArray();
    int64_t got_next = -1;
    char err[ST_ERRLEN] = "", got[256] = "";
    T_EQ_INT(st_store_obs_query(s, &q, out, &got_next, err, sizeof err),
             ST_OK);
    const cJSON *x;
    cJSON_ArrayForEach(x, out) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%d", used ? "," : "",
                 cJSON_GetObjectItem(x, "id")->valueint);
    }
    T_EQ_STR(got, ids);
    T_EQ_INT(got_next, next);
    cJSON_Delete(out);
}

static double at_of(const char *date)
{
    double t = 0;
    if (st_time_parse(date, &t) != 0) T_FAILF("bad date %s", date);
    return t;
}

/* }=== */

/* {=== Open and refuse ================================================== */

static void test_open_create_reopen(void)
{
    const char *p = path_of("open.db");
    char path[160], buf[64];
    snprintf(path, sizeof path, "%s", p);
    st_store *s = open_store("open.db");
    if (!s) return;
    T_EQ_INT(st_store_obs_count(s), 0);
    T_EQ_INT(st_store_obs_high_water(s), 0);
    sqlite3 *db = st_store_db(s);
    T_EQ_STR(raw_text(db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    T_EQ_STR(raw_text(db, "PRAGMA synchronous", buf, sizeof buf), "2");
    T_EQ_STR(raw_text(db, "PRAGMA foreign_keys", buf, sizeof buf), "1");
    T_EQ_STR(raw_text(db, "PRAGMA user_version", buf, sizeof buf), "2");
    T_EQ_STR(raw_text(db, "PRAGMA application_id", buf, sizeof buf),
             "1400133476");
    add_five(s);
    st_store_close(s);

    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_store_open(path, 0, &s, err, sizeof err), ST_OK);
    T_EQ_INT(st_store_obs_count(s), 5);
    T_EQ_INT(st_store_obs_high_water(s), 5);
    st_store_close(s);

    /* Read-only: reads work, writes fail as the disk would (503). */
    T_EQ_INT(st_store_open(path, 1, &s, err, sizeof err), ST_OK);
    if (!s) return;
    T_EQ_INT(st_store_obs_count(s), 5);
    expect_query(s, (st_obs_query){.limit = 2}, "1,2", 2);
    size_t accepted = 9;
    int dup = 9;
    T_EQ_INT(add_lines(s, LINES, 1, NULL, &accepted, &dup, err, sizeof err),
             ST_EIO);
    T_CONTAINS(err, path);
    T_CONTAINS(err, "readonly database");
    T_EQ_INT(accepted, 0);
    T_EQ_INT(dup, 0);
    st_store_close(s);
}

static void expect_refused(const char *path, const char *want)
{
    size_t before_len = 0, after_len = 0;
    char *before = slurp(path, &before_len);
    char err[ST_ERRLEN] = "";
    st_store *s = (st_store *)1;
    T_EQ_INT(st_store_open(path, 0, &s, err, sizeof err), ST_EINPUT);
    T_CHECK(s == NULL);
    T_EQ_STR(err, want);
    T_EQ_INT(st_store_open(path, 1, &s, err, sizeof err), ST_EINPUT);
    T_EQ_STR(err, want);
    char *after = slurp(path, &after_len);
    T_CHECK(before && after);
    T_EQ_INT(after_len, before_len);
    T_CHECK(before && after && !memcmp(before, after, before_len));
    free(before);
    free(after);
}

static void test_refuse_not_sqlite(void)
{
    char path[160], want[512];
    snprintf(path, sizeof path, "%s", path_of("text.db"));
    char text[4096];
    for (size_t i = 0; i < sizeof text; i++) text[i] = "steward\n"[i % 8];
    write_bytes(path, text, sizeof text);
    snprintf(want, sizeof want, "%s: not a steward store: file is not a "
             "database", path);
    expect_refused(path, want);
}

static void test_refuse_other_sqlite(void)
{
    char path[160], want[512];
    snprintf(path, sizeof path, "%s", path_of("other.db"));
    sqlite3 *db;
    T_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    T_EQ_INT(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)",
                          NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    snprintf(want, sizeof want, "%s: not a steward store: a SQLite database "
             "of another application (application_id 0)", path);
    expect_refused(path, want);
}

static void test_refuse_newer_schema(void)
{
    char path[160], want[512];
    snprintf(path, sizeof path, "%s", path_of("newer.db"));
    st_store *s = open_store("newer.db");
    if (!s) return;
    add_five(s);
    raw_exec(s, "PRAGMA user_version = 3");
    st_store_close(s);          /* the last connection: WAL checkpointed */
    snprintf(want, sizeof want, "%s: store schema 3 is newer than this "
             "steward knows (2); use a newer steward", path);
    expect_refused(path, want);
}

static void test_read_only_missing(void)
{
    char path[160], want[512], err[ST_ERRLEN] = "";
    snprintf(path, sizeof path, "%s", path_of("missing.db"));
    st_store *s = (st_store *)1;
    T_EQ_INT(st_store_open(path, 1, &s, err, sizeof err), ST_EIO);
    T_CHECK(s == NULL);
    snprintf(want, sizeof want, "%s: cannot open the store: No such file or "
             "directory", path);
    T_EQ_STR(err, want);
    T_CHECK(access(path, F_OK) != 0);
    /* SQLITE_CANTOPEN is the disk's trouble too. */
    snprintf(path, sizeof path, "%s", path_of("no-such-dir/x.db"));
    T_EQ_INT(st_store_open(path, 0, &s, err, sizeof err), ST_EIO);
    snprintf(want, sizeof want, "%s: cannot open the store: unable to open "
             "database file", path);
    T_EQ_STR(err, want);
    snprintf(path, sizeof path, "%s", path_of("missing.db"));

    /* An empty file is no store to read either (and is left empty). */
    write_bytes(path, "", 0);
    T_EQ_INT(st_store_open(path, 1, &s, err, sizeof err), ST_EINPUT);
    snprintf(want, sizeof want, "%s: not a steward store: the database is "
             "empty", path);
    T_EQ_STR(err, want);
    struct stat sb;
    T_EQ_INT(stat(path, &sb), 0);
    T_EQ_INT(sb.st_size, 0);
}

/* }=== */

/* {=== Observations ===================================================== */

static void test_obs_query(void)
{
    st_store *s = open_store("query.db");
    if (!s) return;
    add_five(s);
    cJSON *out = cJSON_CreateArray();
    int64_t next = -1;
    char err[ST_ERRLEN] = "";
    st_obs_query q = {.limit = 10};
    T_EQ_INT(st_store_obs_query(s, &q, out, &next, err, sizeof err), ST_OK);
    T_EQ_INT(cJSON_GetArraySize(out), 5);
    for (int i = 0; i < 5; i++)
        T_EQ_STR(json(cJSON_GetArrayItem(out, i)), RECORDS[i + 1]);
    T_EQ_INT(next, 0);
    cJSON_Delete(out);

    /* Pages of two: the cursor is the last id of a page. */
    expect_query(s, (st_obs_query){.limit = 2}, "1,2", 2);
    expect_query(s, (st_obs_query){.limit = 2, .after = 2}, "3,4", 4);
    expect_query(s, (st_obs_query){.limit = 2, .after = 4}, "5", 0);
    expect_query(s, (st_obs_query){.limit = 5}, "1,2,3,4,5", 0);
    expect_query(s, (st_obs_query){.limit = 4}, "1,2,3,4", 4);
    expect_query(s, (st_obs_query){.limit = 2, .after = 5}, "", 0);

    /* Filters, alone and together. */
    expect_query(s, (st_obs_query){.subject = "m1", .limit = 10}, "1,2,4,5",
                 0);
    expect_query(s, (st_obs_query){.subject = "m2", .limit = 10}, "3", 0);
    expect_query(s, (st_obs_query){.subject = "m1", .metric = "psi",
                                   .limit = 10}, "1,5", 0);
    expect_query(s, (st_obs_query){.metric = "psi", .limit = 1}, "1", 1);
    expect_query(s, (st_obs_query){.metric = "psi", .limit = 1, .after = 1},
                 "5", 0);
    expect_query(s, (st_obs_query){.kind = "usage", .limit = 10}, "3", 0);
    expect_query(s, (st_obs_query){.kind = "incident", .subject = "m1",
                                   .limit = 10}, "4", 0);
    double nov2 = at_of("2026-11-02"), nov4 = at_of("2026-11-04");
    expect_query(s, (st_obs_query){.since = nov2, .until = nov4,
                                   .limit = 10}, "2,3", 0);
    expect_query(s, (st_obs_query){.since = nov2, .subject = "m1",
                                   .limit = 10}, "2,4,5", 0);
    expect_query(s, (st_obs_query){.until = nov2, .limit = 10}, "1", 0);
    expect_query(s, (st_obs_query){.subject = "nobody", .limit = 10}, "", 0);

    out = cJSON_CreateArray();
    q = (st_obs_query){.limit = 0};
    T_EQ_INT(st_store_obs_query(s, &q, out, &next, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "limit must be between 1 and 10000, not 0");
    q.limit = 10001;
    T_EQ_INT(st_store_obs_query(s, &q, out, &next, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "limit must be between 1 and 10000, not 10001");
    q = (st_obs_query){.limit = 1, .after = -1};
    T_EQ_INT(st_store_obs_query(s, &q, out, &next, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "bad cursor -1");
    T_EQ_INT(cJSON_GetArraySize(out), 0);
    cJSON_Delete(out);
    st_store_close(s);
}

static void test_obs_idempotency(void)
{
    st_store *s = open_store("idem.db");
    if (!s) return;
    size_t accepted = 0;
    int dup = -1;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(add_lines(s, LINES, 2, "k1", &accepted, &dup, err, sizeof err),
             ST_OK);
    T_EQ_INT(accepted, 2);
    T_EQ_INT(dup, 0);
    /* A retry of k1 (even with other content) stores nothing. */
    T_EQ_INT(add_lines(s, LINES + 2, 3, "k1", &accepted, &dup, err,
                       sizeof err), ST_OK);
    T_EQ_INT(accepted, 2);
    T_EQ_INT(dup, 1);
    T_EQ_INT(st_store_obs_count(s), 2);
    T_EQ_INT(st_store_obs_high_water(s), 2);
    T_EQ_INT(add_lines(s, LINES + 2, 1, "k2", &accepted, &dup, err,
                       sizeof err), ST_OK);
    T_EQ_INT(accepted, 1);
    T_EQ_INT(dup, 0);
    T_EQ_INT(add_lines(s, LINES + 3, 2, NULL, &accepted, &dup, err,
                       sizeof err), ST_OK);
    T_EQ_INT(add_lines(s, LINES + 3, 2, NULL, &accepted, &dup, err,
                       sizeof err), ST_OK);
    T_EQ_INT(accepted, 2);
    T_EQ_INT(dup, 0);
    T_EQ_INT(st_store_obs_count(s), 7);
    /* An empty batch is accepted, and its key remembered as 0. */
    T_EQ_INT(add_lines(s, LINES, 0, "k3", &accepted, &dup, err, sizeof err),
             ST_OK);
    T_EQ_INT(add_lines(s, LINES, 1, "k3", &accepted, &dup, err, sizeof err),
             ST_OK);
    T_EQ_INT(accepted, 0);
    T_EQ_INT(dup, 1);
    T_EQ_INT(st_store_obs_count(s), 7);
    expect_query(s, (st_obs_query){.limit = 10}, "1,2,3,4,5,6,7", 0);
    st_store_close(s);
}

static void test_obs_load(void)
{
    st_store *s = open_store("load.db");
    if (!s) return;
    add_five(s);
    T_EQ_INT(st_store_obs_high_water(s), 5);
    st_obsset o;
    st_obs_init(&o);
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_store_obs_load(s, 3, &o, err, sizeof err), ST_OK);
    T_EQ_INT(o.n, 3);
    /* In id order, each the stored line itself. */
    for (size_t i = 0; i < o.n; i++) {
        cJSON *x = st_doc_export(&o.doc, o.v[i].value);
        char *text = cJSON_PrintUnformatted(x);
        T_EQ_STR(text, LINES[i]);
        cJSON_free(text);
        cJSON_Delete(x);
        T_EQ_INT(o.v[i].seq, i);
    }
    T_CHECK(o.v[0].at == at_of("2026-11-01"));
    T_CHECK(o.v[2].at == at_of("2026-11-03"));
    T_EQ_STR(st_doc_atom_str(&o.doc, o.v[0].metric, NULL), "psi");
    T_EQ_STR(st_doc_atom_str(&o.doc, o.v[2].metric, NULL), "usage");
    T_EQ_INT(o.v[2].is_kind, 1);
    st_obs_index(&o);
    size_t first = 99;
    T_EQ_INT(st_obs_range(&o, "m1", &first), 2);
    T_EQ_STR(st_doc_atom_str(&o.doc, o.v[first + 1].metric, NULL), "auc");
    T_EQ_INT(st_obs_range(&o, "m2", &first), 1);
    T_EQ_INT(st_obs_range(&o, "m3", &first), 0);
    st_obs_free(&o);

    st_obs_init(&o);
    T_EQ_INT(st_store_obs_load(s, 0, &o, err, sizeof err), ST_OK);
    T_EQ_INT(o.n, 0);
    T_EQ_INT(st_store_obs_load(s, 99, &o, err, sizeof err), ST_OK);
    T_EQ_INT(o.n, 5);
    st_obs_free(&o);
    st_store_close(s);
}

/* n lines of about 1 KiB each for subject "big", numbered from `from`;
 * caller frees each and the array. */
static char **big_lines(size_t n, size_t from)
{
    char **v = malloc(n * sizeof *v);
    char pad[1001];
    memset(pad, 'x', 1000);
    pad[1000] = '\0';
    for (size_t i = 0; i < n; i++) {
        v[i] = malloc(1200);
        snprintf(v[i], 1200, "{\"at\":\"2026-11-01T00:00:00Z\",\"subject\":"
                 "\"big\",\"metric\":\"m\",\"value\":%zu,\"pad\":\"%s\"}",
                 from + i, pad);
    }
    return v;
}

static void free_lines(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static void test_disk_full(void)
{
    st_store *s = open_store("full.db");
    if (!s) return;
    add_five(s);
    char buf[64], sql[96], err[ST_ERRLEN] = "";
    long pages = atol(raw_text(st_store_db(s), "PRAGMA page_count", buf,
                               sizeof buf));
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", pages + 2);
    raw_exec(s, sql);
    char **lines = big_lines(100, 0);
    size_t accepted = 9;
    int dup = 9;
    T_EQ_INT(add_lines(s, (const char *const *)lines, 100, "kf", &accepted,
                       &dup, err, sizeof err), ST_EIO);
    T_CONTAINS(err, "database or disk is full");
    T_EQ_INT(accepted, 0);
    T_EQ_INT(st_store_obs_count(s), 5);
    T_EQ_INT(st_store_obs_high_water(s), 5);
    expect_query(s, (st_obs_query){.subject = "big", .limit = 10}, "", 0);

    /* A run that cannot be finished stays open, without findings. */
    int64_t run = 0;
    st_run_record rec = {.suite = "s", .started = NOW, .clock = NOW};
    T_EQ_INT(st_store_run_begin(s, &rec, &run, err, sizeof err), ST_OK);
    st_findings f;
    st_findings_init(&f);
    for (int i = 0; i < 300; i++) {
        char subject[32];
        snprintf(subject, sizeof subject, "subject-%03d", i);
        st_findings_add(&f, "p", subject, ST_SEV_HIGH, ST_ENF_SOFT,
                        lines[0], NULL, NULL);
    }
    st_run_result res = {.outcome = ST_RUN_COMPLETED, .finished = NOW + 1,
                         .findings = &f};
    st_run_counts counts = {9, 9, 9, 9};
    T_EQ_INT(st_store_run_finish(s, run, &res, &counts, err, sizeof err),
             ST_EIO);
    T_CONTAINS(err, "database or disk is full");
    T_EQ_INT(counts.findings, 0);
    cJSON *got = NULL;
    T_EQ_INT(st_store_run_get(s, run, &got, err, sizeof err), ST_OK);
    T_EQ_STR(cJSON_GetObjectItem(got, "outcome")->valuestring, "running");
    T_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(got, "findings")), 0);
    cJSON_Delete(got);

    /* Space comes back: the same requests succeed, once. */
    raw_exec(s, "PRAGMA max_page_count = 1073741823");
    T_EQ_INT(add_lines(s, (const char *const *)lines, 100, "kf", &accepted,
                       &dup, err, sizeof err), ST_OK);
    T_EQ_INT(accepted, 100);
    T_EQ_INT(dup, 0);
    T_EQ_INT(st_store_obs_count(s), 105);
    T_EQ_INT(st_store_obs_high_water(s), 105);
    T_EQ_INT(st_store_run_finish(s, run, &res, &counts, err, sizeof err),
             ST_OK);
    T_EQ_INT(counts.findings, 300);
    T_EQ_INT(counts.new_findings, 300);
    st_findings_free(&f);
    free_lines(lines, 100);
    st_store_close(s);
}

/* The largest of the store's files (database, WAL). */
static off_t store_size(const char *path)
{
    char wal[200];
    struct stat a, b;
    snprintf(wal, sizeof wal, "%s-wal", path);
    off_t n = stat(path, &a) == 0 ? a.st_size : 0;
    if (stat(wal, &b) == 0 && b.st_size > n) n = b.st_size;
    return n;
}

/* A write the kernel refuses (RLIMIT_FSIZE: EFBIG, as a full disk gives
 * ENOSPC): ST_EIO, nothing stored, and the store works once it passes. */
static void test_write_error(void)
{
    char path[160];
    snprintf(path, sizeof path, "%s", path_of("fsize.db"));
    st_store *s = open_store("fsize.db");
    if (!s) return;
    add_five(s);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = (rlim_t)store_size(path) + 16384;
    setrlimit(RLIMIT_FSIZE, &lim);
    char **lines = big_lines(200, 0);
    size_t accepted = 9;
    int dup = 9;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(add_lines(s, (const char *const *)lines, 200, "kw", &accepted,
                       &dup, err, sizeof err), ST_EIO);
    T_CONTAINS(err, "cannot commit: disk I/O error");
    T_EQ_INT(accepted, 0);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    T_EQ_INT(st_store_obs_count(s), 5);
    T_EQ_INT(add_lines(s, (const char *const *)lines, 200, "kw", &accepted,
                       &dup, err, sizeof err), ST_OK);
    T_EQ_INT(accepted, 200);
    T_EQ_INT(dup, 0);
    T_EQ_INT(st_store_obs_count(s), 205);
    expect_query(s, (st_obs_query){.subject = "big", .limit = 1,
                                   .after = 204}, "205", 0);
    free_lines(lines, 200);
    st_store_close(s);

    /* And what was acknowledged is there after reopening. */
    s = open_store("fsize.db");
    if (!s) return;
    T_EQ_INT(st_store_obs_count(s), 205);
    st_store_close(s);
}

/* Two connections on one file (as the daemon's threads have): each sees
 * what the other committed. */
static void test_two_connections(void)
{
    st_store *a = open_store("two.db"), *b = open_store("two.db");
    if (!a || !b) return;
    add_five(a);
    T_EQ_INT(st_store_obs_count(b), 5);
    expect_query(b, (st_obs_query){.subject = "m2", .limit = 10}, "3", 0);
    size_t accepted = 0;
    int dup = 0;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(add_lines(b, LINES, 2, "k", &accepted, &dup, err, sizeof err),
             ST_OK);
    T_EQ_INT(add_lines(a, LINES, 2, "k", &accepted, &dup, err, sizeof err),
             ST_OK);
    T_EQ_INT(dup, 1);
    T_EQ_INT(st_store_obs_high_water(a), 7);
    st_store_close(a);
    st_store_close(b);
}

/* }=== */

/* {=== Runs and findings ================================================ */

static st_finding *add_f(st_findings *l, const char *policy,
                         const char *subject, int severity, const char *path,
                         const char *key, const char *message)
{
    st_finding *f = st_findings_add(l, policy, subject, severity,
                                    ST_ENF_SOFT, message, path, NULL);
    if (key) f->key = st_xstrdup(key);
    return f;
}

/* Begins a run of suite at `started` and finishes it completed 10 s later
 * with findings f (NULL: none), having evaluated policies; returns its id. */
static int64_t run_with(st_store *s, const char *suite, double started,
                        const st_findings *f, const char *const *policies,
                        size_t npolicies, const st_alert_rule *rules,
                        size_t nrules, st_run_counts *counts)
{
    int64_t id = 0;
    char err[ST_ERRLEN] = "";
    st_run_record rec = {.suite = suite, .started = started,
                         .clock = started, .version = "0.2.0",
                         .vm = "Lua 5.4"};
    T_EQ_INT(st_store_run_begin(s, &rec, &id, err, sizeof err), ST_OK);
    st_run_result res = {.outcome = ST_RUN_COMPLETED,
                         .finished = started + 10, .findings = f,
                         .policies = policies, .npolicies = npolicies,
                         .rules = rules, .nrules = nrules};
    st_run_counts ignored;
    if (st_store_run_finish(s, id, &res, counts ? counts : &ignored, err,
                            sizeof err) != ST_OK)
        T_FAILF("run did not finish: %s", err);
    return id;
}

#define EXPECT_COUNTS(c, f, n, r, a) do { \
    T_EQ_INT((c).findings, f); T_EQ_INT((c).new_findings, n); \
    T_EQ_INT((c).resolved, r); T_EQ_INT((c).alerts, a); } while (0)

/* "policy subject key[:status]; ..." of a JSON array of findings. */
static void describe(const cJSON *arr, char *out, size_t len)
{
    size_t used = 0;
    const cJSON *x;
    out[0] = '\0';
    cJSON_ArrayForEach(x, arr) {
        const cJSON *st = cJSON_GetObjectItem(x, "status");
        const char *key = cJSON_GetObjectItem(x, "key")->valuestring;
        used += (size_t)snprintf(out + used, len - used, "%s%s %s %s%s%s",
                                 used ? "; " : "",
                                 cJSON_GetObjectItem(x, "policy")->valuestring,
                                 cJSON_GetObjectItem(x, "subject")->valuestring,
                                 *key ? key : "-", st ? ":" : "",
                                 st ? st->valuestring : "");
        if (used >= len) break;
    }
}

static void expect_run(st_store *s, int64_t id, const char *findings,
                       const char *resolved)
{
    cJSON *r = NULL;
    char err[ST_ERRLEN] = "", got[1024];
    T_EQ_INT(st_store_run_get(s, id, &r, err, sizeof err), ST_OK);
    if (!r) return;
    describe(cJSON_GetObjectItem(r, "findings"), got, sizeof got);
    T_EQ_STR(got, findings);
    describe(cJSON_GetObjectItem(r, "resolved"), got, sizeof got);
    T_EQ_STR(got, resolved);
    cJSON_Delete(r);
}

/* The ids of a runs page as "3,2,1", and its cursor. */
static void expect_runs(st_store *s, const char *suite, int64_t before,
                        size_t limit, const char *ids, int64_t next)
{
    cJSON *out = cJSON_CreateArray();
    int64_t got_next = -1;
    char err[ST_ERRLEN] = "", got[256] = "";
    T_EQ_INT(st_store_runs_list(s, suite, before, limit, out, &got_next, err,
                                sizeof err), ST_OK);
    const cJSON *x;
    cJSON_ArrayForEach(x, out) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%d", used ? "," : "",
                 cJSON_GetObjectItem(x, "id")->valueint);
    }
    T_EQ_STR(got, ids);
    T_EQ_INT(got_next, next);
    cJSON_Delete(out);
}

static void test_runs_new_open_resolved(void)
{
    st_store *s = open_store("runs.db");
    if (!s) return;
    const char *const pol[] = {"p.a", "p.b"};
    st_findings f;
    st_run_counts c;
    char err[ST_ERRLEN] = "", want[2048], fp[ST_FINGERPRINT_LEN + 1];

    st_findings_init(&f);
    st_finding *a = add_f(&f, "p.a", "s1", ST_SEV_HIGH, "owner", NULL,
                          "no owner");
    a->evidence = cJSON_Parse("{\"n\":1}");
    a->layer = ST_LAYER_GOVERNANCE;       /* a layer is kept with the rest */
    add_f(&f, "p.b", "s2", ST_SEV_LOW, NULL, "k1", "b");
    st_finding_fingerprint(&f.v[0], fp);
    int64_t r1 = run_with(s, "nightly", NOW, &f, pol, 2, NULL, 0, &c);
    T_EQ_INT(r1, 1);
    EXPECT_COUNTS(c, 2, 2, 0, 0);
    st_findings_free(&f);
    cJSON *got = NULL;
    T_EQ_INT(st_store_run_get(s, r1, &got, err, sizeof err), ST_OK);
    snprintf(want, sizeof want,
             "{\"id\":1,\"suite\":\"nightly\",\"started\":"
             "\"2026-11-26T00:00:00Z\",\"finished\":\"2026-11-26T00:00:10Z\","
             "\"outcome\":\"completed\",\"clock\":\"2026-11-26T00:00:00Z\","
             "\"counts\":{\"findings\":2,\"new\":2,\"resolved\":0,"
             "\"alerts\":0},\"inputs\":{\"registry_hash\":null,"
             "\"policy_hash\":null,\"obs_high_water\":0,\"version\":"
             "\"0.2.0\",\"vm\":\"Lua 5.4\"},\"findings\":[{\"policy\":"
             "\"p.a\",\"subject\":\"s1\",\"severity\":\"high\","
             "\"enforcement\":\"soft-mandatory\",\"layer\":\"governance\","
             "\"message\":\"no owner\","
             "\"path\":\"owner\",\"evidence\":{\"n\":1},\"key\":\"\","
             "\"identity\":\"%s\",\"status\":\"new\"}", fp);
    T_CHECK(!strncmp(json(got), want, strlen(want)));
    if (strncmp(json(got), want, strlen(want)))
        fprintf(stderr, "  got  %s\n  want %s...\n", json(got), want);
    cJSON_Delete(got);

    /* Run 2: s1's message changed (same identity: open), s3 is new, and
     * s2 is gone (resolved). */
    st_findings_init(&f);
    add_f(&f, "p.a", "s1", ST_SEV_HIGH, "owner", NULL, "no owner again");
    add_f(&f, "p.a", "s3", ST_SEV_MEDIUM, NULL, NULL, "c");
    int64_t r2 = run_with(s, "nightly", NOW + DAY, &f, pol, 2, NULL, 0, &c);
    EXPECT_COUNTS(c, 2, 1, 1, 0);
    st_findings_free(&f);
    expect_run(s, r2, "p.a s1 -:open; p.a s3 -:new", "p.b s2 k1");

    /* Run 3: s3 twice (a multiset: one open, one new), s2 back (new
     * again: not in run 2), s1 resolved. */
    st_findings_init(&f);
    add_f(&f, "p.a", "s3", ST_SEV_MEDIUM, NULL, NULL, "c");
    add_f(&f, "p.a", "s3", ST_SEV_MEDIUM, NULL, NULL, "c again");
    add_f(&f, "p.b", "s2", ST_SEV_LOW, NULL, "k1", "b");
    int64_t r3 = run_with(s, "nightly", NOW + 2 * DAY, &f, pol, 2, NULL, 0,
                          &c);
    EXPECT_COUNTS(c, 3, 2, 1, 0);
    st_findings_free(&f);
    expect_run(s, r3, "p.a s3 -:open; p.a s3 -:new; p.b s2 k1:new",
               "p.a s1 -");
    expect_run(s, r1, "p.a s1 -:new; p.b s2 k1:new", "");

    /* Run 4: s3 once: the other copy is resolved. */
    st_findings_init(&f);
    add_f(&f, "p.a", "s3", ST_SEV_MEDIUM, NULL, NULL, "c");
    add_f(&f, "p.b", "s2", ST_SEV_LOW, NULL, "k1", "b");
    int64_t r4 = run_with(s, "nightly", NOW + 3 * DAY, &f, pol, 2, NULL, 0,
                          &c);
    EXPECT_COUNTS(c, 2, 0, 1, 0);
    st_findings_free(&f);
    expect_run(s, r4, "p.a s3 -:open; p.b s2 k1:open", "p.a s3 -");

    expect_runs(s, "nightly", 0, 3, "4,3,2", 2);
    expect_runs(s, "nightly", 2, 3, "1", 0);
    expect_runs(s, NULL, 0, 4, "4,3,2,1", 0);
    expect_runs(s, "weekly", 0, 10, "", 0);
    cJSON *out = cJSON_CreateArray();
    int64_t next = -1;
    T_EQ_INT(st_store_runs_list(s, "nightly", 2, 1, out, &next, err,
                                sizeof err), ST_OK);
    T_EQ_STR(json(out),
             "[{\"id\":1,\"suite\":\"nightly\",\"started\":"
             "\"2026-11-26T00:00:00Z\",\"finished\":\"2026-11-26T00:00:10Z\","
             "\"outcome\":\"completed\",\"clock\":\"2026-11-26T00:00:00Z\","
             "\"counts\":{\"findings\":2,\"new\":2,\"resolved\":0,"
             "\"alerts\":0}}]");
    T_EQ_INT(st_store_runs_list(s, NULL, 0, 0, out, &next, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "limit must be between 1 and 10000, not 0");
    cJSON_Delete(out);

    /* Finishing twice, or a run that does not exist. */
    st_run_result res = {.outcome = ST_RUN_COMPLETED, .finished = NOW};
    T_EQ_INT(st_store_run_finish(s, r1, &res, &c, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "run 1 has already finished");
    T_EQ_INT(st_store_run_finish(s, 99, &res, &c, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "no run 99");
    T_EQ_INT(st_store_run_get(s, 99, &got, err, sizeof err), ST_EINPUT);
    T_EQ_STR(err, "no run 99");
    T_CHECK(got == NULL);
    st_store_close(s);
}

static void test_runs_suites_independent(void)
{
    st_store *s = open_store("suites.db");
    if (!s) return;
    st_findings ab, a, none;
    st_run_counts c;
    char err[ST_ERRLEN] = "";
    st_findings_init(&ab);
    st_findings_init(&a);
    st_findings_init(&none);
    add_f(&ab, "p.a", "s1", ST_SEV_HIGH, NULL, NULL, "a");
    add_f(&ab, "p.b", "s2", ST_SEV_HIGH, NULL, NULL, "b");
    add_f(&a, "p.a", "s1", ST_SEV_HIGH, NULL, NULL, "a");

    run_with(s, "nightly", NOW, &ab, NULL, 0, NULL, 0, &c);
    EXPECT_COUNTS(c, 2, 2, 0, 0);
    /* Another suite has its own history: a is new to it. */
    run_with(s, "weekly", NOW + 60, &a, NULL, 0, NULL, 0, &c);
    EXPECT_COUNTS(c, 1, 1, 0, 0);
    /* nightly compares with its own run 1, not weekly's run 2. */
    int64_t r3 = run_with(s, "nightly", NOW + 120, &a, NULL, 0, NULL, 0, &c);
    EXPECT_COUNTS(c, 1, 0, 1, 0);
    expect_run(s, r3, "p.a s1 -:open", "p.b s2 -");
    run_with(s, "weekly", NOW + 180, &none, NULL, 0, NULL, 0, &c);
    EXPECT_COUNTS(c, 0, 0, 1, 0);

    /* A failed run is no baseline: run 6 compares with run 3. */
    int64_t r5 = 0;
    st_run_record rec = {.suite = "nightly", .started = NOW + 240,
                         .clock = NOW + 240};
    T_EQ_INT(st_store_run_begin(s, &rec, &r5, err, sizeof err), ST_OK);
    st_run_result res = {.outcome = ST_RUN_FAILED, .finished = NOW + 250,
                         .findings = &ab, .error = "policy set broke"};
    T_EQ_INT(st_store_run_finish(s, r5, &res, &c, err, sizeof err), ST_OK);
    EXPECT_COUNTS(c, 0, 0, 0, 0);
    expect_run(s, r5, "", "");
    int64_t r6 = run_with(s, "nightly", NOW + 300, &ab, NULL, 0, NULL, 0, &c);
    EXPECT_COUNTS(c, 2, 1, 0, 0);
    expect_run(s, r6, "p.a s1 -:open; p.b s2 -:new", "");

    expect_runs(s, NULL, 0, 10, "6,5,4,3,2,1", 0);
    expect_runs(s, "weekly", 0, 10, "4,2", 0);
    cJSON *got = NULL;
    T_EQ_INT(st_store_run_get(s, r5, &got, err, sizeof err), ST_OK);
    T_EQ_STR(cJSON_GetObjectItem(got, "outcome")->valuestring, "failed");
    T_EQ_STR(cJSON_GetObjectItem(got, "error")->valuestring,
             "policy set broke");
    cJSON_Delete(got);
    st_findings_free(&ab);
    st_findings_free(&a);
    st_findings_free(&none);
    st_store_close(s);
}

/* "subject policy run suite first_seen; ..." of the current findings. */
static void expect_current(st_store *s, st_findings_query q,
                           const char *want, int64_t next)
{
    cJSON *out = cJSON_CreateArray();
    int64_t got_next = -1;
    char err[ST_ERRLEN] = "", got[2048] = "";
    T_EQ_INT(st_store_findings_current(s, &q, out, &got_next, err,
                                       sizeof err), ST_OK);
    const cJSON *x;
    cJSON_ArrayForEach(x, out) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%s %s %d %s %s",
                 used ? "; " : "",
                 cJSON_GetObjectItem(x, "subject")->valuestring,
                 cJSON_GetObjectItem(x, "policy")->valuestring,
                 cJSON_GetObjectItem(x, "run")->valueint,
                 cJSON_GetObjectItem(x, "suite")->valuestring,
                 cJSON_GetObjectItem(x, "first_seen")->valuestring);
    }
    T_EQ_STR(got, want);
    T_EQ_INT(got_next, next);
    cJSON_Delete(out);
}

static void test_first_seen(void)
{
    st_store *s = open_store("seen.db");
    if (!s) return;
    st_findings a, ac, none;
    st_run_counts c;
    char err[ST_ERRLEN] = "", buf[64];
    st_findings_init(&a);
    st_findings_init(&ac);
    st_findings_init(&none);
    add_f(&a, "p.a", "s1", ST_SEV_HIGH, NULL, NULL, "a");
    add_f(&ac, "p.a", "s1", ST_SEV_HIGH, NULL, NULL, "a");
    add_f(&ac, "p.a", "s3", ST_SEV_HIGH, NULL, NULL, "c");
    const char *const pol[] = {"p.a"};

    run_with(s, "s", NOW, &a, pol, 1, NULL, 0, &c);
    run_with(s, "s", NOW + DAY, &none, pol, 1, NULL, 0, &c);
    EXPECT_COUNTS(c, 0, 0, 1, 0);
    /* s1 comes back: new again, but first seen at run 1's start. */
    int64_t r3 = run_with(s, "s", NOW + 2 * DAY, &ac, pol, 1, NULL, 0, &c);
    EXPECT_COUNTS(c, 2, 2, 0, 0);
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 10},
                   "s1 p.a 3 s 2026-11-26T00:00:00Z; "
                   "s3 p.a 3 s 2026-11-28T00:00:00Z", 0);

    /* Runs 1 and 2 are past retention; run 3 is the suite's latest. */
    T_EQ_INT(st_store_prune(s, NOW + 40 * DAY, 30, 0, err, sizeof err),
             ST_OK);
    expect_runs(s, NULL, 0, 10, "3", 0);
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 10},
                   "s1 p.a 3 s 2026-11-26T00:00:00Z; "
                   "s3 p.a 3 s 2026-11-28T00:00:00Z", 0);
    int64_t r4 = run_with(s, "s", NOW + 41 * DAY, &a, pol, 1, NULL, 0, &c);
    EXPECT_COUNTS(c, 1, 0, 1, 0);
    expect_run(s, r4, "p.a s1 -:open", "p.a s3 -");
    /* s3 is in no run left after this prune, yet its first_seen stays. */
    T_EQ_INT(st_store_prune(s, NOW + 80 * DAY, 30, 0, err, sizeof err),
             ST_OK);
    expect_runs(s, NULL, 0, 10, "4", 0);
    T_EQ_STR(raw_text(st_store_db(s), "SELECT count(*) FROM first_seen", buf,
                      sizeof buf), "2");
    run_with(s, "s", NOW + 81 * DAY, &ac, pol, 1, NULL, 0, &c);
    EXPECT_COUNTS(c, 2, 1, 0, 0);
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 10},
                   "s1 p.a 5 s 2026-11-26T00:00:00Z; "
                   "s3 p.a 5 s 2026-11-28T00:00:00Z", 0);
    (void)r3;
    st_findings_free(&a);
    st_findings_free(&ac);
    st_findings_free(&none);
    st_store_close(s);
}

static void test_findings_current(void)
{
    st_store *s = open_store("current.db");
    if (!s) return;
    const char *const px[] = {"p.a", "p.b"}, *const py[] = {"p.c"},
                      *const pz[] = {"p.b"};
    st_findings f;
    char err[ST_ERRLEN] = "", want[2048];
    double h = 3600;

    st_findings_init(&f);
    add_f(&f, "p.a", "s1", ST_SEV_HIGH, NULL, NULL, "a");
    add_f(&f, "p.b", "s2", ST_SEV_LOW, NULL, NULL, "b");
    run_with(s, "x", NOW, &f, px, 2, NULL, 0, NULL);         /* run 1 */
    st_findings_free(&f);
    st_findings_init(&f);
    st_finding *e = add_f(&f, "p.c", "s1", ST_SEV_MEDIUM, "stage", "k",
                          "e");
    e->waiver = st_xstrdup("w1");
    run_with(s, "y", NOW + h, &f, py, 1, NULL, 0, NULL);     /* run 2 */
    st_findings_free(&f);
    st_findings_init(&f);
    add_f(&f, "p.a", "s1", ST_SEV_HIGH, NULL, NULL, "a");
    run_with(s, "x", NOW + 2 * h, &f, px, 2, NULL, 0, NULL); /* run 3 */
    st_findings_free(&f);
    st_findings_init(&f);
    e = add_f(&f, "p.c", "s1", ST_SEV_MEDIUM, "stage", "k", "e");
    e->waiver = st_xstrdup("w1");
    add_f(&f, "p.c", "s3", ST_SEV_LOW, NULL, NULL, "g");
    run_with(s, "y", NOW + 3 * h, &f, py, 1, NULL, 0, NULL); /* run 4 */

    /* A failed run of x changes nothing. */
    int64_t r5 = 0;
    st_run_record rec = {.suite = "x", .started = NOW + 4 * h,
                         .clock = NOW + 4 * h};
    T_EQ_INT(st_store_run_begin(s, &rec, &r5, err, sizeof err), ST_OK);
    st_run_result res = {.outcome = ST_RUN_TIMEOUT, .finished = NOW + 5 * h,
                         .policies = px, .npolicies = 2,
                         .error = "timed out"};
    st_run_counts c;
    T_EQ_INT(st_store_run_finish(s, r5, &res, &c, err, sizeof err), ST_OK);

    /* p.a and p.b from run 3 (p.b has none now), p.c from run 4. */
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 10},
                   "s1 p.a 3 x 2026-11-26T00:00:00Z; "
                   "s1 p.c 4 y 2026-11-26T01:00:00Z; "
                   "s3 p.c 4 y 2026-11-26T03:00:00Z", 0);
    cJSON *out = cJSON_CreateArray();
    int64_t next = -1;
    st_findings_query q = {.policy = "p.c", .subject = "s1",
                           .min_severity = -1, .limit = 10};
    T_EQ_INT(st_store_findings_current(s, &q, out, &next, err, sizeof err),
             ST_OK);
    char fp[ST_FINGERPRINT_LEN + 1];
    st_finding_fingerprint(e, fp);
    snprintf(want, sizeof want,
             "[{\"policy\":\"p.c\",\"subject\":\"s1\",\"severity\":"
             "\"medium\",\"enforcement\":\"soft-mandatory\",\"layer\":null,"
             "\"message\":"
             "\"e\",\"path\":\"stage\",\"evidence\":null,\"waived_by\":"
             "\"w1\",\"key\":\"k\",\"identity\":\"%s\",\"first_seen\":"
             "\"2026-11-26T01:00:00Z\",\"run\":4,\"suite\":\"y\"}]", fp);
    T_EQ_STR(json(out), want);
    T_EQ_INT(next, 0);
    cJSON_Delete(out);
    st_findings_free(&f);

    /* A third suite takes over p.b. */
    st_findings_init(&f);
    add_f(&f, "p.b", "s2", ST_SEV_LOW, NULL, NULL, "b");
    run_with(s, "z", NOW + 6 * h, &f, pz, 1, NULL, 0, NULL); /* run 6 */
    st_findings_free(&f);
    const char *all = "s1 p.a 3 x 2026-11-26T00:00:00Z; "
                      "s1 p.c 4 y 2026-11-26T01:00:00Z; "
                      "s2 p.b 6 z 2026-11-26T00:00:00Z; "
                      "s3 p.c 4 y 2026-11-26T03:00:00Z";
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 10},
                   all, 0);
    expect_current(s, (st_findings_query){.policy = "p.c",
                                          .min_severity = -1, .limit = 10},
                   "s1 p.c 4 y 2026-11-26T01:00:00Z; "
                   "s3 p.c 4 y 2026-11-26T03:00:00Z", 0);
    expect_current(s, (st_findings_query){.subject = "s1",
                                          .min_severity = -1, .limit = 10},
                   "s1 p.a 3 x 2026-11-26T00:00:00Z; "
                   "s1 p.c 4 y 2026-11-26T01:00:00Z", 0);
    expect_current(s, (st_findings_query){.suite = "z", .min_severity = -1,
                                          .limit = 10},
                   "s2 p.b 6 z 2026-11-26T00:00:00Z", 0);
    expect_current(s, (st_findings_query){.min_severity = ST_SEV_MEDIUM,
                                          .limit = 10},
                   "s1 p.a 3 x 2026-11-26T00:00:00Z; "
                   "s1 p.c 4 y 2026-11-26T01:00:00Z", 0);
    expect_current(s, (st_findings_query){.policy = "p.zzz",
                                          .min_severity = -1, .limit = 10},
                   "", 0);

    /* Pages: the cursor is the last finding row of a page (rows: run 1
     * has 1 and 2, run 2 has 3, run 3 has 4 and the resolved copy 5,
     * run 4 has 6 and 7, run 6 has 8). */
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 1},
                   "s1 p.a 3 x 2026-11-26T00:00:00Z", 4);
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 1,
                                          .after = 4},
                   "s1 p.c 4 y 2026-11-26T01:00:00Z", 6);
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 2,
                                          .after = 6},
                   "s2 p.b 6 z 2026-11-26T00:00:00Z; "
                   "s3 p.c 4 y 2026-11-26T03:00:00Z", 0);
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 3},
                   "s1 p.a 3 x 2026-11-26T00:00:00Z; "
                   "s1 p.c 4 y 2026-11-26T01:00:00Z; "
                   "s2 p.b 6 z 2026-11-26T00:00:00Z", 8);
    expect_current(s, (st_findings_query){.min_severity = -1, .limit = 3,
                                          .after = 8},
                   "s3 p.c 4 y 2026-11-26T03:00:00Z", 0);
    out = cJSON_CreateArray();
    q = (st_findings_query){.min_severity = -1, .limit = 3, .after = 999};
    T_EQ_INT(st_store_findings_current(s, &q, out, &next, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "cursor 999 is no longer valid");
    q.limit = 0;
    T_EQ_INT(st_store_findings_current(s, &q, out, &next, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "limit must be between 1 and 10000, not 0");
    cJSON_Delete(out);
    st_store_close(s);
}

/* }=== */

/* {=== Alerts =========================================================== */

/* A run of suite "al" against three rules: five findings in the first,
 * three (two of them the same) in the second. */
static int64_t alert_run(st_store *s, double started, int second,
                         st_run_counts *c)
{
    static const st_alert_rule rules[] = {
        {.target = 0, .min_severity = ST_SEV_HIGH},
        {.target = 1, .min_severity = ST_SEV_LOW, .on_all = 1},
        {.target = 0, .min_severity = ST_SEV_MEDIUM},  /* target 0 again */
    };
    st_findings f;
    st_findings_init(&f);
    add_f(&f, "p.h", "s1", ST_SEV_HIGH, NULL, NULL, "h");
    add_f(&f, "p.m", "s1", ST_SEV_MEDIUM, "x/y", "k", "m");
    if (!second) {
        add_f(&f, "p.l", "s2", ST_SEV_LOW, NULL, NULL, "l");
        add_f(&f, "p.w", "s3", ST_SEV_CRITICAL, NULL, NULL, "waived")
            ->waiver = st_xstrdup("w9");
        add_f(&f, "p.i", "s4", ST_SEV_INFO, NULL, NULL, "i");
    } else {
        add_f(&f, "p.l", "s5", ST_SEV_LOW, NULL, NULL, "l2");
    }
    int64_t id = run_with(s, "al", started, &f, NULL, 0, rules, 3, c);
    st_findings_free(&f);
    return id;
}

/* "id:target:attempts; ..." of the alerts due at now. */
static void expect_due(st_store *s, double now, size_t max, const char *want)
{
    st_alert *v = NULL;
    size_t n = 99;
    char err[ST_ERRLEN] = "", got[512] = "";
    T_EQ_INT(st_store_alerts_due(s, now, max, &v, &n, err, sizeof err),
             ST_OK);
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%d:%d:%d", i ? "; " : "",
                 (int)v[i].id, v[i].target, v[i].attempts);
    }
    T_EQ_STR(got, want);
    st_store_alerts_free(v, n);
}

static void expect_counts(st_store *s, size_t pending, size_t delivered,
                          size_t failed)
{
    size_t c[3] = {9, 9, 9};
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_store_alert_counts(s, c, err, sizeof err), ST_OK);
    T_EQ_INT(c[ST_ALERT_PENDING], pending);
    T_EQ_INT(c[ST_ALERT_DELIVERED], delivered);
    T_EQ_INT(c[ST_ALERT_FAILED], failed);
}

static void test_alerts_from_rules(void)
{
    st_store *s = open_store("alerts.db");
    if (!s) return;
    st_run_counts c;
    char err[ST_ERRLEN] = "", want[1024], fp[ST_FINGERPRINT_LEN + 1];
    /* High: both targets; medium: target 1 (on all) and 0 (third rule);
     * low: target 1 only; waived and info: none. */
    int64_t r1 = alert_run(s, NOW, 0, &c);
    EXPECT_COUNTS(c, 5, 5, 0, 5);
    expect_due(s, NOW + 10, 10, "1:0:0; 2:1:0; 3:1:0; 4:0:0; 5:1:0");
    st_alert *v = NULL;
    size_t n = 0;
    T_EQ_INT(st_store_alerts_due(s, NOW + 10, 10, &v, &n, err, sizeof err),
             ST_OK);
    st_findings f;
    st_findings_init(&f);
    st_finding_fingerprint(add_f(&f, "p.h", "s1", 0, NULL, NULL, ""), fp);
    snprintf(want, sizeof want,
             "{\"alert\":1,\"run\":1,\"suite\":\"al\",\"policy\":\"p.h\","
             "\"subject\":\"s1\",\"severity\":\"high\",\"enforcement\":"
             "\"soft-mandatory\",\"message\":\"h\",\"path\":null,"
             "\"identity\":\"%s\",\"first_seen\":\"2026-11-26T00:00:00Z\","
             "\"new\":true}", fp);
    T_EQ_STR(n ? v[0].body : "", want);
    st_finding_fingerprint(add_f(&f, "p.m", "s1", 0, "x/y", "k", ""), fp);
    snprintf(want, sizeof want,
             "{\"alert\":4,\"run\":1,\"suite\":\"al\",\"policy\":\"p.m\","
             "\"subject\":\"s1\",\"severity\":\"medium\",\"enforcement\":"
             "\"soft-mandatory\",\"message\":\"m\",\"path\":\"x/y\","
             "\"identity\":\"%s\",\"first_seen\":\"2026-11-26T00:00:00Z\","
             "\"new\":true}", fp);
    T_EQ_STR(n > 3 ? v[3].body : "", want);
    st_store_alerts_free(v, n);

    /* Run 2: nothing new at medium or above, so target 0 gets nothing;
     * target 1 gets all three again, marked not new but the low one. */
    int64_t r2 = alert_run(s, NOW + DAY, 1, &c);
    EXPECT_COUNTS(c, 3, 1, 3, 3);
    expect_due(s, NOW + DAY + 10, 10, "1:0:0; 2:1:0; 3:1:0; 4:0:0; 5:1:0; "
               "6:1:0; 7:1:0; 8:1:0");
    T_EQ_INT(st_store_alerts_due(s, NOW + DAY + 10, 10, &v, &n, err,
                                 sizeof err), ST_OK);
    st_finding_fingerprint(&f.v[0], fp);
    snprintf(want, sizeof want,
             "{\"alert\":6,\"run\":2,\"suite\":\"al\",\"policy\":\"p.h\","
             "\"subject\":\"s1\",\"severity\":\"high\",\"enforcement\":"
             "\"soft-mandatory\",\"message\":\"h\",\"path\":null,"
             "\"identity\":\"%s\",\"first_seen\":\"2026-11-26T00:00:00Z\","
             "\"new\":false}", fp);
    T_EQ_STR(n > 5 ? v[5].body : "", want);
    T_CONTAINS(n > 7 ? v[7].body : "", "\"subject\":\"s5\"");
    T_CONTAINS(n > 7 ? v[7].body : "", "\"first_seen\":"
               "\"2026-11-27T00:00:00Z\",\"new\":true}");
    st_store_alerts_free(v, n);
    cJSON *got = NULL;
    T_EQ_INT(st_store_run_get(s, r2, &got, err, sizeof err), ST_OK);
    T_EQ_STR(json(cJSON_GetObjectItem(got, "counts")),
             "{\"findings\":3,\"new\":1,\"resolved\":3,\"alerts\":3}");
    cJSON_Delete(got);
    (void)r1;
    st_findings_free(&f);
    st_store_close(s);
}

static void test_alerts_delivery(void)
{
    st_store *s = open_store("deliver.db");
    if (!s) return;
    char err[ST_ERRLEN] = "", buf[64];
    T_EQ_INT(st_store_alert_next_due(s), -1);
    expect_counts(s, 0, 0, 0);
    alert_run(s, NOW, 0, NULL);               /* alerts 1-5, due NOW + 10 */
    expect_counts(s, 5, 0, 0);
    T_CHECK(st_store_alert_next_due(s) == NOW + 10);
    expect_due(s, NOW + 9, 10, "");
    expect_due(s, NOW + 10, 2, "1:0:0; 2:1:0");
    expect_due(s, NOW + 10, 0, "");

    /* 1 is retried later, 2 delivered, 3 failed for good. */
    T_EQ_INT(st_store_alert_attempt(s, 1, ST_ALERT_PENDING, NOW + 70,
                                    "HTTP 503", err, sizeof err), ST_OK);
    T_EQ_INT(st_store_alert_attempt(s, 2, ST_ALERT_DELIVERED, 0, NULL, err,
                                    sizeof err), ST_OK);
    T_EQ_INT(st_store_alert_attempt(s, 3, ST_ALERT_FAILED, 0, "HTTP 400",
                                    err, sizeof err), ST_OK);
    expect_counts(s, 3, 1, 1);
    expect_due(s, NOW + 10, 10, "4:0:0; 5:1:0");
    T_CHECK(st_store_alert_next_due(s) == NOW + 10);
    T_EQ_INT(st_store_alert_attempt(s, 4, ST_ALERT_DELIVERED, 0, NULL, err,
                                    sizeof err), ST_OK);
    T_EQ_INT(st_store_alert_attempt(s, 5, ST_ALERT_DELIVERED, 0, NULL, err,
                                    sizeof err), ST_OK);
    T_CHECK(st_store_alert_next_due(s) == NOW + 70);
    expect_due(s, NOW + 69, 10, "");
    expect_due(s, NOW + 70, 10, "1:0:1");
    sqlite3 *db = st_store_db(s);
    T_EQ_STR(raw_text(db, "SELECT last_error FROM alerts WHERE id = 1", buf,
                      sizeof buf), "HTTP 503");
    T_EQ_STR(raw_text(db, "SELECT last_error FROM alerts WHERE id = 3", buf,
                      sizeof buf), "HTTP 400");
    T_EQ_STR(raw_text(db, "SELECT attempts FROM alerts WHERE id = 3", buf,
                      sizeof buf), "1");

    /* Settled alerts stay as they ended; unknown ones are refused. */
    T_EQ_INT(st_store_alert_attempt(s, 2, ST_ALERT_FAILED, 0, NULL, err,
                                    sizeof err), ST_EINPUT);
    T_EQ_STR(err, "no pending alert 2");
    T_EQ_INT(st_store_alert_attempt(s, 99, ST_ALERT_DELIVERED, 0, NULL, err,
                                    sizeof err), ST_EINPUT);
    T_EQ_STR(err, "no pending alert 99");
    T_EQ_INT(st_store_alert_attempt(s, 1, (st_alert_status)7, 0, NULL, err,
                                    sizeof err), ST_EINPUT);
    T_EQ_STR(err, "bad alert status 7");

    /* Still pending after a restart, and never pruned while pending. */
    st_store_close(s);
    s = open_store("deliver.db");
    if (!s) return;
    alert_run(s, NOW + DAY, 1, NULL);         /* run 2: alerts 6-8 */
    T_EQ_INT(st_store_prune(s, NOW + 100 * DAY, 1, 0, err, sizeof err),
             ST_OK);
    expect_runs(s, NULL, 0, 10, "2,1", 0);
    expect_due(s, NOW + 70, 10, "1:0:1");
    T_EQ_INT(st_store_alert_attempt(s, 1, ST_ALERT_DELIVERED, 0, NULL, err,
                                    sizeof err), ST_OK);
    expect_counts(s, 3, 4, 1);
    /* Run 1's alerts are all settled now: it goes, and they with it. */
    T_EQ_INT(st_store_prune(s, NOW + 100 * DAY, 1, 0, err, sizeof err),
             ST_OK);
    expect_runs(s, NULL, 0, 10, "2", 0);
    expect_counts(s, 3, 0, 0);
    T_CHECK(st_store_alert_next_due(s) == NOW + DAY + 10);
    st_store_close(s);
}

/* }=== */

/* {=== Lifecycle, replay inputs and retention =========================== */

static void test_abandon_open(void)
{
    st_store *s = open_store("abandon.db");
    if (!s) return;
    char err[ST_ERRLEN] = "";
    int64_t a = 0, b = 0;
    st_run_record ra = {.suite = "s", .started = NOW, .clock = NOW};
    st_run_record rb = {.suite = "t", .started = NOW + 1, .clock = NOW + 1};
    T_EQ_INT(st_store_run_begin(s, &ra, &a, err, sizeof err), ST_OK);
    T_EQ_INT(st_store_run_begin(s, &rb, &b, err, sizeof err), ST_OK);
    run_with(s, "s", NOW + 2, NULL, NULL, 0, NULL, 0, NULL);
    cJSON *out = cJSON_CreateArray();
    int64_t next = -1;
    T_EQ_INT(st_store_runs_list(s, "t", 0, 1, out, &next, err, sizeof err),
             ST_OK);
    T_EQ_STR(json(out),
             "[{\"id\":2,\"suite\":\"t\",\"started\":\"2026-11-26T00:00:01Z\","
             "\"finished\":null,\"outcome\":\"running\",\"clock\":"
             "\"2026-11-26T00:00:01Z\",\"counts\":{\"findings\":0,\"new\":0,"
             "\"resolved\":0,\"alerts\":0}}]");
    cJSON_Delete(out);

    size_t n = 9;
    T_EQ_INT(st_store_runs_abandon_open(s, NOW + 5, &n, err, sizeof err),
             ST_OK);
    T_EQ_INT(n, 2);
    T_EQ_INT(st_store_runs_abandon_open(s, NOW + 6, &n, err, sizeof err),
             ST_OK);
    T_EQ_INT(n, 0);
    out = cJSON_CreateArray();
    T_EQ_INT(st_store_runs_list(s, NULL, 0, 10, out, &next, err, sizeof err),
             ST_OK);
    T_EQ_INT(cJSON_GetArraySize(out), 3);
    T_EQ_STR(json(cJSON_GetArrayItem(out, 2)),
             "{\"id\":1,\"suite\":\"s\",\"started\":\"2026-11-26T00:00:00Z\","
             "\"finished\":\"2026-11-26T00:00:05Z\",\"outcome\":"
             "\"abandoned\",\"clock\":\"2026-11-26T00:00:00Z\",\"counts\":"
             "{\"findings\":0,\"new\":0,\"resolved\":0,\"alerts\":0},"
             "\"error\":\"the daemon stopped during the run\"}");
    T_EQ_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(out, 0),
                                 "outcome")->valuestring, "completed");
    T_EQ_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(out, 1),
                                 "outcome")->valuestring, "abandoned");
    cJSON_Delete(out);

    st_run_result res = {.outcome = ST_RUN_COMPLETED, .finished = NOW + 7};
    st_run_counts c;
    T_EQ_INT(st_store_run_finish(s, a, &res, &c, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "run 1 has already finished");
    cJSON *rec = NULL;
    st_findings f;
    st_findings_init(&f);
    T_EQ_INT(st_store_run_inputs(s, b, &rec, &f, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, "run 2 did not complete (abandoned)");
    T_CHECK(rec == NULL);
    T_EQ_INT(f.n, 0);
    st_store_close(s);
}

static int64_t begin_run(st_store *s, const char *suite, double started,
                         int64_t hw, const char *reg, const char *pol)
{
    int64_t id = 0;
    char err[ST_ERRLEN] = "";
    st_run_record rec = {.suite = suite, .started = started,
                         .clock = started - 3600, .obs_high_water = hw,
                         .registry_hash = reg, .policy_hash = pol,
                         .version = "0.2.0", .vm = "Lua 5.4"};
    T_EQ_INT(st_store_run_begin(s, &rec, &id, err, sizeof err), ST_OK);
    return id;
}

static void finish_run(st_store *s, int64_t id, st_run_outcome outcome,
                       double finished, const st_findings *f)
{
    char err[ST_ERRLEN] = "";
    st_run_result res = {.outcome = outcome, .finished = finished,
                         .findings = f};
    st_run_counts c;
    T_EQ_INT(st_store_run_finish(s, id, &res, &c, err, sizeof err), ST_OK);
}

static void expect_inputs_refused(st_store *s, int64_t id, const char *want)
{
    cJSON *rec = NULL;
    st_findings f;
    char err[ST_ERRLEN] = "";
    st_findings_init(&f);
    T_EQ_INT(st_store_run_inputs(s, id, &rec, &f, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, want);
    T_CHECK(rec == NULL);
    T_EQ_INT(f.n, 0);
}

static void test_run_inputs_and_retention(void)
{
    char path[160];
    snprintf(path, sizeof path, "%s", path_of("replay.db"));
    st_store *s = open_store("replay.db");
    if (!s) return;
    char err[ST_ERRLEN] = "", h1[65], h2[65], h3[65], want[1024];
    size_t accepted = 0, len = 0;
    int dup = 0;
    T_EQ_INT(st_store_blob_put(s, "registry", "REG1", 4, h1, err,
                               sizeof err), ST_OK);
    T_EQ_INT(st_store_blob_put(s, "policies", "POL1", 4, h2, err,
                               sizeof err), ST_OK);
    T_EQ_INT(add_lines(s, LINES, 3, "kk", &accepted, &dup, err, sizeof err),
             ST_OK);
    st_findings f;
    st_findings_init(&f);
    add_f(&f, "p.a", "s1", ST_SEV_HIGH, "owner", "k", "a")->evidence =
        cJSON_Parse("[1,2]");

    int64_t r1 = begin_run(s, "r", NOW, st_store_obs_high_water(s), h1, h2);
    finish_run(s, r1, ST_RUN_COMPLETED, NOW + 10, &f);
    cJSON *rec = NULL;
    st_findings got;
    st_findings_init(&got);
    T_EQ_INT(st_store_run_inputs(s, r1, &rec, &got, err, sizeof err), ST_OK);
    snprintf(want, sizeof want,
             "{\"suite\":\"r\",\"outcome\":\"completed\",\"clock\":"
             "1795647600,\"registry_hash\":\"%s\",\"policy_hash\":\"%s\","
             "\"obs_high_water\":3,\"version\":\"0.2.0\",\"vm\":"
             "\"Lua 5.4\",\"policies\":[\"p.a\"]}", h1, h2);
    T_EQ_STR(json(rec), want);
    cJSON_Delete(rec);
    T_EQ_INT(got.n, 1);
    if (got.n == 1) {
        cJSON *a = st_finding_json(&f.v[0]), *b = st_finding_json(&got.v[0]);
        char *ta = cJSON_PrintUnformatted(a);
        T_EQ_STR(json(b), ta);
        T_CHECK(st_finding_identity_cmp(&f.v[0], &got.v[0]) == 0);
        cJSON_free(ta);
        cJSON_Delete(a);
        cJSON_Delete(b);
    }
    st_findings_free(&got);

    /* A newer registry for run 2; run 3 names a blob never stored; run 4
     * failed; run 5 never ends. */
    T_EQ_INT(st_store_blob_put(s, "registry", "REG2", 4, h3, err,
                               sizeof err), ST_OK);
    int64_t r2 = begin_run(s, "r", NOW + DAY, 3, h3, h2);
    finish_run(s, r2, ST_RUN_COMPLETED, NOW + DAY + 10, &f);
    char zeros[65];
    memset(zeros, '0', 64);
    zeros[64] = '\0';
    int64_t r3 = begin_run(s, "r3", NOW + DAY, 3, zeros, h2);
    finish_run(s, r3, ST_RUN_COMPLETED, NOW + DAY + 10, NULL);
    snprintf(want, sizeof want, "run 3: its inputs are past retention: its "
             "registry (%s) is no longer stored", zeros);
    expect_inputs_refused(s, r3, want);
    int64_t r4 = begin_run(s, "r4", NOW + DAY, 3, h3, h2);
    finish_run(s, r4, ST_RUN_FAILED, NOW + DAY + 10, NULL);
    expect_inputs_refused(s, r4, "run 4 did not complete (failed)");
    int64_t r5 = begin_run(s, "r5", NOW + DAY, 3, h3, h2);
    expect_inputs_refused(s, r5, "run 5 did not complete (running)");
    expect_inputs_refused(s, 77, "no run 77");

    /* Thirty days: run 1 goes (run 2 is r's latest), and with it REG1;
     * run 3 stays (r3's latest), run 4 goes (failed), run 5 runs on. */
    T_EQ_INT(st_store_prune(s, NOW + 40 * DAY, 30, 0, err, sizeof err),
             ST_OK);
    expect_runs(s, NULL, 0, 10, "5,3,2", 0);
    expect_inputs_refused(s, r1, "no run 1");
    char *data = NULL;
    T_EQ_INT(st_store_blob_get(s, h1, &data, &len, err, sizeof err),
             ST_EINPUT);
    snprintf(want, sizeof want, "%s: no blob %s (never stored, or past "
             "retention)", path, h1);
    T_EQ_STR(err, want);
    T_EQ_INT(st_store_blob_get(s, h3, &data, &len, err, sizeof err), ST_OK);
    T_EQ_STR(data, "REG2");
    free(data);
    T_EQ_INT(st_store_run_inputs(s, r2, &rec, &got, err, sizeof err), ST_OK);
    cJSON_Delete(rec);
    st_findings_free(&got);

    /* Observations before 2026-11-02 go: run 2 saw one of them. */
    T_EQ_INT(st_store_prune(s, NOW + 40 * DAY, 30, 64, err, sizeof err),
             ST_OK);
    T_EQ_INT(st_store_obs_count(s), 2);
    T_EQ_INT(st_store_obs_high_water(s), 3);
    expect_query(s, (st_obs_query){.limit = 10}, "2,3", 0);
    expect_inputs_refused(s, r2, "run 2: its inputs are past retention: "
                          "observations at or below its high-water mark 3 "
                          "were pruned");
    /* A run that began after the prune saw what is still there; ids are
     * not given twice. */
    T_EQ_INT(add_lines(s, LINES + 3, 2, NULL, &accepted, &dup, err,
                       sizeof err), ST_OK);
    expect_query(s, (st_obs_query){.limit = 10}, "2,3,4,5", 0);
    int64_t r6 = begin_run(s, "r", NOW + 41 * DAY, 5, h3, h2);
    finish_run(s, r6, ST_RUN_COMPLETED, NOW + 41 * DAY + 10, &f);
    T_EQ_INT(st_store_run_inputs(s, r6, &rec, &got, err, sizeof err), ST_OK);
    T_EQ_INT(got.n, 1);
    cJSON_Delete(rec);
    st_findings_free(&got);
    T_EQ_INT(st_store_prune(s, NOW + 40 * DAY, 0, 63, err, sizeof err),
             ST_OK);
    expect_query(s, (st_obs_query){.limit = 10}, "3,4,5", 0);
    expect_inputs_refused(s, r6, "run 6: its inputs are past retention: "
                          "observations at or below its high-water mark 5 "
                          "were pruned");
    expect_runs(s, NULL, 0, 10, "6,5,3,2", 0);

    /* Idempotency keys go with the observations' retention. */
    T_EQ_INT(add_lines(s, LINES, 3, "kk", &accepted, &dup, err, sizeof err),
             ST_OK);
    T_EQ_INT(dup, 1);
    T_EQ_INT(st_store_prune(s, NOW + 100 * DAY, 0, 1, err, sizeof err),
             ST_OK);
    T_EQ_INT(st_store_obs_count(s), 0);
    T_EQ_INT(add_lines(s, LINES, 3, "kk", &accepted, &dup, err, sizeof err),
             ST_OK);
    T_EQ_INT(dup, 0);
    T_EQ_INT(accepted, 3);
    expect_query(s, (st_obs_query){.limit = 10}, "6,7,8", 0);
    T_EQ_INT(st_store_obs_high_water(s), 8);
    st_findings_free(&f);
    st_store_close(s);
}

static void test_blobs(void)
{
    st_store *s = open_store("blobs.db");
    if (!s) return;
    char err[ST_ERRLEN] = "", h[65], h2[65], buf[64];
    T_EQ_INT(st_store_blob_put(s, "registry", "abc", 3, h, err, sizeof err),
             ST_OK);
    T_EQ_STR(h, "ba7816bf8f01cfea414140de5dae2223"
                "b00361a396177a9cb410ff61f20015ad");
    T_EQ_INT(st_store_blob_put(s, "registry", "abc", 3, h2, err,
                               sizeof err), ST_OK);
    T_EQ_STR(h2, h);
    T_EQ_STR(raw_text(st_store_db(s), "SELECT count(*) FROM blobs", buf,
                      sizeof buf), "1");
    T_EQ_INT(st_store_blob_put(s, "policies", NULL, 0, h, err, sizeof err),
             ST_OK);
    T_EQ_STR(h, "e3b0c44298fc1c149afbf4c8996fb924"
                "27ae41e4649b934ca495991b7852b855");
    T_EQ_INT(st_store_blob_put(s, "policies", "a\0b", 3, h2, err,
                               sizeof err), ST_OK);
    T_EQ_STR(raw_text(st_store_db(s), "SELECT count(*) FROM blobs", buf,
                      sizeof buf), "3");
    char *data = NULL;
    size_t len = 9;
    T_EQ_INT(st_store_blob_get(s, h, &data, &len, err, sizeof err), ST_OK);
    T_EQ_INT(len, 0);
    T_CHECK(data && data[0] == '\0');
    free(data);
    T_EQ_INT(st_store_blob_get(s, h2, &data, &len, err, sizeof err), ST_OK);
    T_EQ_INT(len, 3);
    T_CHECK(data && !memcmp(data, "a\0b", 4));
    free(data);
    T_EQ_INT(st_store_blob_get(s, "nope", &data, &len, err, sizeof err),
             ST_EINPUT);
    T_CHECK(data == NULL);
    T_EQ_INT(len, 0);
    T_CONTAINS(err, ": no blob nope (never stored, or past retention)");
    st_store_close(s);
}

/* }=== */

/* {=== kill -9 =========================================================== */

#define KILL_BATCH 50

/* The child: batches of KILL_BATCH observations of subject "b<N>", each
 * acknowledged on fd once committed, until killed. */
static void ingest_forever(const char *path, int fd)
{
    st_store *s = NULL;
    char err[ST_ERRLEN];
    if (st_store_open(path, 0, &s, err, sizeof err) != ST_OK) _exit(2);
    static char lines[KILL_BATCH][128];
    st_store_obs v[KILL_BATCH];
    char subject[32], key[32];
    for (int b = 1;; b++) {
        snprintf(subject, sizeof subject, "b%d", b);
        snprintf(key, sizeof key, "batch-%d", b);
        for (int i = 0; i < KILL_BATCH; i++) {
            snprintf(lines[i], sizeof lines[i], "{\"at\":"
                     "\"2026-11-01T00:00:00Z\",\"subject\":\"%s\","
                     "\"metric\":\"m\",\"value\":%d}", subject, i);
            v[i] = (st_store_obs){lines[i], strlen(lines[i]), NOW, subject,
                                  NULL, "m"};
        }
        size_t accepted;
        int dup;
        if (st_store_obs_add(s, v, KILL_BATCH, key, NOW, &accepted, &dup,
                             err, sizeof err) != ST_OK)
            _exit(3);
        if (write(fd, &b, sizeof b) != (ssize_t)sizeof b) _exit(4);
    }
}

/* Rows per batch in the store: counts[b] for b in 1..max. */
static void count_batches(st_store *s, int *counts, int max)
{
    st_obs_query q = {.limit = 10000};
    char err[ST_ERRLEN] = "";
    do {
        cJSON *out = cJSON_CreateArray();
        T_EQ_INT(st_store_obs_query(s, &q, out, &q.after, err, sizeof err),
                 ST_OK);
        const cJSON *x;
        cJSON_ArrayForEach(x, out) {
            int b = atoi(cJSON_GetObjectItem(x, "subject")->valuestring + 1);
            if (b >= 1 && b <= max) counts[b]++;
            else T_FAILF("batch %d out of range", b);
        }
        cJSON_Delete(out);
    } while (q.after);
}

static void test_kill9_durability(void)
{
    char path[160];
    snprintf(path, sizeof path, "%s", path_of("kill.db"));
    st_store_close(open_store("kill.db"));
    int fds[2];
    if (pipe(fds) != 0) {
        T_FAILF("pipe failed");
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        ingest_forever(path, fds[1]);
    }
    close(fds[1]);
    int acked = 0, b;
    while (acked < 25 && read(fds[0], &b, sizeof b) == (ssize_t)sizeof b)
        acked = b;
    kill(pid, SIGKILL);
    while (read(fds[0], &b, sizeof b) == (ssize_t)sizeof b) acked = b;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    T_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    T_CHECK(acked >= 25);

    /* Every acknowledged batch in full; at most one more, committed but
     * not yet acknowledged, also in full; nothing partial. */
    st_store *s = open_store("kill.db");
    if (!s) return;
    int counts[4096] = {0};
    int max = acked + 1 < 4095 ? acked + 1 : 4095;
    count_batches(s, counts, max);
    int present = 0;
    for (int i = 1; i <= max; i++) {
        if (i <= acked && counts[i] != KILL_BATCH)
            T_FAILF("acknowledged batch %d has %d rows", i, counts[i]);
        if (counts[i] != 0 && counts[i] != KILL_BATCH)
            T_FAILF("batch %d is partial: %d rows", i, counts[i]);
        present += counts[i] == KILL_BATCH;
    }
    T_CHECK(present == acked || present == acked + 1);
    T_EQ_INT(st_store_obs_count(s), (int64_t)present * KILL_BATCH);
    T_EQ_INT(st_store_obs_high_water(s), (int64_t)present * KILL_BATCH);
    char buf[64];
    T_EQ_INT(atoi(raw_text(st_store_db(s), "SELECT count(*) FROM idempotency"
                           " WHERE accepted = 50", buf, sizeof buf)),
             present);
    st_store_close(s);
}

/* }=== */

T_SUITE(
    T_CASE(test_open_create_reopen),
    T_CASE(test_refuse_not_sqlite),
    T_CASE(test_refuse_other_sqlite),
    T_CASE(test_refuse_newer_schema),
    T_CASE(test_read_only_missing),
    T_CASE(test_obs_query),
    T_CASE(test_obs_idempotency),
    T_CASE(test_obs_load),
    T_CASE(test_disk_full),
    T_CASE(test_write_error),
    T_CASE(test_two_connections),
    T_CASE(test_runs_new_open_resolved),
    T_CASE(test_runs_suites_independent),
    T_CASE(test_first_seen),
    T_CASE(test_findings_current),
    T_CASE(test_alerts_from_rules),
    T_CASE(test_alerts_delivery),
    T_CASE(test_abandon_open),
    T_CASE(test_run_inputs_and_retention),
    T_CASE(test_blobs),
    T_CASE(test_kill9_durability),
)
