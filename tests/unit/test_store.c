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

/* {=== Observations ===================================================== */

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
    T_EQ_STR(raw_text(db, "PRAGMA user_version", buf, sizeof buf), "1");
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
    raw_exec(s, "PRAGMA user_version = 2");
    st_store_close(s);          /* the last connection: WAL checkpointed */
    snprintf(want, sizeof want, "%s: store schema 2 is newer than this "
             "steward knows (1); use a newer steward", path);
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
)
