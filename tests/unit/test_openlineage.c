/*
 * test_openlineage.c - OpenLineage events into observations (core/
 * openlineage.c, ol_*.c): the mapping from the registry and a map file and
 * its conflicts; the records each kind of event makes, exactly; runs that
 * span inputs (a START in one, its end in the next, through a loader); a
 * run that ends twice; unknown and deleted facets; every malformed event
 * an error at its FILE:LINE:COL with nothing of the input kept; and the
 * suggestions fragment, which steward refuses to load as a registry.
 *
 * Run from the repository root: the fixtures are tests/fixtures/openlineage.
 */
#include "openlineage.h"
#include "t.h"

#include <stdlib.h>

#define FIX "tests/fixtures/openlineage/"
#define RUN_URL "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"

/* {=== Helpers ========================================================== */

static st_registry *load_registry(const char *text)
{
    st_registry *r = calloc(1, sizeof *r);
    char err[ST_ERRLEN] = "";
    st_registry_init(r);
    st_load_opts lo = {1};
    int rc = text ? st_registry_load_text(r, "reg.json", text, strlen(text),
                                          &lo, err, sizeof err)
                  : st_registry_load(r, FIX "registry.json", &lo, err,
                                     sizeof err);
    if (rc != ST_OK) T_FAILF("registry: %s", err);
    return r;
}

static void free_registry(st_registry *r)
{
    st_registry_free(r);
    free(r);
}

static st_ol_map *fixture_map(st_registry *r)
{
    st_ol_map *m = NULL;
    char err[ST_ERRLEN] = "";
    if (st_ol_map_load(r, FIX "map.json", &m, err, sizeof err) != ST_OK)
        T_FAILF("map: %s", err);
    return m;
}

/* The records of text as one line each, joined by newlines, into a static
 * buffer; "ERROR: message" when the conversion fails. */
static const char *convert(const st_ol_map *m, st_ol_state *s,
                           const char *text)
{
    static char out[65536];
    char err[ST_ERRLEN] = "";
    cJSON *a = cJSON_CreateArray();
    size_t events = 0;
    int rc = st_ol_convert(m, s, "in.jsonl", text, strlen(text), a, &events,
                           err, sizeof err);
    out[0] = '\0';
    if (rc != ST_OK) {
        snprintf(out, sizeof out, "ERROR: %s", err);
        if (cJSON_GetArraySize(a) != 0) T_FAILF("records kept on error");
    }
    size_t n = 0;
    for (const cJSON *r = a->child; r && !rc; r = r->next) {
        char *line = cJSON_PrintUnformatted(r);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? "\n" : "",
                              line);
        cJSON_free(line);
    }
    cJSON_Delete(a);
    return out;
}

/* The records of a fixture file, with the fixture registry and map. */
static cJSON *convert_file(const char *path, size_t *events)
{
    st_registry *r = load_registry(NULL);
    st_ol_map *m = fixture_map(r);
    st_ol_state *s = st_ol_state_new(NULL, NULL, 0);
    char err[ST_ERRLEN] = "";
    size_t len = 0;
    char *text = st_read_file(path, &len, err, sizeof err);
    cJSON *a = cJSON_CreateArray();
    if (!text || st_ol_convert(m, s, path, text, len, a, events, err,
                               sizeof err) != ST_OK)
        T_FAILF("%s: %s", path, err);
    free(text);
    st_ol_state_free(s);
    st_ol_map_free(m);
    free_registry(r);
    return a;
}

static const char *field(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(x) ? x->valuedouble : -1;
}

/* A minimal run event (job airflow/etl.x unless said) as one line. */
static const char *run_event(char *buf, size_t n, const char *type,
                             const char *at, const char *run,
                             const char *extra)
{
    snprintf(buf, n, "{\"eventType\":\"%s\",\"eventTime\":\"%s\","
             "\"producer\":\"p\",\"schemaURL\":\"" RUN_URL "\","
             "\"run\":{\"runId\":\"%s\"},\"job\":{\"namespace\":\"airflow\","
             "\"name\":\"etl.x\"}%s}", type, at, run, extra ? extra : "");
    return buf;
}

/* }=== */

/* {=== Mapping ========================================================== */

static void test_mapping(void)
{
    st_registry *r = load_registry(NULL);
    st_ol_map *m = fixture_map(r);
    st_ol_state *s = st_ol_state_new(NULL, NULL, 0);
    char a[1024], b[1024], all[2200];
    /* A workflow's openlineage field maps its job; an unmapped job keeps
     * namespace/name; the map file maps the Spark job. */
    snprintf(all, sizeof all, "%s\n%s",
             run_event(a, sizeof a, "COMPLETE", "2026-11-20T03:00:00Z", "r1",
                       NULL),
             run_event(b, sizeof b, "COMPLETE", "2026-11-20T03:00:01Z", "r2",
                       NULL));
    char *p = strstr(all, "\"name\":\"etl.x\"");
    if (p) memcpy(p, "\"name\":\"etl.y\"", 14);   /* the first event's job */
    const char *got = convert(m, s, all);
    T_CONTAINS(got, "\"subject\":\"airflow/etl.y\"");
    T_CONTAINS(got, "\"subject\":\"airflow/etl.x\"");
    const char *mapped =
        "{\"eventType\":\"COMPLETE\",\"eventTime\":\"2026-11-20T03:00:00Z\","
        "\"producer\":\"p\",\"schemaURL\":\"s\",\"run\":{\"runId\":\"r3\"},"
        "\"job\":{\"namespace\":\"airflow-prod\",\"name\":\"sales_scoring."
        "score_leads\"},\"inputs\":[{\"namespace\":\"s3://northwind-ml-models\","
        "\"name\":\"churn-predictor\"}],\"outputs\":[{\"namespace\":"
        "\"s3://northwind-lake\",\"name\":\"/warehouse/churn/account_scores\","
        "\"facets\":{\"schema\":{\"fields\":[]}}}]}";
    T_EQ_STR(convert(m, s, mapped),
        "{\"at\":\"2026-11-20T03:00:00Z\",\"kind\":\"run\",\"subject\":"
        "\"lead-qualification\",\"status\":\"complete\",\"run_id\":\"r3\","
        "\"producer\":\"p\",\"openlineage\":{\"namespace\":\"airflow-prod\","
        "\"name\":\"sales_scoring.score_leads\"},\"source\":\"openlineage\"}\n"
        "{\"at\":\"2026-11-20T03:00:00Z\",\"kind\":\"usage\",\"model\":"
        "\"churn-predictor\",\"caller\":\"lead-qualification\",\"count\":1,"
        "\"via\":\"input\",\"run_id\":\"r3\",\"openlineage\":{\"namespace\":"
        "\"airflow-prod\",\"name\":\"sales_scoring.score_leads\"},\"source\":"
        "\"openlineage\"}\n"
        "{\"at\":\"2026-11-20T03:00:00Z\",\"kind\":\"schema\",\"dataset\":"
        "\"churn.account_scores\",\"fields\":0,\"job\":\"lead-qualification\","
        "\"openlineage\":{\"namespace\":\"s3://northwind-lake\",\"name\":"
        "\"/warehouse/churn/account_scores\"},\"source\":\"openlineage\"}");
    st_ol_state_free(s);
    st_ol_map_free(m);
    free_registry(r);
}

static void map_fails(const st_registry *r, const char *map, const char *want)
{
    st_ol_map *m = (st_ol_map *)1;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_ol_map_new(r, "map.json", map, map ? strlen(map) : 0, &m,
                           err, sizeof err), ST_EINPUT);
    T_CHECK(m == NULL);
    T_EQ_STR(err, want);
}

static void test_mapping_conflicts(void)
{
    /* Two registry entries claiming one job: both places named. */
    st_registry *r = load_registry(
        "{\"workflows\": {\n"
        " \"a\": {\"openlineage\": {\"namespace\": \"af\", \"name\": \"j\"}},\n"
        " \"b\": {\"openlineage\": {\"namespace\": \"af\", \"name\": \"j\"}}}}");
    map_fails(r, NULL, "reg.json:3:23: /workflows/b/openlineage: the "
              "OpenLineage job af/j is mapped to 'b' there and to 'a' at "
              "reg.json:2:23: /workflows/a/openlineage");
    free_registry(r);
    r = load_registry("{\"datasets\": {\"d\": {\"openlineage\": "
                      "{\"namespace\": \"pg\"}}}}");
    map_fails(r, NULL, "reg.json:1:36: /datasets/d/openlineage: needs both "
              "a namespace and a name");
    free_registry(r);
    /* A model's mlflow_name that is another model's id. */
    r = load_registry("{\"models\": {\"a\": {}, \"b\": {\"mlflow_name\": \"a\"}}}");
    map_fails(r, NULL, "reg.json:1:43: /models/b/mlflow_name: the model name "
              "'a' is mapped to 'b' there and to 'a' at /models/a (its id)");
    free_registry(r);
    /* The map file against the registry, and against itself. */
    r = load_registry(NULL);
    map_fails(r, "{\"jobs\": [\n {\"namespace\": \"airflow-prod\", \"name\": "
              "\"sales_scoring.score_leads\", \"id\": \"churn-outreach\"}]}",
              "map.json:2:2: /jobs/0: the OpenLineage job airflow-prod/"
              "sales_scoring.score_leads is mapped to 'churn-outreach' there "
              "and to 'lead-qualification' at " FIX "registry.json:37:22: "
              "/workflows/lead-qualification/openlineage");
    map_fails(r, "{\"datasets\": [{\"namespace\": \"n\", \"name\": \"x\", "
              "\"id\": \"a\"},\n {\"namespace\": \"n\", \"name\": \"x\", "
              "\"id\": \"b\"}]}",
              "map.json:2:2: /datasets/1: the OpenLineage dataset n/x is "
              "mapped to 'b' there and to 'a' at map.json:1:15: /datasets/0");
    map_fails(r, "{\"job\": []}", "map.json:1:9: /job: unknown section "
              "(expected jobs, datasets or models)");
    map_fails(r, "{\"jobs\": {}}", "map.json:1:10: /jobs: expected an array "
              "of entries");
    map_fails(r, "{\"jobs\": [{\"name\": \"x\", \"id\": \"w\"}]}",
              "map.json:1:11: /jobs/0: expected {namespace, name, id}, each a "
              "non-empty string");
    map_fails(r, "{\"models\": [{\"name\": \"x\"}]}",
              "map.json:1:13: /models/0: expected {namespace, name, id} or "
              "{name, id}, each a non-empty string");
    map_fails(r, "[]", "map.json:1:1: /: a map file is an object with jobs, "
              "datasets and models");
    map_fails(r, "{\"jobs\": [", "map.json:1:11: malformed JSON");
    /* The same mapping twice is no conflict; metadata is ignored. */
    st_ol_map *m = NULL;
    char err[ST_ERRLEN] = "";
    const char *same = "{\"$comment\": \"x\", \"jobs\": [{\"namespace\": "
        "\"airflow-prod\", \"name\": \"sales_scoring.score_leads\", \"id\": "
        "\"lead-qualification\"}]}";
    T_EQ_INT(st_ol_map_new(r, "map.json", same, strlen(same), &m, err,
                           sizeof err), ST_OK);
    st_ol_map_free(m);
    free_registry(r);
}

/* }=== */

/* {=== What events make ================================================= */

/* The Airflow fixture: four events, two runs; the custom facet names the
 * model by its MLflow name; the input says its schema version. */
static void test_airflow_events(void)
{
    size_t events = 0;
    cJSON *a = convert_file(FIX "airflow.jsonl", &events);
    T_EQ_INT(events, 4);
    T_EQ_INT(cJSON_GetArraySize(a), 10);
    const cJSON *runs[2] = {NULL, NULL}, *uses[2] = {NULL, NULL};
    int nr = 0, nu = 0, ns = 0;
    for (const cJSON *o = a->child; o; o = o->next) {
        const char *k = field(o, "kind");
        if (!strcmp(k, "run") && nr < 2) runs[nr++] = o;
        else if (!strcmp(k, "usage") && nu < 2) uses[nu++] = o;
        else if (!strcmp(k, "schema")) ns++;
    }
    T_EQ_INT(nr, 2);
    T_EQ_INT(nu, 2);
    T_EQ_INT(ns, 6);
    if (nr == 2 && nu == 2) {
        T_EQ_STR(field(runs[0], "subject"), "lead-qualification");
        T_EQ_STR(field(runs[0], "status"), "complete");
        T_CHECK(num(runs[0], "duration_s") == 129.4);
        T_EQ_STR(field(runs[1], "status"), "fail");
        T_CHECK(num(runs[1], "duration_s") == 42.25);
        T_EQ_STR(field(runs[1], "error"), "psycopg2.OperationalError: could "
                 "not connect to server: Connection refused");
        T_EQ_STR(field(runs[1], "at"), "2026-11-21T03:00:47.250000+00:00");
        T_EQ_STR(field(uses[0], "model"), "lead-scorer");
        T_EQ_STR(field(uses[0], "caller"), "lead-qualification");
        T_EQ_STR(field(uses[0], "version"), "3.2.0");
        T_EQ_STR(field(uses[0], "via"), "facet");
        T_EQ_STR(field(uses[1], "run_id"),
                 "0193a1f4-2b9c-7e41-8a55-3c1d2e4f5a02");
    }
    cJSON_Delete(a);
}

/* The Spark fixture: a JSON array; no custom facet, the model is an input
 * mapped to it, its version from the version facet; RUNNING says nothing;
 * a number as schema version is written as one. */
static void test_spark_events(void)
{
    size_t events = 0;
    cJSON *a = convert_file(FIX "spark.json", &events);
    T_EQ_INT(events, 3);
    T_EQ_INT(cJSON_GetArraySize(a), 6);
    const cJSON *run = cJSON_GetArrayItem(a, 2), *use = cJSON_GetArrayItem(a, 3);
    T_EQ_STR(field(cJSON_GetArrayItem(a, 0), "dataset"), "crm.accounts");
    T_EQ_STR(field(cJSON_GetArrayItem(a, 0), "version"), "12");
    T_CHECK(num(cJSON_GetArrayItem(a, 0), "fields") == 12);
    T_EQ_STR(field(cJSON_GetArrayItem(a, 1), "dataset"),
             "churn.account_scores");
    T_EQ_STR(field(run, "kind"), "run");
    T_EQ_STR(field(run, "subject"), "churn-outreach");
    T_CHECK(num(run, "duration_s") == 72.345);
    T_EQ_STR(field(use, "kind"), "usage");
    T_EQ_STR(field(use, "model"), "churn-predictor");
    T_EQ_STR(field(use, "version"), "7");
    T_EQ_STR(field(use, "via"), "input");
    cJSON_Delete(a);
}

/* A DatasetEvent and a JobEvent make schema records only. */
static void test_dataset_and_job_events(void)
{
    size_t events = 0;
    cJSON *a = convert_file(FIX "schema-change.jsonl", &events);
    T_EQ_INT(events, 2);
    char *text = cJSON_PrintUnformatted(a);
    T_EQ_STR(text, "[{\"at\":\"2026-11-23T06:00:00Z\",\"kind\":\"schema\","
             "\"dataset\":\"crm.leads\",\"version\":\"6\",\"fields\":6,"
             "\"openlineage\":{\"namespace\":\"postgres://crm-db.internal:5432\","
             "\"name\":\"crm.public.leads\"},\"source\":\"openlineage\"},"
             "{\"at\":\"2026-11-23T06:05:00Z\",\"kind\":\"schema\",\"dataset\":"
             "\"crm.leads\",\"fields\":6,\"job\":\"lead-qualification\","
             "\"openlineage\":{\"namespace\":\"postgres://crm-db.internal:5432\","
             "\"name\":\"crm.public.leads\"},\"source\":\"openlineage\"}]");
    cJSON_free(text);
    cJSON_Delete(a);
}

/* Unknown facets are ignored whatever they hold; a deleted facet is gone;
 * a run ends once; events are taken in time order. */
static void test_facets_and_order(void)
{
    st_ol_map *m = NULL;
    char err[ST_ERRLEN] = "", a[1024], b[1024], c[1024], all[3200];
    T_EQ_INT(st_ol_map_new(NULL, NULL, NULL, 0, &m, err, sizeof err), ST_OK);
    st_ol_state *s = st_ol_state_new(NULL, NULL, 0);
    snprintf(all, sizeof all, "%s\n%s\n%s",
             run_event(a, sizeof a, "COMPLETE", "2026-11-20T03:01:00Z", "r1",
                       ",\"inputs\":[{\"namespace\":\"pg\",\"name\":\"t\","
                       "\"facets\":{\"schema\":{\"_deleted\":true},"
                       "\"weird\":[1,2],\"dataSource\":\"no object\"}}]"),
             run_event(b, sizeof b, "START", "2026-11-20T03:00:00Z", "r1",
                       ",\"x-extra\":{\"a\":1}"),
             run_event(c, sizeof c, "COMPLETE", "2026-11-20T03:02:00Z", "r1",
                       NULL));
    T_EQ_STR(convert(m, s, all),
             "{\"at\":\"2026-11-20T03:01:00Z\",\"kind\":\"run\",\"subject\":"
             "\"airflow/etl.x\",\"status\":\"complete\",\"duration_s\":60,"
             "\"run_id\":\"r1\",\"producer\":\"p\",\"openlineage\":"
             "{\"namespace\":\"airflow\",\"name\":\"etl.x\"},\"source\":"
             "\"openlineage\"}");
    st_ol_state_free(s);
    st_ol_map_free(m);
}

/* }=== */

/* {=== Runs across inputs =============================================== */

typedef struct {
    int calls, fail;
    char *stored;            /* one run's state, as the daemon keeps it */
} fake_store;

static int fake_load(void *ud, const char *run_id, char **state, char *err,
                     size_t errlen)
{
    fake_store *f = ud;
    f->calls++;
    *state = NULL;
    if (f->fail) return st_errf(err, errlen, ST_EIO, "disk on fire");
    if (f->stored && !strcmp(run_id, "r9")) *state = st_xstrdup(f->stored);
    return ST_OK;
}

static void test_runs_across_inputs(void)
{
    st_ol_map *m = NULL;
    char err[ST_ERRLEN] = "", ev[1024];
    T_EQ_INT(st_ol_map_new(NULL, NULL, NULL, 0, &m, err, sizeof err), ST_OK);
    fake_store f = {0, 0, NULL};
    /* A START with the custom facet: no record, but the state changed. */
    st_ol_state *s = st_ol_state_new(fake_load, &f, 0);
    T_EQ_STR(convert(m, s, run_event(ev, sizeof ev, "START",
                                     "2026-11-20T03:00:00Z", "r9",
                                     ",\"inputs\":[]")), "");
    char **ids, **states;
    size_t n = st_ol_state_changed(s, &ids, &states);
    T_EQ_INT(n, 1);
    if (n == 1) {
        T_EQ_STR(ids[0], "r9");
        T_EQ_STR(states[0], "{\"job\":\"airflow/etl.x\",\"started\":"
                 "1795143600,\"ended\":false,\"uses\":[]}");
        f.stored = states[0];
        free(ids[0]);
    }
    free(ids);
    free(states);
    T_EQ_INT(st_ol_state_changed(s, &ids, &states), 0);
    free(ids);
    free(states);
    st_ol_state_free(s);
    /* Another state (the next request) finds the START through the
     * loader, once, and the run ends with its duration. */
    s = st_ol_state_new(fake_load, &f, 0);
    const char *end = run_event(ev, sizeof ev, "FAIL", "2026-11-20T03:00:30Z",
                                "r9", NULL);
    T_CONTAINS(convert(m, s, end), "\"status\":\"fail\",\"duration_s\":30,");
    T_EQ_INT(f.calls, 2);
    /* The same end again: a run ends once. */
    T_EQ_STR(convert(m, s, end), "");
    n = st_ol_state_changed(s, &ids, &states);
    T_EQ_INT(n, 1);
    if (n == 1) T_CONTAINS(states[0], "\"ended\":true");
    for (size_t i = 0; i < n; i++) {
        free(ids[i]);
        free(states[i]);
    }
    free(ids);
    free(states);
    st_ol_state_free(s);
    free(f.stored);
    /* A loader that fails: ST_EIO, nothing made. */
    f = (fake_store){0, 1, NULL};
    s = st_ol_state_new(fake_load, &f, 0);
    T_EQ_STR(convert(m, s, end), "ERROR: disk on fire");
    T_EQ_INT(st_ol_state_changed(s, &ids, &states), 0);
    free(ids);
    free(states);
    st_ol_state_free(s);
    st_ol_map_free(m);
}

/* }=== */

/* {=== Malformed events ================================================= */

static void fails(const char *text, const char *want)
{
    st_ol_map *m = NULL;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_ol_map_new(NULL, NULL, NULL, 0, &m, err, sizeof err), ST_OK);
    st_ol_state *s = st_ol_state_new(NULL, NULL, 0);
    const char *got = convert(m, s, text);
    if (strncmp(got, "ERROR: ", 7) != 0) T_FAILF("no error for %s", text);
    else T_EQ_STR(got + 7, want);
    char **ids, **states;
    T_EQ_INT(st_ol_state_changed(s, &ids, &states), 0);
    free(ids);
    free(states);
    st_ol_state_free(s);
    st_ol_map_free(m);
}

static void test_malformed(void)
{
    char good[1024], bad[2400];
    run_event(good, sizeof good, "COMPLETE", "2026-11-20T03:00:00Z", "r1", NULL);
    /* The good first line does not count: nothing of the input does. */
    snprintf(bad, sizeof bad, "%s\n\n{\"eventTime\": oops}\n", good);
    fails(bad, "in.jsonl:3:15: malformed JSON");
    snprintf(bad, sizeof bad, "%s\n%s x\n", good, good);
    fails(bad, "in.jsonl:2:223: malformed JSON: text after the event");
    fails("[1]", "in.jsonl:1:2: /: an event must be a JSON object");
    fails("{\"eventTime\":\"2026-11-20T03:00:00Z\"}",
          "in.jsonl:1:1: /: missing 'producer'");
    fails("{\"eventTime\":\"2026-11-20\",\"producer\":\"p\",\"schemaURL\":\"s\"}",
          "in.jsonl:1:14: /eventTime: '2026-11-20' is not an RFC 3339 "
          "date-time");
    fails("{\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"p\","
          "\"schemaURL\":\"s\"}", "in.jsonl:1:1: /: not a RunEvent, JobEvent "
          "or DatasetEvent: it has no run, job or dataset");
    fails("{\"eventType\":\"DONE\",\"eventTime\":\"2026-11-20T03:00:00Z\","
          "\"producer\":\"p\",\"schemaURL\":\"s\",\"run\":{\"runId\":\"r\"},"
          "\"job\":{\"namespace\":\"a\",\"name\":\"b\"}}",
          "in.jsonl:1:14: /eventType: 'DONE' is not START, RUNNING, COMPLETE, "
          "ABORT, FAIL or OTHER");
    fails("{\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"p\","
          "\"schemaURL\":\"s\",\"run\":{},\"job\":{\"namespace\":\"a\","
          "\"name\":\"b\"}}", "in.jsonl:1:74: /run: missing 'runId'");
    fails("[{\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"p\","
          "\"schemaURL\":\"s\",\"job\":{\"namespace\":\"a\",\"name\":\"b\"}},\n"
          " {\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"p\","
          "\"schemaURL\":\"s\",\"job\":{\"namespace\":\"a\",\"name\":\"\"}}]",
          "in.jsonl:2:99: /job/name: expected a non-empty string");
    fails("{\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"p\","
          "\"schemaURL\":\"s\",\"dataset\":{\"namespace\":\"a\",\"name\":\"b\","
          "\"facets\":{\"schema\":{\"fields\":[{\"type\":\"int\"}]}}}}",
          "in.jsonl:1:136: /dataset/facets/schema/fields/0: missing 'name'");
    fails("{\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"p\","
          "\"schemaURL\":\"s\",\"job\":{\"namespace\":\"a\",\"name\":\"b\","
          "\"facets\":{\"steward_model\":{\"version\":\"1\"}}}}",
          "in.jsonl:1:128: /job/facets/steward_model: steward_model names a "
          "model: {\"name\", \"version\"} or {\"models\": [...]}");
    fails("{\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"p\","
          "\"schemaURL\":\"s\",\"job\":{\"namespace\":\"a\",\"name\":\"b\","
          "\"facets\":{\"ownership\":[]}}}",
          "in.jsonl:1:124: /job/facets/ownership: a facet is an object");
    fails("{\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"p\","
          "\"schemaURL\":\"s\",\"job\":{\"namespace\":\"a\",\"name\":\"b\"},"
          "\"inputs\":{}}", "in.jsonl:1:112: /inputs: expected an array of "
          "datasets");
    fails("{\"eventTime\":\"2026-11-20T03:00:00Z\",\"producer\":\"\xff\"}",
          "in.jsonl:1:49: not valid UTF-8");
}

/* }=== */

/* {=== Suggestions ====================================================== */

static void test_suggestions(void)
{
    st_registry *r = load_registry(NULL);
    st_ol_map *m = fixture_map(r);
    st_ol_state *s = st_ol_state_new(NULL, NULL, 1);
    char err[ST_ERRLEN] = "";
    size_t len = 0, events = 0;
    char *text = st_read_file(FIX "unregistered.jsonl", &len, err, sizeof err);
    cJSON *a = cJSON_CreateArray();
    T_EQ_INT(st_ol_convert(m, s, "u", text ? text : "", len, a, &events, err,
                           sizeof err), ST_OK);
    /* The unregistered job calls the registered lead-scorer, named by the
     * map file's models entry. */
    const cJSON *use = cJSON_GetArrayItem(a, 1);
    T_EQ_STR(field(use, "model"), "lead-scorer");
    T_EQ_STR(field(use, "caller"), "airflow-prod/pricing_lab.try_lead_scorer");
    cJSON *frag = st_ol_suggest(s, m);
    char *got = cJSON_PrintUnformatted(cJSON_GetObjectItem(frag,
                                                           "suggestions"));
    T_EQ_STR(got,
        "{\"owners\":{\"pricing-lab\":{\"name\":\"team:pricing-lab\",\"type\":"
        "\"team\",\"x-suggested\":{\"openlineage_owner\":\"team:pricing-lab\","
        "\"role\":\"OWNER\"}},\"ana.ruiz@northwind.example\":{\"name\":"
        "\"user:ana.ruiz@northwind.example\",\"type\":\"person\",\"x-suggested\":"
        "{\"openlineage_owner\":\"user:ana.ruiz@northwind.example\",\"role\":"
        "\"MAINTAINER\"}}},"
        "\"datasets\":{\"postgres://crm-db.internal:5432/pricing_lab.public."
        "price_tests\":{\"openlineage\":{\"namespace\":\"postgres://crm-db."
        "internal:5432\",\"name\":\"pricing_lab.public.price_tests\"},\"owner\":"
        "\"pricing-lab\",\"x-suggested\":{\"events\":1,\"first_seen\":"
        "\"2026-11-22T10:15:00Z\",\"last_seen\":\"2026-11-22T10:15:00Z\","
        "\"fields\":[{\"name\":\"lead_id\",\"type\":\"integer\"},{\"name\":"
        "\"price\",\"type\":\"numeric\"},{\"name\":\"variant\",\"type\":"
        "\"varchar\"}]}}},"
        "\"workflows\":{\"airflow-prod/pricing_lab.try_lead_scorer\":{"
        "\"openlineage\":{\"namespace\":\"airflow-prod\",\"name\":\"pricing_lab."
        "try_lead_scorer\"},\"owner\":\"ana.ruiz@northwind.example\",\"uses\":"
        "[\"lead-scorer\"],\"reads\":[\"crm.leads\"],\"writes\":[\"postgres://"
        "crm-db.internal:5432/pricing_lab.public.price_tests\"],\"x-suggested\":"
        "{\"events\":1,\"first_seen\":\"2026-11-22T10:15:00Z\",\"last_seen\":"
        "\"2026-11-22T10:15:00Z\",\"kind_hint\":\"workflow: a BATCH TASK of "
        "AIRFLOW\",\"job_type\":{\"processingType\":\"BATCH\",\"integration\":"
        "\"AIRFLOW\",\"jobType\":\"TASK\"}}}}}");
    cJSON_free(got);
    /* The fragment is not a registry: loading it fails, loudly. */
    char *frag_text = cJSON_Print(frag);
    st_registry reg;
    st_registry_init(&reg);
    st_load_opts lo = {0};
    T_EQ_INT(st_registry_load_text(&reg, "suggested.json", frag_text,
                                   strlen(frag_text), &lo, err, sizeof err),
             ST_EINPUT);
    T_CONTAINS(err, "/suggestions: unknown section");
    st_registry_free(&reg);
    cJSON_free(frag_text);
    cJSON_Delete(frag);
    cJSON_Delete(a);
    free(text);
    st_ol_state_free(s);
    st_ol_map_free(m);
    free_registry(r);
}

/* }=== */

T_SUITE(T_CASE(test_mapping), T_CASE(test_mapping_conflicts),
        T_CASE(test_airflow_events), T_CASE(test_spark_events),
        T_CASE(test_dataset_and_job_events), T_CASE(test_facets_and_order),
        T_CASE(test_runs_across_inputs), T_CASE(test_malformed),
        T_CASE(test_suggestions))
