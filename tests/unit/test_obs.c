/*
 * test_obs.c - observations (core/obs.c): JSON Lines of each kind, blank
 * lines, the (subject, time) index, and errors with their exact
 * FILE:LINE:COL, worked out by hand from the fixtures in tests/fixtures/obs.
 *
 * Run from the repository root (as `make test` does): fixture paths are
 * relative to it.
 */
#include "obs.h"
#include "t.h"

#include <stdlib.h>

#define FIX "tests/fixtures/obs/"

/* Epoch seconds of the fixture dates (from `date -u -d DATE +%s`). */
#define JAN01 1767225600.0
#define JAN15 1768435200.0
#define FEB01 1769904000.0
#define FEB02 1769990400.0
#define FEB03 1770076800.0
#define FEB03_10H 1770112800.0
#define FEB04 1770163200.0
#define FEB05 1770249600.0
#define FEB06 1770336000.0
#define MAR01 1772323200.0

static const char *str_of(const st_obsset *s, const st_obs *o, const char *key)
{
    return st_doc_str(&s->doc, st_doc_getk(&s->doc, o->value, key), NULL);
}

static double num_of(const st_obsset *s, const st_obs *o, const char *key)
{
    return st_doc_num(&s->doc, st_doc_getk(&s->doc, o->value, key));
}

static const char *atom(const st_obsset *s, uint32_t a)
{
    return st_doc_atom_str(&s->doc, a, NULL);
}

static int load(st_obsset *s, const char *path)
{
    char err[ST_ERRLEN] = "";
    int rc = st_obs_load(s, path, err, sizeof err);
    if (rc != ST_OK) T_FAILF("st_obs_load(%s): %s", path, err);
    return rc;
}

/* Loading path fails with ST_EINPUT, a message starting with exactly
 * "PATH:where: " and containing what. */
#define T_LOAD_FAILS(s, name, where, what) do { \
    char t_err_[ST_ERRLEN] = ""; \
    int t_rc_ = st_obs_load((s), FIX name, t_err_, sizeof t_err_); \
    T_EQ_INT(t_rc_, ST_EINPUT); \
    const char *t_pre_ = FIX name ":" where ": "; \
    if (strncmp(t_err_, t_pre_, strlen(t_pre_)) != 0) \
        T_FAILF("error \"%s\", expected to start with \"%s\"", t_err_, t_pre_); \
    T_CONTAINS(t_err_, what); } while (0)

static void test_kinds(void)
{
    st_obsset s;
    st_obs_init(&s);
    if (load(&s, FIX "good.jsonl")) { st_obs_free(&s); return; }
    /* 12 lines: one empty, one of blanks, ten records. */
    T_EQ_INT(s.n, 10);
    st_obs_index(&s);
    T_CHECK(s.sorted);

    size_t first = 99, n = st_obs_range(&s, "lead-qualification", &first);
    T_EQ_INT(n, 4);
    if (n == 4) {
        const st_obs *o = &s.v[first];
        /* Line 11 ends in \r\n; the earliest record. */
        T_CHECK(o[0].at == JAN15);
        T_EQ_STR(atom(&s, o[0].metric), "adherence");
        T_CHECK(num_of(&s, &o[0], "value") == 0.88);
        /* A metric record. */
        T_CHECK(o[1].at == FEB01);
        T_EQ_STR(atom(&s, o[1].subject), "lead-qualification");
        T_EQ_STR(atom(&s, o[1].metric), "adherence");
        T_CHECK(num_of(&s, &o[1], "value") == 0.91);
        /* An incident: the metric atom is the kind; fields kept. */
        T_CHECK(o[2].at == FEB04);
        T_EQ_STR(atom(&s, o[2].metric), "incident");
        T_EQ_STR(str_of(&s, &o[2], "severity"), "high");
        T_EQ_STR(str_of(&s, &o[2], "note"), "scores drifted");
        /* An override. */
        T_CHECK(o[3].at == FEB05);
        T_EQ_STR(atom(&s, o[3].metric), "override");
        T_CHECK(num_of(&s, &o[3], "count") == 3);
        T_CHECK(num_of(&s, &o[3], "of") == 410);
    }

    /* A line with blanks around it, and a lowercase t and z. */
    n = st_obs_range(&s, "renewal-forecasting", &first);
    T_EQ_INT(n, 1);
    if (n == 1) {
        T_CHECK(s.v[first].at == MAR01);
        T_EQ_STR(atom(&s, s.v[first].metric), "adherence");
    }
    st_obs_free(&s);
}

static void test_range_order(void)
{
    st_obsset s;
    st_obs_init(&s);
    if (load(&s, FIX "good.jsonl")) { st_obs_free(&s); return; }
    st_obs_index(&s);
    size_t first = 99, n = st_obs_range(&s, "lead-scorer", &first);
    /*
     * In time order; lines 2 and 9 are the same instant (10:00Z and
     * 12:00+02:00) and stay in input order. The usage record's subject is
     * its model.
     */
    T_EQ_INT(n, 5);
    if (n == 5) {
        const st_obs *o = &s.v[first];
        T_CHECK(o[0].at == FEB01);
        T_CHECK(num_of(&s, &o[0], "value") == 0.12);
        T_CHECK(o[1].at == FEB02);
        T_EQ_STR(atom(&s, o[1].metric), "review");           /* kept as is */
        T_EQ_STR(str_of(&s, &o[1], "note"), "other kinds are kept");
        T_CHECK(o[2].at == FEB03);
        T_EQ_STR(atom(&s, o[2].metric), "usage");
        T_EQ_STR(str_of(&s, &o[2], "caller"), "renewal-forecasting");
        T_CHECK(num_of(&s, &o[2], "count") == 120);
        T_CHECK(o[3].at == FEB03_10H);
        T_EQ_STR(atom(&s, o[3].metric), "psi");
        T_CHECK(num_of(&s, &o[3], "value") == 0.27);
        T_CHECK(o[4].at == FEB03_10H);
        T_EQ_STR(atom(&s, o[4].metric), "error_rate");
        for (size_t i = 0; i < n; i++)
            T_EQ_STR(atom(&s, o[i].subject), "lead-scorer");
    }

    /* Unknown subjects, and strings that are atoms but no subject. */
    T_EQ_INT(st_obs_range(&s, "nobody", &first), 0);
    T_EQ_INT(st_obs_range(&s, "psi", &first), 0);
    T_EQ_INT(st_obs_range(&s, "", &first), 0);

    /* A second file merges in; equal times keep input order across files. */
    if (load(&s, FIX "good2.jsonl")) { st_obs_free(&s); return; }
    T_EQ_INT(s.n, 13);
    st_obs_index(&s);
    n = st_obs_range(&s, "lead-scorer", &first);
    T_EQ_INT(n, 7);
    if (n == 7) {
        const st_obs *o = &s.v[first];
        T_CHECK(o[0].at == JAN01);
        T_CHECK(num_of(&s, &o[0], "value") == 0.05);
        T_CHECK(o[4].at == FEB03_10H && num_of(&s, &o[4], "value") == 0.27);
        T_EQ_STR(atom(&s, o[5].metric), "error_rate");
        T_CHECK(o[6].at == FEB03_10H && num_of(&s, &o[6], "value") == 0.31);
        for (size_t i = 1; i < n; i++) T_CHECK(o[i - 1].at <= o[i].at);
    }
    n = st_obs_range(&s, "lead-qualification", &first);
    T_EQ_INT(n, 5);
    if (n == 5) {
        T_CHECK(s.v[first + 4].at == FEB06);           /* count 0 of 0 is fine */
        T_CHECK(num_of(&s, &s.v[first + 4], "of") == 0);
    }
    st_obs_free(&s);
}

static void test_errors(void)
{
    st_obsset s;
    st_obs_init(&s);
    /* A comma is missing before "subject": the parser stops at its quote. */
    T_LOAD_FAILS(&s, "bad-json.jsonl", "3:20", "malformed JSON");
    T_LOAD_FAILS(&s, "not-object.jsonl", "2:1", "must be a JSON object");
    T_LOAD_FAILS(&s, "missing-at.jsonl", "1:1", "missing 'at'");
    T_LOAD_FAILS(&s, "bad-at.jsonl", "2:21", "'at' is not an RFC 3339 date");
    T_LOAD_FAILS(&s, "metric-value.jsonl", "5:55", "'value' must be a number");
    T_LOAD_FAILS(&s, "usage-caller.jsonl", "2:1", "missing 'caller'");
    T_LOAD_FAILS(&s, "override-count.jsonl", "2:61", "'count' must be between 0 and 'of'");
    T_EQ_INT(s.n, 0);
    st_obs_free(&s);
}

static void test_error_positions_at_the_end(void)
{
    st_obsset s;
    st_obs_init(&s);
    /* Text after the object: the position of that text ("extra"), not of
     * the blank before it. */
    T_LOAD_FAILS(&s, "trailing.jsonl", "2:58", "text after the object");
    /* A line cut short (the file's last, without a newline): the error is
     * at the end of the line, just past the last character (55 bytes). */
    T_LOAD_FAILS(&s, "truncated.jsonl", "2:56", "malformed JSON");
    st_obs_free(&s);
}

static void test_failing_file_keeps_earlier(void)
{
    st_obsset s;
    st_obs_init(&s);
    if (load(&s, FIX "good.jsonl")) { st_obs_free(&s); return; }
    st_obs_index(&s);
    /* Its first line is valid, its third is not: none of it stays. */
    T_LOAD_FAILS(&s, "bad-json.jsonl", "3:20", "malformed JSON");
    T_EQ_INT(s.n, 10);
    T_LOAD_FAILS(&s, "override-count.jsonl", "2:61", "between 0 and 'of'");
    T_EQ_INT(s.n, 10);
    st_obs_index(&s);
    size_t first = 0;
    T_EQ_INT(st_obs_range(&s, "only-in-bad", &first), 0);
    T_EQ_INT(st_obs_range(&s, "lead-scorer", &first), 5);
    T_EQ_INT(st_obs_range(&s, "lead-qualification", &first), 4);
    /* A later good file still loads after a failed one. */
    if (!load(&s, FIX "good2.jsonl")) {
        T_EQ_INT(s.n, 13);
        st_obs_index(&s);
        T_EQ_INT(st_obs_range(&s, "lead-scorer", &first), 7);
    }
    st_obs_free(&s);
}

static void test_missing_file(void)
{
    st_obsset s;
    st_obs_init(&s);
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_obs_load(&s, FIX "no-such-file.jsonl", err, sizeof err), ST_EIO);
    T_CONTAINS(err, FIX "no-such-file.jsonl");
    T_EQ_INT(s.n, 0);
    st_obs_free(&s);
}

/* st_obs_add_line(line) fails with exactly want. */
static void line_fails(st_obsset *s, const char *line, const char *want)
{
    char err[ST_ERRLEN] = "";
    size_t n0 = s->n;
    T_EQ_INT(st_obs_add_line(s, line, strlen(line), "mem", 7, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, want);
    T_EQ_INT(s->n, n0);
}

static void test_add_line(void)
{
    st_obsset s;
    st_obs_init(&s);
    char err[ST_ERRLEN] = "";
    const char *ok = "{\"at\":\"2026-02-01\",\"subject\":\"a\",\"metric\":\"m\",\"value\":-1.5}";
    T_EQ_INT(st_obs_add_line(&s, ok, strlen(ok), "mem", 1, err, sizeof err), ST_OK);
    T_EQ_INT(s.n, 1);
    /* The length bounds the line: what follows it is not read. */
    const char *two = "{\"at\":\"2026-02-02\",\"subject\":\"a\",\"metric\":\"m\",\"value\":2}GARBAGE";
    T_EQ_INT(st_obs_add_line(&s, two, strlen(two) - 7, "mem", 2, err, sizeof err), ST_OK);
    T_EQ_INT(s.n, 2);

    line_fails(&s, "{\"at\":20260201,\"subject\":\"a\",\"metric\":\"m\",\"value\":1}",
               "mem:7:7: 'at' must be a string");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"metric\":\"m\",\"value\":1}",
               "mem:7:1: missing 'subject'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"subject\":\"a\",\"value\":1}",
               "mem:7:1: missing 'metric'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"subject\":\"a\",\"metric\":\"m\"}",
               "mem:7:1: missing 'value'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"subject\":\"a\",\"metric\":\"m\",\"value\":null}",
               "mem:7:55: 'value' must be a number");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":7,\"subject\":\"a\"}",
               "mem:7:27: 'kind' must be a string");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"usage\",\"caller\":\"w\",\"count\":1}",
               "mem:7:1: missing 'model'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"usage\",\"model\":\"m\",\"caller\":\"w\"}",
               "mem:7:1: missing 'count'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"incident\",\"subject\":\"a\"}",
               "mem:7:1: missing 'severity'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"override\",\"subject\":\"a\",\"count\":1}",
               "mem:7:1: missing 'of'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"override\",\"subject\":\"a\",\"count\":-1,\"of\":5}",
               "mem:7:60: 'count' must be between 0 and 'of'");
    line_fails(&s, "{\"at\":\"2026-02-01T10:00:00\",\"subject\":\"a\",\"metric\":\"m\",\"value\":1}",
               "mem:7:7: 'at' is not an RFC 3339 date or time");
    line_fails(&s, "\"just a string\"", "mem:7:1: an observation must be a JSON object");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"subject\":\"a\",\"metric\":\"m\",\"value\":1,\"value\":2}",
               "mem:7:57: duplicate key 'value'");   /* the second name */
    T_EQ_INT(s.n, 2);
    st_obs_index(&s);
    size_t first = 9;
    T_EQ_INT(st_obs_range(&s, "a", &first), 2);
    T_CHECK(num_of(&s, &s.v[first], "value") == -1.5);
    T_CHECK(num_of(&s, &s.v[first + 1], "value") == 2);
    st_obs_free(&s);
}

/* An incident's `id` and the `response` kind (issue 15) need nothing of
 * obs.c: a response is a kind like any other, its subject required, its
 * `incident` field kept as written, indexed under the kind's name. */
static void test_incident_ids_and_responses(void)
{
    st_obsset s;
    st_obs_init(&s);
    char err[ST_ERRLEN] = "";
    const char *inc = "{\"at\":\"2026-02-03T10:00:00Z\",\"kind\":\"incident\","
                      "\"subject\":\"w\",\"severity\":\"high\",\"id\":\"INC-7\"}";
    const char *resp = "{\"at\":\"2026-02-04\",\"kind\":\"response\","
                       "\"subject\":\"w\",\"incident\":\"INC-7\"}";
    const char *bare = "{\"at\":\"2026-02-05\",\"kind\":\"response\","
                       "\"subject\":\"w\"}";
    T_EQ_INT(st_obs_add_line(&s, inc, strlen(inc), "mem", 1, err, sizeof err), ST_OK);
    T_EQ_INT(st_obs_add_line(&s, resp, strlen(resp), "mem", 2, err, sizeof err), ST_OK);
    T_EQ_INT(st_obs_add_line(&s, bare, strlen(bare), "mem", 3, err, sizeof err), ST_OK);
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"response\",\"incident\":\"INC-7\"}",
               "mem:7:1: missing 'subject'");
    T_EQ_INT(s.n, 3);
    st_obs_index(&s);
    size_t first = 9;
    T_EQ_INT(st_obs_range(&s, "w", &first), 3);
    if (s.n == 3) {
        T_CHECK(s.v[first].at == FEB03_10H);
        T_EQ_STR(str_of(&s, &s.v[first], "id"), "INC-7");
        T_EQ_STR(atom(&s, s.v[first + 1].metric), "response");
        T_CHECK(s.v[first + 1].is_kind);
        T_CHECK(s.v[first + 1].at == FEB04);
        T_EQ_STR(str_of(&s, &s.v[first + 1], "incident"), "INC-7");
        T_CHECK(str_of(&s, &s.v[first + 2], "incident") == NULL);
    }
    st_obs_free(&s);
}

/* The kinds lineage produces (issue 13): `run`, a job's run as it ended,
 * under its `subject`; `schema`, a dataset's schema as seen, under its
 * `dataset`. Each is checked, and indexed under the kind's name. */
static void test_run_and_schema(void)
{
    st_obsset s;
    st_obs_init(&s);
    char err[ST_ERRLEN] = "";
    const char *const good[] = {
        "{\"at\":\"2026-02-03T10:00:00Z\",\"kind\":\"run\",\"subject\":\"w\","
        "\"status\":\"fail\",\"duration_s\":12.5,\"run_id\":\"r1\"}",
        "{\"at\":\"2026-02-04\",\"kind\":\"run\",\"subject\":\"w\","
        "\"status\":\"complete\"}",
        "{\"at\":\"2026-02-05\",\"kind\":\"run\",\"subject\":\"w\","
        "\"status\":\"abort\",\"duration_s\":0}",
        "{\"at\":\"2026-02-04\",\"kind\":\"schema\",\"dataset\":\"crm.leads\","
        "\"version\":\"6\",\"fields\":4}",
        "{\"at\":\"2026-02-05\",\"kind\":\"schema\",\"dataset\":\"crm.leads\","
        "\"fields\":0}",
        "{\"at\":\"2026-02-06\",\"kind\":\"schema\",\"dataset\":\"crm.leads\","
        "\"version\":\"7\"}",
    };
    for (int i = 0; i < 6; i++)
        T_EQ_INT(st_obs_add_line(&s, good[i], strlen(good[i]), "mem", i + 1,
                                 err, sizeof err), ST_OK);
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"run\",\"status\":\"fail\"}",
               "mem:7:1: missing 'subject'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"run\",\"subject\":\"w\"}",
               "mem:7:1: missing 'status'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"run\",\"subject\":\"w\","
               "\"status\":\"START\"}",
               "mem:7:56: 'status' must be complete, fail or abort");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"run\",\"subject\":\"w\","
               "\"status\":\"fail\",\"duration_s\":-1}",
               "mem:7:76: 'duration_s' must be a number of seconds, not negative");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"schema\",\"subject\":\"d\","
               "\"version\":\"1\"}", "mem:7:1: missing 'dataset'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"schema\",\"dataset\":\"d\"}",
               "mem:7:1: a schema record needs 'version' or 'fields'");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"schema\",\"dataset\":\"d\","
               "\"version\":6}", "mem:7:60: 'version' must be a string");
    line_fails(&s, "{\"at\":\"2026-02-01\",\"kind\":\"schema\",\"dataset\":\"d\","
               "\"fields\":2.5}", "mem:7:59: 'fields' must be a whole number, not negative");
    T_EQ_INT(s.n, 6);
    st_obs_index(&s);
    size_t first = 9;
    T_EQ_INT(st_obs_range(&s, "w", &first), 3);
    if (s.n == 6) {
        T_EQ_STR(atom(&s, s.v[first].metric), "run");
        T_CHECK(s.v[first].is_kind);
        T_EQ_STR(str_of(&s, &s.v[first], "status"), "fail");
        T_CHECK(num_of(&s, &s.v[first], "duration_s") == 12.5);
    }
    T_EQ_INT(st_obs_range(&s, "crm.leads", &first), 3);
    if (s.n == 6) {
        T_EQ_STR(atom(&s, s.v[first].subject), "crm.leads");
        T_EQ_STR(atom(&s, s.v[first].metric), "schema");
        T_EQ_STR(str_of(&s, &s.v[first], "version"), "6");
        T_CHECK(s.v[first + 2].at == FEB06);
    }
    st_obs_free(&s);
}

T_SUITE(T_CASE(test_kinds), T_CASE(test_range_order), T_CASE(test_errors),
        T_CASE(test_error_positions_at_the_end),
        T_CASE(test_failing_file_keeps_earlier), T_CASE(test_missing_file),
        T_CASE(test_add_line), T_CASE(test_incident_ids_and_responses),
        T_CASE(test_run_and_schema))
