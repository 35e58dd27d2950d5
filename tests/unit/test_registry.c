/*
 * test_registry.c - the registry loader (core/registry.c): a directory of
 * files merged into one graph, and every kind of input error with its
 * exact FILE:LINE:COL and JSON Pointer.
 *
 * Expected positions were worked out by hand from the fixture text
 * (tests/fixtures/registry, or the inline texts below), never copied from
 * the loader's output: where the two differ, the test holds the true
 * position. Run from the repository root (as `make test` does): fixture
 * paths are relative to it.
 */
#include "jsonpos.h"
#include "registry.h"
#include "timeutil.h"
#include "t.h"

#include <stdlib.h>

#define FIX "tests/fixtures/registry/"

/* {=== Helpers ========================================================== */

/* Inline registries are written with ' for " so they stay readable in C;
 * the swap keeps every byte where it was, so positions do not move. */
static char *dq(const char *text)
{
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (copy)
        for (size_t i = 0; i < n; i++)
            copy[i] = text[i] == '\'' ? '"' : text[i];
    return copy;
}

/* st_registry_add of an inline text under the name "inline.json", then
 * st_registry_finish when the add succeeded. Returns the first failing
 * code; err receives its message. */
static int load_inline(st_registry *r, const char *text, int keep_going,
                       char *err, size_t errlen)
{
    char *json = dq(text);
    cJSON *root = json ? cJSON_Parse(json) : NULL;
    int rc;
    if (!root) {
        T_FAILF("inline fixture does not parse: %s", text);
        rc = ST_EIO;
    } else {
        st_load_opts opts = {keep_going};
        rc = st_registry_add(r, root, "inline.json", json, err, errlen);
        if (rc == ST_OK) rc = st_registry_finish(r, &opts, err, errlen);
    }
    cJSON_Delete(root);
    free(json);
    return rc;
}

/* Loading fails with ST_EINPUT and a message that starts with exactly
 * prefix ("FILE:LINE:COL: /pointer: ") and contains what. */
static void expect_error(int rc, const char *err, const char *prefix,
                         const char *what, int line)
{
    if (rc != ST_EINPUT)
        T_FAILF("(line %d) rc == %d, expected ST_EINPUT; err \"%s\"", line, rc, err);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        T_FAILF("(line %d) error \"%s\", expected to start with \"%s\"", line,
                err, prefix);
    if (what && !strstr(err, what))
        T_FAILF("(line %d) error \"%s\", expected to contain \"%s\"", line, err,
                what);
}

#define T_LOAD_FAILS(path, keep_going, prefix, what) do { \
    st_registry t_r_; st_registry_init(&t_r_); \
    char t_err_[ST_ERRLEN] = ""; \
    st_load_opts t_o_ = {keep_going}; \
    int t_rc_ = st_registry_load(&t_r_, (path), &t_o_, t_err_, sizeof t_err_); \
    expect_error(t_rc_, t_err_, (prefix), (what), __LINE__); \
    st_registry_free(&t_r_); } while (0)

#define T_INLINE_FAILS(text, prefix, what) do { \
    st_registry t_r_; st_registry_init(&t_r_); \
    char t_err_[ST_ERRLEN] = ""; \
    int t_rc_ = load_inline(&t_r_, (text), 0, t_err_, sizeof t_err_); \
    expect_error(t_rc_, t_err_, (prefix), (what), __LINE__); \
    st_registry_free(&t_r_); } while (0)

static uint32_t find(const st_registry *r, const char *id)
{
    return st_graph_find(&r->graph, id, strlen(id));
}

/* Is there an edge src -(rel)-> dst, seen from both ends? */
static int has_edge(const st_registry *r, const char *src, const char *dst,
                    st_rel rel)
{
    const st_graph *g = &r->graph;
    uint32_t s = find(r, src), d = find(r, dst);
    int out = 0, in = 0;
    if (s == ST_NODE_NONE || d == ST_NODE_NONE) return 0;
    for (uint32_t e = st_graph_out_begin(g, s); e < st_graph_out_end(g, s); e++)
        if (g->out_dst[e] == d && g->out_rel[e] == rel) out++;
    for (uint32_t e = st_graph_in_begin(g, d); e < st_graph_in_end(g, d); e++)
        if (g->in_src[e] == s && g->in_rel[e] == rel) in++;
    return out == 1 && in == 1;
}

static double epoch(const char *s)
{
    double e = 0;
    if (st_time_parse(s, &e) != 0) T_FAILF("bad date in test: %s", s);
    return e;
}

/* }=== */

/* {=== The happy path =================================================== */

static void test_directory_merges(void)
{
    st_registry r;
    st_registry_init(&r);
    char err[ST_ERRLEN] = "";
    st_load_opts opts = {0};
    int rc = st_registry_load(&r, FIX "ok", &opts, err, sizeof err);
    T_EQ_INT(rc, ST_OK);
    if (rc != ST_OK) {
        fprintf(stderr, "    error \"%s\"\n", err);
        st_registry_free(&r);
        return;
    }
    /* Three *.json files, in name order; README.txt and .draft.json are
     * not read. */
    T_EQ_INT(r.nfiles, 3);
    if (r.nfiles == 3) {
        T_EQ_STR(r.files[0].name, FIX "ok/a-people.json");
        T_EQ_STR(r.files[2].name, FIX "ok/c-workflows.json");
    }
    const st_graph *g = &r.graph;
    T_EQ_INT(g->nnodes, 9);
    T_EQ_INT(g->kind_count[ST_KIND_OWNER], 4);
    T_EQ_INT(g->kind_count[ST_KIND_SYSTEM], 1);
    T_EQ_INT(g->kind_count[ST_KIND_DATASET], 1);
    T_EQ_INT(g->kind_count[ST_KIND_MODEL], 1);
    T_EQ_INT(g->kind_count[ST_KIND_WORKFLOW], 2);

    static const struct { const char *id; st_kind kind; int file; } nodes[] = {
        {"maria.chen", ST_KIND_OWNER, 0}, {"ml-platform", ST_KIND_OWNER, 0},
        {"data-eng", ST_KIND_OWNER, 0}, {"finance", ST_KIND_OWNER, 0},
        {"crm", ST_KIND_SYSTEM, 0}, {"crm.leads", ST_KIND_DATASET, 1},
        {"lead-scorer", ST_KIND_MODEL, 1},
        {"lead-qualification", ST_KIND_WORKFLOW, 2},
        {"account-planning", ST_KIND_WORKFLOW, 2},
    };
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        uint32_t n = find(&r, nodes[i].id);
        if (n == ST_NODE_NONE) {
            T_FAILF("node '%s' not found", nodes[i].id);
            continue;
        }
        T_EQ_INT(g->nodes[n].kind, nodes[i].kind);
        T_EQ_INT(g->nodes[n].file, nodes[i].file);
        T_EQ_STR(st_graph_id(g, n), nodes[i].id);
    }
    /* Metadata keys are neither sections nor nodes. */
    T_EQ_INT(find(&r, "$schema"), ST_NODE_NONE);
    T_EQ_INT(find(&r, "x-generated-by"), ST_NODE_NONE);
    T_EQ_INT(find(&r, "w-volume"), ST_NODE_NONE);      /* waivers: no nodes */

    /* One edge per reference; the repeated read of crm.leads is one. */
    T_EQ_INT(g->nedges, 12);
    T_CHECK(has_edge(&r, "crm", "data-eng", ST_REL_OWNER));
    T_CHECK(has_edge(&r, "crm.leads", "data-eng", ST_REL_OWNER));
    T_CHECK(has_edge(&r, "lead-scorer", "ml-platform", ST_REL_OWNER));
    T_CHECK(has_edge(&r, "lead-scorer", "crm.leads", ST_REL_READS));
    T_CHECK(has_edge(&r, "lead-qualification", "maria.chen", ST_REL_OWNER));
    T_CHECK(has_edge(&r, "lead-qualification", "lead-scorer", ST_REL_USES));
    T_CHECK(has_edge(&r, "lead-qualification", "crm.leads", ST_REL_READS));
    T_CHECK(has_edge(&r, "lead-qualification", "crm", ST_REL_WRITES));
    T_CHECK(has_edge(&r, "lead-qualification", "account-planning", ST_REL_FEEDS));
    T_CHECK(has_edge(&r, "account-planning", "maria.chen", ST_REL_OWNER));
    T_CHECK(has_edge(&r, "account-planning", "lead-scorer", ST_REL_USES));
    T_CHECK(has_edge(&r, "account-planning", "crm", ST_REL_DEPENDS_ON));
    /* validated_for and input_schema name ids but are not references. */
    T_CHECK(!has_edge(&r, "lead-scorer", "lead-qualification", ST_REL_DEPENDS_ON));

    /* Fields stay visible, unknown ones included; null is kept as null. */
    uint32_t m = find(&r, "lead-scorer");
    if (m != ST_NODE_NONE) {
        st_val v = g->nodes[m].value;
        T_EQ_STR(st_doc_str(&r.doc, st_doc_getk(&r.doc, v, "version"), NULL), "3.2.0");
        T_EQ_INT(ST_VAL_TAG(st_doc_getk(&r.doc, v, "notes")), ST_T_NULL);
        T_CHECK(st_doc_getk(&r.doc, v, "notes") != ST_VAL_ABSENT);
        st_val custom = st_doc_getk(&r.doc, st_doc_getk(&r.doc, v, "custom"), "anything");
        T_EQ_INT(st_doc_len(&r.doc, custom), 3);
    }
    uint32_t ap = find(&r, "account-planning");
    if (ap != ST_NODE_NONE)
        T_EQ_INT(ST_VAL_TAG(st_doc_getk(&r.doc, g->nodes[ap].value, "stage")), ST_T_NULL);

    /* Waivers, with their expiry. */
    T_EQ_INT(r.nwaivers, 2);
    if (r.nwaivers == 2) {
        const st_waiver *w = &r.waivers[0];
        T_EQ_STR(w->id, "w-volume");
        T_EQ_STR(w->policy, "readiness.volume");
        T_EQ_STR(w->subject, "account-planning");
        T_EQ_STR(w->owner, "finance");
        T_EQ_STR(w->reason, "pilot volume");
        /* "2027-03-31" holds through that day: until 2027-04-01T00:00Z. */
        T_CHECK(w->expires == 1806451200.0 + 86400);
        T_EQ_INT(w->file, 2);
        T_EQ_STR(r.waivers[1].id, "w-old");
        T_CHECK(r.waivers[1].owner == NULL);
        T_CHECK(r.waivers[1].expires == 1767225600.0); /* 2026-01-01 */
    }
    T_EQ_INT(r.load_findings.n, 0);

    /* Pointers and positions of what was loaded. */
    char *ptr = st_registry_node_pointer(&r, ap);
    T_EQ_STR(ptr, "/workflows/account-planning");
    free(ptr);
    char where[512];
    st_registry_where(&r, 2, "/workflows/account-planning/uses/0", ST_AT_VALUE, where, sizeof where);
    T_EQ_STR(where, FIX "ok/c-workflows.json:12:75");
    st_registry_where(&r, 2, "/workflows/lead-qualification/reads/1", ST_AT_VALUE, where, sizeof where);
    T_EQ_STR(where, FIX "ok/c-workflows.json:6:30");
    st_registry_where(&r, 2, "/waivers/w-volume", ST_AT_VALUE, where, sizeof where);
    T_EQ_STR(where, FIX "ok/c-workflows.json:18:17");
    st_registry_where(&r, 1, "/models/lead-scorer", ST_AT_VALUE, where, sizeof where);
    T_EQ_STR(where, FIX "ok/b-data.json:7:20");
    /* At the member name, for errors about a whole entry. */
    st_registry_where(&r, 1, "/models/lead-scorer", ST_AT_KEY, where, sizeof where);
    T_EQ_STR(where, FIX "ok/b-data.json:7:5");
    st_registry_where(&r, 2, "/workflows/account-planning", ST_AT_KEY, where, sizeof where);
    T_EQ_STR(where, FIX "ok/c-workflows.json:11:5");
    st_registry_free(&r);
}

static void test_waiver_expiry(void)
{
    st_registry r;
    st_registry_init(&r);
    char err[ST_ERRLEN] = "";
    st_load_opts opts = {0};
    if (st_registry_load(&r, FIX "ok", &opts, err, sizeof err) != ST_OK) {
        T_FAILF("load: %s", err);
        st_registry_free(&r);
        return;
    }
    const st_waiver *w;
    w = st_registry_waiver(&r, "readiness.volume", "account-planning",
                           epoch("2026-11-26"));
    T_CHECK(w && !strcmp(w->id, "w-volume"));
    w = st_registry_waiver(&r, "readiness.volume", "account-planning",
                           epoch("2027-03-30T23:59:59Z"));
    T_CHECK(w && !strcmp(w->id, "w-volume"));
    /* A date-only expiry holds through its day, not past it. */
    w = st_registry_waiver(&r, "readiness.volume", "account-planning",
                           epoch("2027-03-31T23:59:59Z"));
    T_CHECK(w && !strcmp(w->id, "w-volume"));
    T_CHECK(!st_registry_waiver(&r, "readiness.volume", "account-planning",
                                epoch("2027-04-01")));
    T_CHECK(!st_registry_waiver(&r, "readiness.volume", "account-planning",
                                epoch("2028-01-01")));
    /* Policy and subject must both match. */
    T_CHECK(!st_registry_waiver(&r, "readiness.volume", "lead-qualification",
                                epoch("2026-11-26")));
    T_CHECK(!st_registry_waiver(&r, "readiness.data", "account-planning",
                                epoch("2026-11-26")));
    /* An expired waiver accepts nothing now, and did before. */
    T_CHECK(!st_registry_waiver(&r, "governance.owner", "lead-qualification",
                                epoch("2026-11-26")));
    w = st_registry_waiver(&r, "governance.owner", "lead-qualification",
                           epoch("2025-12-31T23:59:59Z"));
    T_CHECK(w && !strcmp(w->id, "w-old"));
    st_registry_free(&r);
}

static void test_single_file(void)
{
    st_registry r;
    st_registry_init(&r);
    char err[ST_ERRLEN] = "";
    int rc = st_registry_load(&r, FIX "ok/a-people.json", NULL, err, sizeof err);
    T_EQ_INT(rc, ST_OK);
    T_EQ_INT(r.nfiles, 1);
    T_EQ_INT(r.graph.nnodes, 5);
    T_EQ_INT(r.graph.nedges, 1);
    T_CHECK(has_edge(&r, "crm", "data-eng", ST_REL_OWNER));
    st_registry_free(&r);
}

static void test_inline_add_finish(void)
{
    st_registry r;
    st_registry_init(&r);
    char err[ST_ERRLEN] = "";
    /* Two documents added in steps; references cross them. */
    cJSON *a = cJSON_Parse("{\"owners\": {\"t\": {}}}");
    cJSON *b = cJSON_Parse("{\"models\": {\"m\": {\"owner\": \"t\"}},"
                           " \"workflows\": {\"w\": {\"uses\": [\"m\"], \"owner\": \"t\","
                           " \"feeds\": [\"w\"]}}}");
    T_EQ_INT(st_registry_add(&r, a, "a", NULL, err, sizeof err), ST_OK);
    T_EQ_INT(st_registry_add(&r, b, "b", NULL, err, sizeof err), ST_OK);
    T_EQ_INT(st_registry_finish(&r, NULL, err, sizeof err), ST_OK);
    T_EQ_INT(r.graph.nnodes, 3);
    T_EQ_INT(r.graph.nedges, 4);
    T_CHECK(has_edge(&r, "w", "m", ST_REL_USES));
    T_CHECK(has_edge(&r, "w", "w", ST_REL_FEEDS));   /* a self-loop is legal */
    T_CHECK(has_edge(&r, "m", "t", ST_REL_OWNER));
    cJSON_Delete(a);
    cJSON_Delete(b);
    st_registry_free(&r);
}

static void test_no_references(void)
{
    /* A registry whose nodes reference nothing: a graph without edges. */
    st_registry r;
    st_registry_init(&r);
    char err[ST_ERRLEN] = "";
    T_EQ_INT(load_inline(&r, "{'owners': {'a': {}}, 'systems': {'s': {'name': 'S'}}}",
                         0, err, sizeof err), ST_OK);
    T_EQ_INT(r.graph.nnodes, 2);
    T_EQ_INT(r.graph.nedges, 0);
    T_EQ_INT(find(&r, "s"), 1);
    st_registry_free(&r);
}

/* }=== */

/* {=== Errors in the text =============================================== */

static void test_malformed_json(void)
{
    /* The comma missing after line 3: the parser stops at the next key. */
    T_LOAD_FAILS(FIX "missing-comma.json", 0,
                 FIX "missing-comma.json:4:5: ", "malformed JSON");
    /* A stray closing brace after the document. */
    T_LOAD_FAILS(FIX "trailing-garbage.json", 0,
                 FIX "trailing-garbage.json:4:1: ", "text after the document");
}

static void test_truncated_file(void)
{
    /* The file stops after `"Maria Chen" }` (42 bytes of line 3, no
     * newline): the error is at the end of the input, 3:43, just past the
     * last character. */
    T_LOAD_FAILS(FIX "truncated.json", 0, FIX "truncated.json:3:43: ",
                 "malformed JSON");
}

static void test_byte_order_mark(void)
{
    /* The parser accepts a UTF-8 byte order mark (three bytes before the
     * "{" of line 1); positions on later lines must not suffer from it. */
    T_LOAD_FAILS(FIX "bom.json", 0,
                 FIX "bom.json:3:26: /workflows/intake/stage: ",
                 "unknown stage 'piloting'");
}

static void test_empty_and_not_an_object(void)
{
    T_LOAD_FAILS(FIX "empty.json", 0, FIX "empty.json:1:1: ", "empty file");
    T_LOAD_FAILS(FIX "blank.json", 0, FIX "blank.json:1:1: ", "empty file");
    /* The array starts on line 2. */
    T_LOAD_FAILS(FIX "array.json", 0, FIX "array.json:2:1: ",
                 "must hold a JSON object of sections");
    T_INLINE_FAILS("[{'owners': {}}]", "inline.json:1:1: ",
                   "must hold a JSON object of sections");
}

static void test_sections(void)
{
    T_LOAD_FAILS(FIX "unknown-section.json", 0,
                 FIX "unknown-section.json:3:15: /workflow: ",
                 "unknown section (expected owners, systems, datasets, models, "
                 "workflows or waivers)");
    T_LOAD_FAILS(FIX "section-not-object.json", 0,
                 FIX "section-not-object.json:2:13: /models: ",
                 "a section must be an object keyed by id");
    T_LOAD_FAILS(FIX "entry-not-object.json", 0,
                 FIX "entry-not-object.json:3:20: /models/lead-scorer: ",
                 "an entry must be an object");
    T_INLINE_FAILS("{'owners': {'': {}}}", "inline.json:1:13: /owners/: ",
                   "empty id");
}

static void test_field_types(void)
{
    T_LOAD_FAILS(FIX "bad-stage.json", 0,
                 FIX "bad-stage.json:6:16: /workflows/intake/stage: ",
                 "unknown stage 'piloting' (expected one of proposed, governance, "
                 "data, redesign, deployment, measurement, scaling, retired)");
    T_LOAD_FAILS(FIX "reads-string.json", 0,
                 FIX "reads-string.json:4:43: /workflows/intake/reads: ",
                 "expected an array of ids, found a string");
    T_LOAD_FAILS(FIX "volume-string.json", 0,
                 FIX "volume-string.json:6:28: /workflows/intake/volume/cases_per_month: ",
                 "expected a number, found a string");
    T_LOAD_FAILS(FIX "bad-date.json", 0,
                 FIX "bad-date.json:3:55: /workflows/intake/deployed_at: ",
                 "'2026-02-30' is not an RFC 3339 date");
    /* keep_going is about references only: a type error still fails. */
    T_LOAD_FAILS(FIX "bad-stage.json", 1,
                 FIX "bad-stage.json:6:16: /workflows/intake/stage: ",
                 "unknown stage 'piloting'");
    T_INLINE_FAILS("{'workflows': {'w': {'monitoring': {'direction': 'sideways'}}}}",
                   "inline.json:1:50: /workflows/w/monitoring/direction: ",
                   "expected \"below\" or \"above\", found a string");
    T_INLINE_FAILS("{'workflows': {'w': {'decision': {'reversible': 'yes'}}}}",
                   "inline.json:1:49: /workflows/w/decision/reversible: ",
                   "expected true or false, found a string");
    T_INLINE_FAILS("{'workflows': {'w': {'volume': 4200}}}",
                   "inline.json:1:32: /workflows/w/volume: ",
                   "expected an object, found a number");
    /* The fields of issue 15's policies are typed too. */
    T_INLINE_FAILS("{'workflows': {'w': {'baseline': {'better': 'up'}}}}",
                   "inline.json:1:45: /workflows/w/baseline/better: ",
                   "expected \"higher\" or \"lower\", found a string");
    T_INLINE_FAILS("{'workflows': {'w': {'latency': {'required_ms': 'fast'}}}}",
                   "inline.json:1:49: /workflows/w/latency/required_ms: ",
                   "expected a number, found a string");
    T_INLINE_FAILS("{'workflows': {'w': {'process': {'mapping': {'documented': 'yes'}}}}}",
                   "inline.json:1:60: /workflows/w/process/mapping/documented: ",
                   "expected true or false, found a string");
    T_INLINE_FAILS("{'workflows': {'w': {'process': {'mapping': {'mapped_at': '2026-13-01'}}}}}",
                   "inline.json:1:59: /workflows/w/process/mapping/mapped_at: ",
                   "'2026-13-01' is not an RFC 3339 date");
    T_INLINE_FAILS("{'workflows': {'w': {'process': {'change': {'validated_with_users': 1, 'lead': 2}}}}}",
                   "inline.json:1:69: /workflows/w/process/change/validated_with_users: ",
                   "expected true or false, found a number");
    T_INLINE_FAILS("{'workflows': {'w': {'process': {'change': {'lead': 2}}}}}",
                   "inline.json:1:53: /workflows/w/process/change/lead: ",
                   "expected a string, found a number");
    T_INLINE_FAILS("{'workflows': {'w': {'review': {'at': 'soon'}}}}",
                   "inline.json:1:39: /workflows/w/review/at: ",
                   "'soon' is not an RFC 3339 date");
    T_INLINE_FAILS("{'workflows': {'w': {'outcome': {'metric': 5}}}}",
                   "inline.json:1:44: /workflows/w/outcome/metric: ",
                   "expected a string, found a number");
    T_INLINE_FAILS("{'workflows': {'w': {'outcome': 'x'}}}",
                   "inline.json:1:33: /workflows/w/outcome: ",
                   "expected an object, found a string");
    /* The lineage fields of issue 13: an OpenLineage identity and a name
     * in MLflow's model registry. */
    T_INLINE_FAILS("{'workflows': {'w': {'openlineage': 'airflow/x'}}}",
                   "inline.json:1:37: /workflows/w/openlineage: ",
                   "expected an object, found a string");
    T_INLINE_FAILS("{'datasets': {'d': {'openlineage': {'namespace': 5}}}}",
                   "inline.json:1:50: /datasets/d/openlineage/namespace: ",
                   "expected a string, found a number");
    T_INLINE_FAILS("{'models': {'m': {'openlineage': {'namespace': 'a', 'name': []}}}}",
                   "inline.json:1:61: /models/m/openlineage/name: ",
                   "expected a string, found an array");
    T_INLINE_FAILS("{'models': {'m': {'mlflow_name': true}}}",
                   "inline.json:1:34: /models/m/mlflow_name: ",
                   "expected a string, found a boolean");
}

static void test_uses_shapes(void)
{
    /* Not an array at all: the field is at fault. */
    T_INLINE_FAILS("{'models': {'m': {}},\n 'workflows': {'w': {'uses': 'm'}}}",
                   "inline.json:2:30: /workflows/w/uses: ",
                   "expected an array of model ids or {\"model\", \"version\"} objects");
    /* One bad entry in an array: the entry is at fault, and the error
     * names it, not the whole array. */
    T_LOAD_FAILS(FIX "uses-shape.json", 0,
                 FIX "uses-shape.json:7:9: /workflows/intake/uses/1: ", NULL);
    T_INLINE_FAILS("{'models': {'m': {}},\n 'workflows': {'w': {'uses': ['m',\n   42]}}}",
                   "inline.json:3:4: /workflows/w/uses/1: ", NULL);
    T_INLINE_FAILS("{'models': {'m': {}},\n 'workflows': {'w': {'uses': [{'model': 'm', 'version': 3}]}}}",
                   "inline.json:2:", "/workflows/w/uses/0");
    T_INLINE_FAILS("{'models': {'m': {}},\n 'workflows': {'w': {'uses': [{'model': ['m']}]}}}",
                   "inline.json:2:", "/workflows/w/uses/0");
    /* The same for an array of ids. */
    T_INLINE_FAILS("{'datasets': {'d': {}},\n 'workflows': {'w': {'reads': ['d', 7]}}}",
                   "inline.json:2:37: /workflows/w/reads/1: ", NULL);
}

static void test_duplicate_key(void)
{
    /* The second "owner" is the duplicate: the error is at its name,
     * line 7, not at the first one on line 5. */
    T_LOAD_FAILS(FIX "dup-key.json", 0,
                 FIX "dup-key.json:7:7: /workflows/intake/owner: ",
                 "duplicate key 'owner'");
    T_INLINE_FAILS("{\n  'owners': {},\n  'owners': { 'a': {} }\n}",
                   "inline.json:3:3: /owners: ", "duplicate key 'owners'");
    /* A key repeated within a section is an id defined twice. */
    T_INLINE_FAILS("{'owners': {'a': {},\n             'a': {'name': 'A'}}}",
                   "inline.json:2:14: /owners/a: ", "duplicate id 'a'");
}

static void test_duplicate_id(void)
{
    /* Across two files of a directory, and across kinds: both files, both
     * positions (of the ids' names) and the id are named. */
    T_LOAD_FAILS(FIX "dup-dir", 0,
                 FIX "dup-dir/b.json:4:5: /workflows/lead-scorer: ",
                 "duplicate id 'lead-scorer': already defined at "
                 FIX "dup-dir/a.json:4:5 (/models/lead-scorer)");
    /* Within one file, in two sections. */
    T_INLINE_FAILS("{\n  'owners': { 'x': {} },\n  'systems': { 'x': {} }\n}",
                   "inline.json:3:16: /systems/x: ",
                   "duplicate id 'x': already defined at inline.json:2:15 (/owners/x)");
}

static void test_waiver_errors(void)
{
    T_INLINE_FAILS("{'waivers': {'w1': {'policy': 'p', 'subject': 's', 'reason': 'r'}}}",
                   "inline.json:1:20: /waivers/w1: ",
                   "a waiver needs policy, subject, reason and expires");
    T_INLINE_FAILS("{'waivers': {'w1': {'policy': 'p', 'subject': 's', 'reason': 'r', "
                   "'expires': '2027-02-30'}}}",
                   "inline.json:1:78: /waivers/w1/expires: ", "RFC 3339");
    T_INLINE_FAILS("{'waivers': {'w1': 'always'}}",
                   "inline.json:1:20: /waivers/w1: ", "a waiver must be an object");
    T_INLINE_FAILS("{'waivers': {'w1': {'policy': 7, 'subject': 's', 'reason': 'r', "
                   "'expires': '2027-01-01'}}}",
                   "inline.json:1:31: /waivers/w1/policy: ", "expected a string");
}

/* }=== */

/* {=== References ======================================================= */

static void test_dangling_reference(void)
{
    /* uses comes before reads: the first error is the model. */
    T_LOAD_FAILS(FIX "dangling.json", 0,
                 FIX "dangling.json:7:28: /workflows/intake/uses/0/model: ",
                 "unknown id 'ghost-model'");
    T_INLINE_FAILS("{\n  'datasets': { 'crm.leads': {} },\n  'workflows': {\n"
                   "    'intake': { 'reads': [ 'crm.leads', 'crm.ghost' ] }\n  }\n}",
                   "inline.json:4:41: /workflows/intake/reads/1: ",
                   "unknown id 'crm.ghost'");
    /* Ids with / and ~ are escaped in the pointer and still located. */
    T_INLINE_FAILS("{'owners': {'ok': {}},\n 'workflows': {'team/x~1': {'owner': 'nobody'}}}",
                   "inline.json:2:38: /workflows/team~1x~01/owner: ",
                   "unknown id 'nobody'");
}

static void test_dangling_keep_going(void)
{
    st_registry r;
    st_registry_init(&r);
    char err[ST_ERRLEN] = "";
    st_load_opts opts = {1};
    int rc = st_registry_load(&r, FIX "dangling.json", &opts, err, sizeof err);
    T_EQ_INT(rc, ST_OK);
    T_EQ_INT(r.load_findings.n, 2);
    if (r.load_findings.n == 2) {
        const st_finding *f = &r.load_findings.v[0];
        T_EQ_STR(f->policy, "registry.dangling-ref");
        T_EQ_STR(f->subject, "intake");
        T_EQ_INT(f->severity, ST_SEV_HIGH);
        T_EQ_STR(f->path, "/workflows/intake/uses/0/model");
        T_CONTAINS(f->message, "ghost-model");
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(f->evidence, "at");
        T_EQ_STR(cJSON_GetStringValue(at), FIX "dangling.json:7:28");
        f = &r.load_findings.v[1];
        T_EQ_STR(f->policy, "registry.dangling-ref");
        T_EQ_STR(f->subject, "intake");
        T_EQ_INT(f->severity, ST_SEV_HIGH);
        T_EQ_STR(f->path, "/workflows/intake/reads/1");
        T_CONTAINS(f->message, "crm.ghost");
        at = cJSON_GetObjectItemCaseSensitive(f->evidence, "at");
        T_EQ_STR(cJSON_GetStringValue(at), FIX "dangling.json:8:31");
    }
    /* The references that resolve are edges; the dangling ones are not. */
    T_EQ_INT(r.graph.nnodes, 3);
    T_EQ_INT(r.graph.nedges, 3);
    T_CHECK(has_edge(&r, "intake", "crm.leads", ST_REL_READS));
    T_CHECK(has_edge(&r, "intake", "maria.chen", ST_REL_OWNER));
    T_CHECK(has_edge(&r, "crm.leads", "maria.chen", ST_REL_OWNER));
    st_registry_free(&r);
}

static void test_wrong_kind(void)
{
    T_LOAD_FAILS(FIX "wrong-kind.json", 0,
                 FIX "wrong-kind.json:7:17: /workflows/intake/uses/0: ",
                 "'crm.leads' is a dataset, but uses must name a model");
    T_INLINE_FAILS("{'models': {'m': {}}, 'workflows': {'w': {'owner': 'm'}}}",
                   "inline.json:1:52: /workflows/w/owner: ",
                   "'m' is a model, but owner must name an owner");

    st_registry r;
    st_registry_init(&r);
    char err[ST_ERRLEN] = "";
    st_load_opts opts = {1};
    T_EQ_INT(st_registry_load(&r, FIX "wrong-kind.json", &opts, err, sizeof err), ST_OK);
    T_EQ_INT(r.load_findings.n, 1);
    if (r.load_findings.n == 1) {
        const st_finding *f = &r.load_findings.v[0];
        T_EQ_STR(f->policy, "registry.wrong-kind");
        T_EQ_STR(f->subject, "intake");
        T_EQ_INT(f->severity, ST_SEV_HIGH);
        T_EQ_STR(f->path, "/workflows/intake/uses/0");
    }
    T_CHECK(has_edge(&r, "intake", "crm.leads", ST_REL_READS));
    T_CHECK(!has_edge(&r, "intake", "crm.leads", ST_REL_USES));
    st_registry_free(&r);
}

/* }=== */

/* {=== Paths ============================================================ */

static void test_missing_path(void)
{
    T_LOAD_FAILS(FIX "no-such-registry.json", 0,
                 FIX "no-such-registry.json: ", "no such file or directory");
    T_LOAD_FAILS(FIX "no-such-dir/", 0, FIX "no-such-dir/: ",
                 "no such file or directory");
}

static void test_directory_without_json(void)
{
    T_LOAD_FAILS(FIX "empty-dir", 0, FIX "empty-dir: ", "no .json, .yaml or .yml files");
}

/* }=== */

T_SUITE(T_CASE(test_directory_merges), T_CASE(test_waiver_expiry),
        T_CASE(test_single_file), T_CASE(test_inline_add_finish),
        T_CASE(test_no_references),
        T_CASE(test_malformed_json), T_CASE(test_truncated_file),
        T_CASE(test_byte_order_mark),
        T_CASE(test_empty_and_not_an_object), T_CASE(test_sections),
        T_CASE(test_field_types), T_CASE(test_uses_shapes),
        T_CASE(test_duplicate_key), T_CASE(test_duplicate_id),
        T_CASE(test_waiver_errors), T_CASE(test_dangling_reference),
        T_CASE(test_dangling_keep_going), T_CASE(test_wrong_kind),
        T_CASE(test_missing_path), T_CASE(test_directory_without_json))
