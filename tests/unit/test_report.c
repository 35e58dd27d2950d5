/*
 * test_report.c - a run's summary and its findings as text and JSON
 * (core/report.c): the counts of st_summarize, the exit code, every field
 * of a finding's JSON, the JSON report parsed back, and the exact lines of
 * the text report (grouping by subject, most severe first, the advisory,
 * waived and error markers, the summary lines with open findings by layer,
 * `--fail-on none`).
 *
 * The expected text was written out by hand from the format the report
 * documents (severity in 8 columns, policy in 28); fingerprints come from
 * sha256sum, with the command beside each.
 */
#include "report.h"
#include "t.h"

#include <stdlib.h>

/* {=== Fixture ========================================================== */

static st_finding *add(st_findings *l, const char *policy,
                       const char *subject, int sev, int enf,
                       const char *message, const char *path)
{
    return st_findings_add(l, policy, subject, sev, enf, message, path, NULL);
}

/* Six findings on three subjects (one of them empty), added out of order:
 * a critical one with a path and evidence, an advisory one, a low one, a
 * policy that failed to run, a waived one with a key, and an info one
 * without a subject. Layers: p.low and p.err technical, p.adv process,
 * p.crit and p.waived governance, registry.x none (as the loader's). Sorted
 * as the session sorts. */
static void six(st_findings *l)
{
    st_findings_init(l);
    st_finding *x = add(l, "p.low", "alpha", ST_SEV_LOW, ST_ENF_SOFT, "minor",
                        NULL);
    x->layer = ST_LAYER_TECHNICAL;
    x = add(l, "p.waived", "beta", ST_SEV_HIGH, ST_ENF_SOFT, "excused", NULL);
    x->waiver = strdup("w1");
    x->key = strdup("wk");
    x->layer = ST_LAYER_GOVERNANCE;
    x = add(l, "p.crit", "alpha", ST_SEV_CRITICAL, ST_ENF_HARD, "major",
            "/workflows/alpha/owner");
    x->evidence = cJSON_Parse("{\"owners\": [\"ana\", \"bo\"]}");
    x->layer = ST_LAYER_GOVERNANCE;
    x = add(l, "p.adv", "alpha", ST_SEV_MEDIUM, ST_ENF_ADVISORY, "hint", NULL);
    x->layer = ST_LAYER_PROCESS;
    x = add(l, "p.err", "beta", ST_SEV_HIGH, ST_ENF_SOFT, "policy failed",
            NULL);
    x->error = ST_ERRK_RUNTIME;
    x->layer = ST_LAYER_TECHNICAL;
    add(l, "registry.x", "", ST_SEV_INFO, ST_ENF_SOFT, "no subject here",
        NULL);
    st_findings_sort(l);
}

/* What a writer printed, NUL-terminated; the caller frees. */
typedef struct {
    FILE *f;
    char *text;
    size_t len;
} capture;

static FILE *capture_open(capture *c)
{
    c->text = NULL;
    c->len = 0;
    c->f = open_memstream(&c->text, &c->len);
    if (!c->f) T_FAILF("open_memstream failed");
    return c->f;
}

static const char *capture_close(capture *c)
{
    if (c->f) fclose(c->f);
    c->f = NULL;
    return c->text ? c->text : "";
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(x)) {
        T_FAILF("%s is not a number", key);
        return -1;
    }
    return x->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(x) ? x->valuestring : "(not a string)";
}

/* The member names of o, in order, as "a b c". */
static void names(const cJSON *o, char *out, size_t len)
{
    size_t used = 0;
    const cJSON *x;
    out[0] = '\0';
    cJSON_ArrayForEach(x, o)
        if (used < len)
            used += (size_t)snprintf(out + used, len - used, "%s%s",
                                     used ? " " : "", x->string);
}

/* }=== */

/* {=== Summary and exit code ============================================ */

static void test_summary_counts(void)
{
    st_findings l;
    six(&l);
    st_summary s;
    memset(&s, 0xff, sizeof s);          /* every field is set */
    st_summarize(&l, ST_SEV_HIGH, 3, &s);
    T_EQ_INT(s.findings, 6);
    T_EQ_INT(s.waived, 1);
    T_EQ_INT(s.errors, 1);
    T_EQ_INT(s.policies, 3);
    T_EQ_INT(s.subjects, 3);             /* "", alpha, beta */
    T_EQ_INT(s.fail_on, ST_SEV_HIGH);
    /* at high only p.crit blocks: p.err failed to run, p.waived is waived,
     * the rest are below high or advisory */
    T_EQ_INT(s.blocking, 1);
    T_EQ_INT(s.by_severity[ST_SEV_CRITICAL], 1);
    T_EQ_INT(s.by_severity[ST_SEV_HIGH], 2);
    T_EQ_INT(s.by_severity[ST_SEV_MEDIUM], 1);
    T_EQ_INT(s.by_severity[ST_SEV_LOW], 1);
    T_EQ_INT(s.by_severity[ST_SEV_INFO], 1);
    /* open findings by layer: the waived one is not open, the one that
     * failed to run is; registry.x has no layer */
    T_EQ_INT(s.by_layer[ST_LAYER_TECHNICAL], 2);     /* p.low, p.err */
    T_EQ_INT(s.by_layer[ST_LAYER_PROCESS], 1);       /* p.adv */
    T_EQ_INT(s.by_layer[ST_LAYER_GOVERNANCE], 1);    /* p.crit, not p.waived */
    T_EQ_INT(s.by_layer[ST_LAYER_NONE], 1);          /* registry.x */
    /* the blocking count follows fail_on; the rest does not */
    st_summarize(&l, ST_SEV_INFO, 3, &s);
    T_EQ_INT(s.blocking, 3);             /* + p.low, registry.x */
    st_summarize(&l, ST_SEV_COUNT, 3, &s);
    T_EQ_INT(s.blocking, 0);
    T_EQ_INT(s.findings, 6);
    st_findings_free(&l);
    /* nothing found */
    st_summarize(&l, ST_SEV_MEDIUM, 7, &s);
    T_EQ_INT(s.findings, 0);
    T_EQ_INT(s.subjects, 0);
    T_EQ_INT(s.policies, 7);
    T_EQ_INT(s.by_severity[ST_SEV_HIGH], 0);
    T_EQ_INT(s.by_layer[ST_LAYER_GOVERNANCE], 0);
    T_EQ_INT(s.by_layer[ST_LAYER_NONE], 0);
}

static void test_subjects_are_counted_on_the_sorted_list(void)
{
    st_findings l;
    st_findings_init(&l);
    add(&l, "p", "b", ST_SEV_LOW, ST_ENF_SOFT, "1", NULL);
    add(&l, "p", "a", ST_SEV_LOW, ST_ENF_SOFT, "2", NULL);
    add(&l, "q", "b", ST_SEV_LOW, ST_ENF_SOFT, "3", NULL);
    add(&l, "q", "a", ST_SEV_LOW, ST_ENF_SOFT, "4", NULL);
    st_findings_sort(&l);
    st_summary s;
    st_summarize(&l, ST_SEV_HIGH, 2, &s);
    T_EQ_INT(s.subjects, 2);
    st_findings_free(&l);
}

static void test_exit_code(void)
{
    st_summary s;
    memset(&s, 0, sizeof s);
    T_EQ_INT(st_exit_code(&s), 0);
    s.findings = 4;                      /* findings alone are not failure */
    T_EQ_INT(st_exit_code(&s), 0);
    s.blocking = 2;
    T_EQ_INT(st_exit_code(&s), 1);
    s.errors = 1;                        /* a failed policy outranks them */
    T_EQ_INT(st_exit_code(&s), 3);
    s.blocking = 0;
    T_EQ_INT(st_exit_code(&s), 3);
    st_findings l;
    six(&l);
    st_summarize(&l, ST_SEV_HIGH, 3, &s);
    T_EQ_INT(st_exit_code(&s), 3);
    l.v[4].error = ST_ERRK_NONE;         /* beta p.err now runs and blocks */
    st_summarize(&l, ST_SEV_HIGH, 3, &s);
    T_EQ_INT(s.blocking, 2);
    T_EQ_INT(st_exit_code(&s), 1);
    st_findings_free(&l);
}

/* }=== */

/* {=== A finding as JSON ================================================ */

static void test_finding_json_fields(void)
{
    st_findings l;
    six(&l);
    /* sorted: registry.x "", p.adv, p.crit, p.low alpha, p.err, p.waived */
    T_EQ_STR(l.v[2].policy, "p.crit");
    cJSON *o = st_finding_json(&l.v[2]);
    char got[256];
    names(o, got, sizeof got);
    T_EQ_STR(got, "policy subject severity enforcement layer message path "
             "evidence key identity");
    T_EQ_STR(str(o, "policy"), "p.crit");
    T_EQ_STR(str(o, "subject"), "alpha");
    T_EQ_STR(str(o, "severity"), "critical");
    T_EQ_STR(str(o, "enforcement"), "hard-mandatory");
    T_EQ_STR(str(o, "layer"), "governance");
    T_EQ_STR(str(o, "message"), "major");
    T_EQ_STR(str(o, "path"), "/workflows/alpha/owner");
    cJSON *want = cJSON_Parse("{\"owners\": [\"ana\", \"bo\"]}");
    T_CHECK(cJSON_Compare(cJSON_GetObjectItem(o, "evidence"), want, 1));
    T_CHECK(cJSON_GetObjectItem(o, "evidence") != l.v[2].evidence);  /* a copy */
    cJSON_Delete(want);
    T_EQ_STR(str(o, "key"), "");
    /* printf 'p.crit\0alpha\0/workflows/alpha/owner\0\0' | sha256sum */
    T_EQ_STR(str(o, "identity"), "9ba5579870950aa841cf1a12a8a86a77");
    cJSON_Delete(o);

    /* no path, no evidence: null; a policy that failed: error */
    T_EQ_STR(l.v[4].policy, "p.err");
    o = st_finding_json(&l.v[4]);
    names(o, got, sizeof got);
    T_EQ_STR(got, "policy subject severity enforcement layer message path "
             "evidence error key identity");
    T_EQ_STR(str(o, "layer"), "technical");   /* a failure carries it too */
    T_CHECK(cJSON_IsNull(cJSON_GetObjectItem(o, "path")));
    T_CHECK(cJSON_IsNull(cJSON_GetObjectItem(o, "evidence")));
    T_EQ_STR(str(o, "error"), "runtime");
    T_EQ_STR(str(o, "enforcement"), "soft-mandatory");
    T_CHECK(cJSON_GetObjectItem(o, "waived_by") == NULL);
    /* printf 'p.err\0beta\0\0\0' | sha256sum */
    T_EQ_STR(str(o, "identity"), "e68e828cd4ad49d715c4cf6e178ccf41");
    cJSON_Delete(o);

    /* waived, with a key */
    T_EQ_STR(l.v[5].policy, "p.waived");
    o = st_finding_json(&l.v[5]);
    names(o, got, sizeof got);
    T_EQ_STR(got, "policy subject severity enforcement layer message path "
             "evidence waived_by key identity");
    T_EQ_STR(str(o, "waived_by"), "w1");
    T_EQ_STR(str(o, "key"), "wk");
    T_CHECK(cJSON_GetObjectItem(o, "error") == NULL);
    /* printf 'p.waived\0beta\0\0wk\0' | sha256sum */
    T_EQ_STR(str(o, "identity"), "e9182dda5e767666ee13868a56721af7");
    cJSON_Delete(o);

    /* advisory, and the empty subject stays empty */
    o = st_finding_json(&l.v[1]);
    T_EQ_STR(str(o, "enforcement"), "advisory");
    T_EQ_STR(str(o, "layer"), "process");
    cJSON_Delete(o);
    /* no layer: null, like a missing path */
    o = st_finding_json(&l.v[0]);
    T_EQ_STR(str(o, "subject"), "");
    T_EQ_STR(str(o, "severity"), "info");
    T_CHECK(cJSON_IsNull(cJSON_GetObjectItem(o, "layer")));
    cJSON_Delete(o);
    st_findings_free(&l);
}

/* }=== */

/* {=== The JSON report ================================================== */

static void test_report_json_parses_back(void)
{
    st_findings l;
    six(&l);
    st_summary s;
    st_summarize(&l, ST_SEV_HIGH, 3, &s);
    capture c;
    FILE *f = capture_open(&c);
    if (!f) return;
    st_report_json(f, &l, &s);
    const char *text = capture_close(&c);
    cJSON *doc = cJSON_Parse(text);
    T_CHECK(doc != NULL);
    char got[256];
    names(doc, got, sizeof got);
    T_EQ_STR(got, "findings summary");
    const cJSON *fs = cJSON_GetObjectItem(doc, "findings");
    T_EQ_INT(cJSON_GetArraySize(fs), 6);
    /* each finding as st_finding_json has it, in the list's order */
    for (int i = 0; i < cJSON_GetArraySize(fs) && i < 6; i++) {
        cJSON *want = st_finding_json(&l.v[i]);
        if (!cJSON_Compare(cJSON_GetArrayItem(fs, i), want, 1))
            T_FAILF("finding %d differs from st_finding_json", i);
        cJSON_Delete(want);
    }
    T_EQ_STR(str(cJSON_GetArrayItem(fs, 0), "policy"), "registry.x");
    T_EQ_STR(str(cJSON_GetArrayItem(fs, 5), "policy"), "p.waived");
    const cJSON *sum = cJSON_GetObjectItem(doc, "summary");
    names(sum, got, sizeof got);
    T_EQ_STR(got, "findings blocking waived errors policies subjects "
             "by_severity by_layer fail_on exit_code");
    T_CHECK(num(sum, "findings") == 6);
    T_CHECK(num(sum, "blocking") == 1);
    T_CHECK(num(sum, "waived") == 1);
    T_CHECK(num(sum, "errors") == 1);
    T_CHECK(num(sum, "policies") == 3);
    T_CHECK(num(sum, "subjects") == 3);
    T_EQ_STR(str(sum, "fail_on"), "high");
    T_CHECK(num(sum, "exit_code") == 3);
    const cJSON *bs = cJSON_GetObjectItem(sum, "by_severity");
    names(bs, got, sizeof got);
    T_EQ_STR(got, "info low medium high critical");
    T_CHECK(num(bs, "critical") == 1 && num(bs, "high") == 2 &&
            num(bs, "medium") == 1 && num(bs, "low") == 1 &&
            num(bs, "info") == 1);
    const cJSON *bl = cJSON_GetObjectItem(sum, "by_layer");
    names(bl, got, sizeof got);
    T_EQ_STR(got, "technical process governance none");
    T_CHECK(num(bl, "technical") == 2 && num(bl, "process") == 1 &&
            num(bl, "governance") == 1 && num(bl, "none") == 1);
    cJSON_Delete(doc);
    free(c.text);
    st_findings_free(&l);
}

static void test_report_json_empty_and_fail_on_none(void)
{
    st_findings l;
    st_findings_init(&l);
    st_summary s;
    st_summarize(&l, ST_SEV_COUNT, 0, &s);
    capture c;
    FILE *f = capture_open(&c);
    if (!f) return;
    st_report_json(f, &l, &s);
    const char *text = capture_close(&c);
    cJSON *doc = cJSON_Parse(text);
    T_CHECK(doc != NULL);
    const cJSON *fs = cJSON_GetObjectItem(doc, "findings");
    T_CHECK(cJSON_IsArray(fs) && cJSON_GetArraySize(fs) == 0);
    const cJSON *sum = cJSON_GetObjectItem(doc, "summary");
    T_EQ_STR(str(sum, "fail_on"), "none");
    T_CHECK(num(sum, "exit_code") == 0);
    T_CHECK(num(sum, "findings") == 0);
    /* the document ends with a newline after its closing brace */
    size_t n = strlen(text);
    T_CHECK(n >= 2 && !strcmp(text + n - 2, "}\n"));
    cJSON_Delete(doc);
    free(c.text);
}

/* Strings that JSON must escape survive the streamed writer. */
static void test_report_json_escapes(void)
{
    st_findings l;
    st_findings_init(&l);
    st_finding *x = add(&l, "p.q", "w\"1", ST_SEV_LOW, ST_ENF_SOFT,
                        "tab\there\nnewline \\ back", "/a~1b");
    x->evidence = cJSON_CreateString("\"quoted\"");
    st_summary s;
    st_summarize(&l, ST_SEV_LOW, 1, &s);
    capture c;
    FILE *f = capture_open(&c);
    if (!f) return;
    st_report_json(f, &l, &s);
    cJSON *doc = cJSON_Parse(capture_close(&c));
    const cJSON *one = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
    T_EQ_STR(str(one, "subject"), "w\"1");
    T_EQ_STR(str(one, "message"), "tab\there\nnewline \\ back");
    T_EQ_STR(str(one, "evidence"), "\"quoted\"");
    T_EQ_STR(str(one, "path"), "/a~1b");
    T_CHECK(num(cJSON_GetObjectItem(doc, "summary"), "exit_code") == 1);
    cJSON_Delete(doc);
    free(c.text);
    st_findings_free(&l);
}

/* }=== */

/* {=== The text report ================================================== */

static void test_report_text_exact_lines(void)
{
    st_findings l;
    six(&l);
    st_summary s;
    st_summarize(&l, ST_SEV_HIGH, 3, &s);
    capture c;
    FILE *f = capture_open(&c);
    if (!f) return;
    st_report_text(f, &l, &s, 0);
    /* severity left-aligned in 8 columns, policy in 28; the path line is
     * indented to the message column (2 + 8 + 1 + 28 + 1 = 40 spaces) */
    T_EQ_STR(capture_close(&c),
        "(no subject)\n"
        "  info     registry.x                   no subject here\n"
        "\n"
        "alpha\n"
        "  critical p.crit                       major\n"
        "                                        at /workflows/alpha/owner\n"
        "  medium   p.adv                        hint (advisory)\n"
        "  low      p.low                        minor\n"
        "\n"
        "beta\n"
        "  high     p.err                        policy failed [error: runtime]\n"
        "  high     p.waived                     excused (waived: w1)\n"
        "\n"
        "6 findings (1 critical, 2 high, 1 medium, 1 low, 1 info) on 3 "
        "subjects from 3 policies; 1 waived; 1 failed to run\n"
        "5 open by layer: 2 technical, 1 process, 1 governance, 1 with no "
        "layer\n"
        "1 blocking at --fail-on high\n");
    free(c.text);
    st_findings_free(&l);
}

static void test_report_text_singular_and_none(void)
{
    st_findings l;
    st_findings_init(&l);
    add(&l, "a.policy.id.longer.than.28.chars", "wf", ST_SEV_HIGH,
        ST_ENF_SOFT, "m", NULL);
    st_summary s;
    st_summarize(&l, ST_SEV_COUNT, 1, &s);
    capture c;
    FILE *f = capture_open(&c);
    if (!f) return;
    st_report_text(f, &l, &s, 0);
    /* a policy id past 28 columns pushes the message along */
    T_EQ_STR(capture_close(&c),
        "wf\n"
        "  high     a.policy.id.longer.than.28.chars m\n"
        "\n"
        "1 finding (0 critical, 1 high, 0 medium, 0 low, 0 info) on 1 subject "
        "from 1 policy\n"
        "1 open by layer: 0 technical, 0 process, 0 governance, 1 with no "
        "layer\n"
        "0 blocking at --fail-on none\n");
    free(c.text);
    st_findings_free(&l);
    /* nothing at all */
    st_summarize(&l, ST_SEV_MEDIUM, 0, &s);
    f = capture_open(&c);
    if (!f) return;
    st_report_text(f, &l, &s, 0);
    T_EQ_STR(capture_close(&c),
        "0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info) on 0 "
        "subjects from 0 policies\n"
        "0 open by layer: 0 technical, 0 process, 0 governance\n"
        "0 blocking at --fail-on medium\n");
    free(c.text);
}

static void test_report_text_colour(void)
{
    st_findings l;
    st_findings_init(&l);
    add(&l, "p", "wf", ST_SEV_CRITICAL, ST_ENF_SOFT, "m", NULL)->layer =
        ST_LAYER_PROCESS;
    add(&l, "q", "wf", ST_SEV_INFO, ST_ENF_SOFT, "n", NULL)->layer =
        ST_LAYER_PROCESS;
    st_summary s;
    st_summarize(&l, ST_SEV_HIGH, 2, &s);
    capture c;
    FILE *f = capture_open(&c);
    if (!f) return;
    st_report_text(f, &l, &s, 1);
    /* the subject bold; a severity's padding inside its colour */
    T_EQ_STR(capture_close(&c),
        "\033[1mwf\033[0m\n"
        "  \033[1;31mcritical\033[0m p                            m\n"
        "  \033[2minfo    \033[0m q                            n\n"
        "\n"
        "2 findings (1 critical, 0 high, 0 medium, 0 low, 1 info) on 1 subject "
        "from 2 policies\n"
        "2 open by layer: 0 technical, 2 process, 0 governance\n"
        "1 blocking at --fail-on high\n");
    free(c.text);
    st_findings_free(&l);
}

/* }=== */

T_SUITE(T_CASE(test_summary_counts),
        T_CASE(test_subjects_are_counted_on_the_sorted_list),
        T_CASE(test_exit_code),
        T_CASE(test_finding_json_fields),
        T_CASE(test_report_json_parses_back),
        T_CASE(test_report_json_empty_and_fail_on_none),
        T_CASE(test_report_json_escapes),
        T_CASE(test_report_text_exact_lines),
        T_CASE(test_report_text_singular_and_none),
        T_CASE(test_report_text_colour))
