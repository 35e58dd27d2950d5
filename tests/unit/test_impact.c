/*
 * test_impact.c - what a change would do (core/impact.c), on a session
 * opened from an in-memory registry: the touched nodes with the pointers of
 * the fields that changed, the blast radius with distances and the path
 * each node was reached by (in the graph after the change, and before it
 * for what the change disconnects), the owners to notify with their
 * contacts and the nodes that concern them, unowned workflows, the findings
 * diffed by identity, the verdicts, sensitivity judged by the packs
 * (stdlib/steward/impact.lua with readiness.human-in-loop's `stakes`), and
 * change sets that cannot apply.
 *
 * Every expected value was worked out by hand from REGISTRY and the five
 * policies below. Run from the repository root: the session's home is ".";
 * policies are written to a temporary directory.
 */
#include "impact.h"
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

#define NOW 1795651200.0            /* 2026-11-26T00:00:00Z */

/*
 * owners ana (contact), bo (no contact), cy (contact), dee (contact)
 *
 *   intake --writes--> leads <--reads-- qualify --uses--> scorer
 *                                        |  |
 *                          writes scores |  | feeds plan --writes--> crm
 *                                        v  v
 *   archive <--writes-- forecast --reads--> scores
 *
 * A change propagates along feeds and writes and against uses, reads and
 * depends_on, so from scorer: qualify (1); plan, scores (2); crm, forecast
 * (3); archive (4). intake is upstream of leads and never affected. spare,
 * other and dee's system fax stand alone. forecast and archive have no
 * owner. qualify has high stakes (sensitive by the default `stakes`),
 * other an irreversible decision (sensitive whatever the stakes).
 */
static const char REGISTRY[] =
  "{\"owners\": {\"ana\": {\"contact\": \"ana@example.com\"}, \"bo\": {},\n"
  "              \"cy\": {\"contact\": \"cy@example.com\"},\n"
  "              \"dee\": {\"contact\": \"dee@example.com\"}},\n"
  " \"systems\": {\"crm\": {\"owner\": \"cy\"}, \"fax\": {\"owner\": \"dee\"}},\n"
  " \"datasets\": {\"leads\": {\"owner\": \"bo\", \"rows\": 200},\n"
  "               \"scores\": {\"owner\": \"ana\"}, \"archive\": {}},\n"
  " \"models\": {\"scorer\": {\"owner\": \"ana\", \"version\": \"1\",\n"
  "                        \"tier\": \"gold\", \"threshold\": 0.5},\n"
  "             \"spare\": {\"owner\": \"cy\", \"version\": \"3\",\n"
  "                       \"tier\": \"gold\"}},\n"
  " \"workflows\": {\n"
  "   \"intake\": {\"owner\": \"bo\", \"writes\": [\"leads\"]},\n"
  "   \"qualify\": {\"owner\": \"ana\", \"stage\": \"measurement\",\n"
  "     \"uses\": [{\"model\": \"scorer\", \"version\": \"1\"}],\n"
  "     \"reads\": [\"leads\"], \"writes\": [\"scores\"], \"feeds\": [\"plan\"],\n"
  "     \"decision\": {\"stakes\": \"high\", \"human_in_loop\": true}},\n"
  "   \"plan\": {\"owner\": \"cy\", \"writes\": [\"crm\"],\n"
  "     \"decision\": {\"stakes\": \"low\"}},\n"
  "   \"forecast\": {\"reads\": [\"scores\"], \"writes\": [\"archive\"]},\n"
  "   \"other\": {\"owner\": \"bo\", \"decision\": {\"reversible\": false}}}}\n";

/* The base findings: t.owner on forecast, t.size on leads, t.tier on
 * scorer and on spare. t.pinned declares a layer, the others none. */
static const char PINNED[] =
  "return { id = 't.pinned', severity = 'high', subjects = 'workflows',\n"
  "  layer = 'technical',\n"
  "  check = function(w, ctx)\n"
  "    for i, use in ipairs(w.uses or {}) do\n"
  "      if type(use) ~= 'string' then\n"
  "        local m = ctx.graph.node(use.model)\n"
  "        if m and use.version ~= m.version then\n"
  "          ctx.fail('pinned to ' .. use.version .. ', model is ' .. m.version,\n"
  "                   { path = 'uses/' .. (i - 1) .. '/version' })\n"
  "        end\n"
  "      end\n"
  "    end\n"
  "  end }\n";
static const char OWNER[] =
  "return { id = 't.owner', severity = 'medium', subjects = 'workflows',\n"
  "  check = function(w, ctx)\n"
  "    if not w.owner then ctx.fail('no owner', { path = 'owner' }) end\n"
  "  end }\n";
/* The message carries a number; the key does not. */
static const char SIZE[] =
  "return { id = 't.size', severity = 'low', subjects = 'datasets',\n"
  "  check = function(d, ctx)\n"
  "    if d.rows then\n"
  "      ctx.fail(string.format('holds %d rows', d.rows), { key = 'size' })\n"
  "    end\n"
  "  end }\n";
/* The key is the tier itself. */
static const char TIER[] =
  "return { id = 't.tier', severity = 'info', enforcement = 'advisory',\n"
  "  subjects = 'models',\n"
  "  check = function(m, ctx)\n"
  "    if m.tier then ctx.fail('tier ' .. m.tier, { key = m.tier }) end\n"
  "  end }\n";

/* Fails to run on a model at version "boom"; silent otherwise. */
static const char FRAGILE[] =
  "return { id = 't.fragile', severity = 'medium', subjects = 'models',\n"
  "  check = function(m, ctx)\n"
  "    if m.version == 'boom' then error('boom') end\n"
  "  end }\n";

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        T_FAILF("cannot write %s", path);
        return;
    }
    fputs(text, f);
    fclose(f);
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static void fixtures(void)
{
    if (dir[0]) return;
    snprintf(dir, sizeof dir, "/tmp/steward-impact-XXXXXX");
    if (!mkdtemp(dir)) {
        T_FAILF("mkdtemp failed");
        return;
    }
    atexit(cleanup);
    write_file("pinned.lua", PINNED);
    write_file("owner.lua", OWNER);
    write_file("size.lua", SIZE);
    write_file("tier.lua", TIER);
    write_file("fragile.lua", FRAGILE);
}

#define HUMAN_IN_LOOP "policies/readiness/human_in_loop.lua"

/* A session over REGISTRY with the five policies, plus readiness's
 * human-in-loop policy when with_hil, and the given params text (NULL for
 * none). Dangling references are errors (no keep-going). */
static st_session *open_session(int with_hil, const char *params)
{
    fixtures();
    const char *packs[2] = {dir, HUMAN_IN_LOOP};
    st_session_opts so = {
        .registry = {NULL, REGISTRY, sizeof REGISTRY - 1, "reg.json"},
        .home = ".", .builtin = 0, .policies = packs,
        .npolicies = with_hil ? 2 : 1,
        .params = {NULL, params, params ? strlen(params) : 0, "params.json"},
        .now = NOW,
    };
    st_session *s = NULL;
    char err[ST_ERRLEN] = "";
    if (st_session_open(&so, &s, err, sizeof err) != ST_OK)
        T_FAILF("session did not open: %s", err);
    return s;
}

/* Runs impact of the change text on s; returns the st_impact_run code.
 * The caller frees *im with st_impact_free whatever the result. */
static int run(st_impact *im, const st_session *s, const char *change,
               const char *name, int fail_on, char *err, size_t errlen)
{
    cJSON *c = cJSON_Parse(change);
    if (!c) {
        T_FAILF("change does not parse: %s", change);
        memset(im, 0, sizeof *im);
        return ST_EIO;
    }
    st_impact_opts o = {name, fail_on, NOW, NULL, 0};
    err[0] = '\0';
    int rc = st_impact_run(im, s, c, &o, err, errlen);
    cJSON_Delete(c);
    return rc;
}

/* Runs a change that must apply. */
static int run_ok(st_impact *im, const st_session *s, const char *change,
                  int fail_on)
{
    char err[ST_ERRLEN];
    int rc = run(im, s, change, "change.json", fail_on, err, sizeof err);
    if (rc != ST_OK) T_FAILF("impact failed (%d): %s", rc, err);
    return rc == ST_OK;
}

/* Inline expectations are written with ' for ". */
static cJSON *sq_parse(const char *text)
{
    size_t n = strlen(text) + 1;
    char *json = malloc(n);
    if (!json) return NULL;
    for (size_t i = 0; i < n; i++) json[i] = text[i] == '\'' ? '"' : text[i];
    cJSON *j = cJSON_Parse(json);
    free(json);
    return j;
}

/* got equals the JSON in want (objects in any member order, arrays in
 * order). */
static void expect_json_at(const cJSON *got, const char *want, int line)
{
    cJSON *w = sq_parse(want);
    if (!w) {
        T_FAILF("line %d: expectation does not parse: %s", line, want);
        return;
    }
    if (!got || !cJSON_Compare(got, w, 1)) {
        char *g = got ? cJSON_PrintUnformatted(got) : NULL;
        char *e = cJSON_PrintUnformatted(w);
        T_FAILF("line %d:\n  got      %s\n  expected %s", line,
                g ? g : "(nothing)", e ? e : "?");
        cJSON_free(g);
        cJSON_free(e);
    }
    cJSON_Delete(w);
}
#define EXPECT_JSON(got, want) expect_json_at(got, want, __LINE__)

static const cJSON *at(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A string member, or "(absent)" so a missing one fails the check rather
 * than the process. */
static const char *str_at(const cJSON *o, const char *key)
{
    const cJSON *x = at(o, key);
    return cJSON_IsString(x) ? x->valuestring : "(absent)";
}

/* The "id" members of an array of objects, as "a b c". */
static const char *ids_of(const cJSON *arr, char *out, size_t len)
{
    size_t used = 0;
    const cJSON *x;
    out[0] = '\0';
    cJSON_ArrayForEach(x, arr)
        if (used < len)
            used += (size_t)snprintf(out + used, len - used, "%s%s",
                                     used ? " " : "", str_at(x, "id"));
    return out;
}

/* The flag bits of node id in the graph after the change. */
static int flags_of(const st_impact *im, const char *id)
{
    const st_graph *g = &im->after.registry->graph;
    uint32_t n = st_graph_find(g, id, strlen(id));
    if (n == ST_NODE_NONE) {
        T_FAILF("no node '%s'", id);
        return -1;
    }
    return im->flags[n];
}

/* The message of the finding of policy on subject in a report. */
static const char *message_of(const st_report *r, const char *policy,
                              const char *subject)
{
    for (size_t i = 0; i < r->findings.n; i++)
        if (!strcmp(r->findings.v[i].policy, policy) &&
            !strcmp(r->findings.v[i].subject, subject))
            return r->findings.v[i].message;
    return "(no such finding)";
}

static const char NOTHING_NEW[] = "{'new': [], 'resolved': [], 'unchanged': 4}";

/* {=== Blast radius, owners, the new finding ============================ */

static const char UPGRADE[] = "{\"models\": {\"scorer\": {\"version\": \"2\"}}}";

static void test_model_upgrade_is_blocked(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    if (run_ok(&im, s, UPGRADE, ST_SEV_HIGH)) {
        const cJSON *r = im.result;
        T_EQ_INT(im.verdict, ST_VERDICT_BLOCKED);
        T_EQ_INT(st_impact_exit_code(&im), 1);
        T_EQ_STR(str_at(r, "verdict"), "blocked");
        T_EQ_STR(str_at(r, "change"), "change.json");
        EXPECT_JSON(at(r, "touched"),
            "[{'id': 'scorer', 'kind': 'model', 'change': 'changed',"
            "  'owner': 'ana', 'fields': ['/models/scorer/version']}]");
        /* nearest first, then by id */
        EXPECT_JSON(at(r, "affected"),
            "[{'id': 'qualify', 'kind': 'workflow', 'distance': 1,"
            "  'reach': 'direct', 'via': ['scorer', 'qualify'], 'owner': 'ana',"
            "  'flags': {'stage': 'measurement', 'high_stakes': true,"
            "            'irreversible': false, 'sensitive': true}},"
            " {'id': 'plan', 'kind': 'workflow', 'distance': 2,"
            "  'reach': 'downstream', 'via': ['scorer', 'qualify', 'plan'], 'owner': 'cy',"
            "  'flags': {'high_stakes': false, 'irreversible': false,"
            "            'sensitive': false}},"
            " {'id': 'scores', 'kind': 'dataset', 'distance': 2,"
            "  'reach': 'downstream', 'via': ['scorer', 'qualify', 'scores'], 'owner': 'ana',"
            "  'flags': {'high_stakes': false, 'irreversible': false,"
            "            'sensitive': false}},"
            " {'id': 'crm', 'kind': 'system', 'distance': 3,"
            "  'reach': 'downstream', 'via': ['scorer', 'qualify', 'plan', 'crm'], 'owner': 'cy',"
            "  'flags': {'high_stakes': false, 'irreversible': false,"
            "            'sensitive': false}},"
            " {'id': 'forecast', 'kind': 'workflow', 'distance': 3,"
            "  'reach': 'downstream', 'via': ['scorer', 'qualify', 'scores', 'forecast'],"
            "  'owner': null,"
            "  'flags': {'high_stakes': false, 'irreversible': false,"
            "            'sensitive': false}},"
            " {'id': 'archive', 'kind': 'dataset', 'distance': 4,"
            "  'reach': 'downstream', 'via': ['scorer', 'qualify', 'scores', 'forecast', 'archive'],"
            "  'owner': null,"
            "  'flags': {'high_stakes': false, 'irreversible': false,"
            "            'sensitive': false}}]");
        /* owners in the order of their nodes (touched first, then the
         * surest and nearest), each with its nodes in that order */
        EXPECT_JSON(at(r, "notify"),
            "[{'owner': 'ana', 'contact': 'ana@example.com',"
            "  'because': ['scorer', 'qualify', 'scores']},"
            " {'owner': 'cy', 'contact': 'cy@example.com',"
            "  'because': ['plan', 'crm']}]");
        /* unowned lists workflows only: archive is a dataset */
        EXPECT_JSON(at(r, "unowned"), "['forecast']");
        EXPECT_JSON(at(r, "summary"),
            "{'touched': 1, 'affected': 6, 'new': 1, 'new_blocking': 1,"
            " 'resolved': 0, 'unchanged': 4, 'failed_policy_runs': 0}");
        /* printf 't.pinned\0qualify\0/workflows/qualify/uses/0/version\0\0'
         *   | sha256sum | cut -c1-32 */
        EXPECT_JSON(at(r, "findings"),
            "{'new': [{'policy': 't.pinned', 'subject': 'qualify',"
            "  'severity': 'high', 'enforcement': 'soft-mandatory',"
            "  'layer': 'technical', 'message': 'pinned to 1, model is 2',"
            "  'path': '/workflows/qualify/uses/0/version', 'evidence': null,"
            "  'key': '', 'identity': '407290e43b45066158b00cd493437392'}],"
            " 'resolved': [], 'unchanged': 4}");
        /* what the packs judged: qualify's stakes; the rest nothing */
        T_EQ_INT(flags_of(&im, "qualify"), ST_FLAG_STAKES | ST_FLAG_SENSITIVE);
        T_EQ_INT(flags_of(&im, "plan"), 0);
        T_EQ_INT(flags_of(&im, "scorer"), 0);
        /* both sides' reports: the session's registry, and a changed copy */
        T_CHECK(im.before.registry == st_session_registry(s));
        T_CHECK(im.after.owns_registry &&
                im.after.registry != st_session_registry(s));
        T_EQ_INT(im.before.findings.n, 4);
        T_EQ_INT(im.after.findings.n, 5);
        T_EQ_INT(im.failed, 0);
    }
    st_impact_free(&im);
    /* the same change at --fail-on critical blocks nothing: a new finding
     * is still a reason to review */
    if (run_ok(&im, s, UPGRADE, ST_SEV_CRITICAL)) {
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
        T_EQ_STR(str_at(im.result, "verdict"), "review");
        T_EQ_INT(st_impact_exit_code(&im), 0);
        EXPECT_JSON(at(at(im.result, "summary"), "new_blocking"), "0");
    }
    st_impact_free(&im);
    st_session_close(s);
}

static void test_json_patch_gives_the_same_report(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact merge, patch;
    int ok1 = run_ok(&merge, s, UPGRADE, ST_SEV_HIGH);
    int ok2 = run_ok(&patch, s,
        "[{\"op\": \"test\", \"path\": \"/models/scorer/version\","
        "  \"value\": \"1\"},"
        " {\"op\": \"replace\", \"path\": \"/models/scorer/version\","
        "  \"value\": \"2\"}]",
        ST_SEV_HIGH);
    if (ok1 && ok2) {
        T_CHECK(cJSON_Compare(merge.result, patch.result, 1));
        T_EQ_INT(patch.verdict, ST_VERDICT_BLOCKED);
    }
    st_impact_free(&merge);
    st_impact_free(&patch);
    st_session_close(s);
}

static void test_harmless_change_is_clear(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    /* an owner's contact: owners propagate nothing, and own nothing */
    if (run_ok(&im, s, "{\"owners\": {\"bo\": {\"contact\": \"bo@example.com\"}}}",
               ST_SEV_HIGH)) {
        T_EQ_INT(im.verdict, ST_VERDICT_CLEAR);
        T_EQ_STR(str_at(im.result, "verdict"), "clear");
        T_EQ_INT(st_impact_exit_code(&im), 0);
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'bo', 'kind': 'owner', 'change': 'changed',"
            "  'owner': null, 'fields': ['/owners/bo/contact']}]");
        EXPECT_JSON(at(im.result, "affected"), "[]");
        EXPECT_JSON(at(im.result, "notify"), "[]");
        EXPECT_JSON(at(im.result, "unowned"), "[]");
        EXPECT_JSON(at(im.result, "findings"), NOTHING_NEW);
    }
    st_impact_free(&im);
    /* a change that sets what is already there touches nothing */
    if (run_ok(&im, s, "{\"models\": {\"scorer\": {\"version\": \"1\"}},"
                       " \"datasets\": {\"leads\": {\"rows\": 200.0}}}",
               ST_SEV_HIGH)) {
        T_EQ_INT(im.verdict, ST_VERDICT_CLEAR);
        EXPECT_JSON(at(im.result, "touched"), "[]");
        EXPECT_JSON(at(im.result, "affected"), "[]");
        EXPECT_JSON(at(im.result, "summary"),
            "{'touched': 0, 'affected': 0, 'new': 0, 'new_blocking': 0,"
            " 'resolved': 0, 'unchanged': 4, 'failed_policy_runs': 0}");
    }
    st_impact_free(&im);
    /* numbers compare by value, not by where the store keeps them: a new
     * fraction on ana comes first in the changed registry and moves the
     * slot of scorer's threshold, which is still 0.5 */
    if (run_ok(&im, s, "{\"owners\": {\"ana\": {\"weight\": 0.75}},"
                       " \"models\": {\"scorer\": {\"threshold\": 0.5}}}",
               ST_SEV_HIGH)) {
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'ana', 'kind': 'owner', 'change': 'changed',"
            "  'owner': null, 'fields': ['/owners/ana/weight']}]");
    }
    st_impact_free(&im);
    st_session_close(s);
}

/* }=== */

/* {=== Finding identity in the diff ===================================== */

static void test_changed_message_same_identity_is_unchanged(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    if (run_ok(&im, s, "{\"datasets\": {\"leads\": {\"rows\": 300}}}",
               ST_SEV_HIGH)) {
        /* the message moved from 200 to 300; (policy, subject, path, key)
         * did not */
        T_EQ_STR(message_of(&im.before, "t.size", "leads"), "holds 200 rows");
        T_EQ_STR(message_of(&im.after, "t.size", "leads"), "holds 300 rows");
        EXPECT_JSON(at(im.result, "findings"), NOTHING_NEW);
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'leads', 'kind': 'dataset', 'change': 'changed',"
            "  'owner': 'bo', 'fields': ['/datasets/leads/rows']}]");
        /* readers of leads and what they feed; not intake, which writes it */
        char ids[256];
        T_EQ_STR(ids_of(at(im.result, "affected"), ids, sizeof ids),
                 "qualify plan scores crm forecast archive");
        EXPECT_JSON(at(cJSON_GetArrayItem(at(im.result, "affected"), 0), "via"),
                    "['leads', 'qualify']");
        /* bo has no contact: null */
        EXPECT_JSON(at(im.result, "notify"),
            "[{'owner': 'bo', 'contact': null, 'because': ['leads']},"
            " {'owner': 'ana', 'contact': 'ana@example.com',"
            "  'because': ['qualify', 'scores']},"
            " {'owner': 'cy', 'contact': 'cy@example.com',"
            "  'because': ['plan', 'crm']}]");
        /* nothing new, but a sensitive workflow is reached: review */
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
    }
    st_impact_free(&im);
    st_session_close(s);
}

static void test_changed_key_is_new_and_resolved(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    if (run_ok(&im, s, "{\"models\": {\"spare\": {\"tier\": \"silver\"}}}",
               ST_SEV_HIGH)) {
        /* printf 't.tier\0spare\0\0silver\0' | sha256sum | cut -c1-32
         * printf 't.tier\0spare\0\0gold\0' | sha256sum | cut -c1-32 */
        EXPECT_JSON(at(im.result, "findings"),
            "{'new': [{'policy': 't.tier', 'subject': 'spare',"
            "  'severity': 'info', 'enforcement': 'advisory', 'layer': null,"
            "  'message': 'tier silver', 'path': null, 'evidence': null,"
            "  'key': 'silver', 'identity': '44e27e4462333b1b7f94ee7c6155d9ce'}],"
            " 'resolved': [{'policy': 't.tier', 'subject': 'spare',"
            "  'severity': 'info', 'enforcement': 'advisory', 'layer': null,"
            "  'message': 'tier gold', 'path': null, 'evidence': null,"
            "  'key': 'gold', 'identity': '214e353e3677398aa80213224d9c377d'}],"
            " 'unchanged': 3}");
        /* nothing is reached from spare and nothing blocks; the new
         * finding alone makes it review */
        EXPECT_JSON(at(im.result, "affected"), "[]");
        EXPECT_JSON(at(im.result, "notify"),
            "[{'owner': 'cy', 'contact': 'cy@example.com', 'because': ['spare']}]");
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
        T_EQ_INT(st_impact_exit_code(&im), 0);
    }
    st_impact_free(&im);
    st_session_close(s);
}

static void test_policy_that_fails_after_the_change(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    if (run_ok(&im, s, "{\"models\": {\"spare\": {\"version\": \"boom\"}}}",
               ST_SEV_INFO)) {
        /* the failure is a new finding that never blocks, even at info,
         * and makes the exit code 3 */
        T_EQ_INT(im.failed, 1);
        T_EQ_INT(st_impact_exit_code(&im), 3);
        const cJSON *sum = at(im.result, "summary");
        EXPECT_JSON(at(sum, "failed_policy_runs"), "1");
        EXPECT_JSON(at(sum, "new"), "1");
        EXPECT_JSON(at(sum, "new_blocking"), "0");
        const cJSON *x = cJSON_GetArrayItem(at(at(im.result, "findings"), "new"), 0);
        T_EQ_STR(str_at(x, "policy"), "t.fragile");
        T_EQ_STR(str_at(x, "subject"), "spare");
        T_EQ_STR(str_at(x, "error"), "runtime");
        T_CONTAINS(str_at(x, "message"), "boom");
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
    }
    st_impact_free(&im);
    st_session_close(s);
}

/* }=== */

/* {=== Added, removed, disconnected ===================================== */

static const char SWAP[] =
  "[{\"op\": \"remove\", \"path\": \"/workflows/forecast\"},"
  " {\"op\": \"add\", \"path\": \"/workflows/newbie\","
  "  \"value\": {\"reads\": [\"scores\"]}}]";

static void test_added_and_removed_nodes(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    if (run_ok(&im, s, SWAP, ST_SEV_HIGH)) {
        /* the removed first (in the registry's order), then the added */
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'forecast', 'kind': 'workflow', 'change': 'removed',"
            "  'owner': null, 'fields': []},"
            " {'id': 'newbie', 'kind': 'workflow', 'change': 'added',"
            "  'owner': null, 'fields': []}]");
        /* a reader is not upstream of what it reads: scores is not
         * affected; what forecast wrote is, reached before the change */
        EXPECT_JSON(at(im.result, "affected"),
            "[{'id': 'archive', 'kind': 'dataset', 'distance': 1,"
            "  'reach': 'direct', 'via': ['forecast', 'archive'], 'owner': null,"
            "  'flags': {'high_stakes': false, 'irreversible': false,"
            "            'sensitive': false}}]");
        EXPECT_JSON(at(im.result, "unowned"), "['forecast', 'newbie']");
        EXPECT_JSON(at(im.result, "notify"), "[]");
        const cJSON *f = at(im.result, "findings");
        T_EQ_INT(cJSON_GetArraySize(at(f, "new")), 1);
        T_EQ_INT(cJSON_GetArraySize(at(f, "resolved")), 1);
        T_EQ_STR(str_at(cJSON_GetArrayItem(at(f, "new"), 0), "path"),
                 "/workflows/newbie/owner");
        T_EQ_STR(str_at(cJSON_GetArrayItem(at(f, "resolved"), 0), "path"),
                 "/workflows/forecast/owner");
        EXPECT_JSON(at(f, "unchanged"), "3");
        /* t.owner is medium: at --fail-on high it does not block */
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
    }
    st_impact_free(&im);
    /* at --fail-on medium the new one blocks */
    if (run_ok(&im, s, SWAP, ST_SEV_MEDIUM)) {
        T_EQ_INT(im.verdict, ST_VERDICT_BLOCKED);
        EXPECT_JSON(at(at(im.result, "summary"), "new_blocking"), "1");
    }
    st_impact_free(&im);
    st_session_close(s);
}

static void test_removed_owner_is_still_told(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    /* dee and the one system dee owns both go: dee's contact comes from
     * the registry before the change */
    if (run_ok(&im, s, "[{\"op\": \"remove\", \"path\": \"/systems/fax\"},"
                       " {\"op\": \"remove\", \"path\": \"/owners/dee\"}]",
               ST_SEV_HIGH)) {
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'dee', 'kind': 'owner', 'change': 'removed',"
            "  'owner': null, 'fields': []},"
            " {'id': 'fax', 'kind': 'system', 'change': 'removed',"
            "  'owner': 'dee', 'fields': []}]");
        EXPECT_JSON(at(im.result, "notify"),
            "[{'owner': 'dee', 'contact': 'dee@example.com',"
            "  'because': ['fax']}]");
        EXPECT_JSON(at(im.result, "unowned"), "[]");
        T_EQ_INT(im.verdict, ST_VERDICT_CLEAR);
    }
    st_impact_free(&im);
    st_session_close(s);
}

static void test_removed_edge_reaches_what_it_disconnects(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    /* qualify no longer feeds plan: plan and crm are reached in the graph
     * before the change, scores, forecast and archive in both */
    if (run_ok(&im, s, "{\"workflows\": {\"qualify\": {\"feeds\": null}}}",
               ST_SEV_HIGH)) {
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'qualify', 'kind': 'workflow', 'change': 'changed',"
            "  'owner': 'ana', 'fields': ['/workflows/qualify/feeds']}]");
        const cJSON *a = at(im.result, "affected");
        T_EQ_INT(cJSON_GetArraySize(a), 5);
        static const char *const ids[5] = {"plan", "scores", "crm", "forecast",
                                           "archive"};
        static const char *const via[5] = {
            "['qualify', 'plan']", "['qualify', 'scores']",
            "['qualify', 'plan', 'crm']", "['qualify', 'scores', 'forecast']",
            "['qualify', 'scores', 'forecast', 'archive']"};
        static const char *const dist[5] = {"1", "1", "2", "2", "3"};
        for (int i = 0; i < 5 && i < cJSON_GetArraySize(a); i++) {
            const cJSON *x = cJSON_GetArrayItem(a, i);
            T_EQ_STR(str_at(x, "id"), ids[i]);
            EXPECT_JSON(at(x, "distance"), dist[i]);
            EXPECT_JSON(at(x, "via"), via[i]);
        }
        /* qualify itself is touched, not affected, and it is sensitive */
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
        EXPECT_JSON(at(im.result, "findings"), NOTHING_NEW);
    }
    st_impact_free(&im);
    st_session_close(s);
}

static void test_field_pointers(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    /* nested fields by their own pointer, escaped; a new owner is told,
     * with the contact as it is after the change */
    if (run_ok(&im, s,
               "{\"owners\": {\"ana\": {\"contact\": \"new@example.com\"}},"
               " \"models\": {\"spare\": {\"owner\": \"ana\", \"a/b~c\": 1,"
               "   \"tier\": null}}}",
               ST_SEV_HIGH)) {
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'ana', 'kind': 'owner', 'change': 'changed',"
            "  'owner': null, 'fields': ['/owners/ana/contact']},"
            " {'id': 'spare', 'kind': 'model', 'change': 'changed',"
            "  'owner': 'ana', 'fields': ['/models/spare/owner',"
            "  '/models/spare/tier', '/models/spare/a~1b~0c']}]");
        EXPECT_JSON(at(im.result, "notify"),
            "[{'owner': 'ana', 'contact': 'new@example.com',"
            "  'because': ['spare']}]");
    }
    st_impact_free(&im);
    if (run_ok(&im, s, "{\"workflows\": {\"qualify\": {\"decision\":"
                       " {\"stakes\": \"low\"}}}}", ST_SEV_HIGH)) {
        EXPECT_JSON(at(cJSON_GetArrayItem(at(im.result, "touched"), 0), "fields"),
                    "['/workflows/qualify/decision/stakes']");
    }
    st_impact_free(&im);
    st_session_close(s);
}

/* }=== */

/* {=== Sensitivity is the packs' judgement ============================== */

static const char ROWS[] = "{\"datasets\": {\"leads\": {\"rows\": 300}}}";
static const char OTHER[] = "{\"workflows\": {\"other\": {\"stage\": \"data\"}}}";

static void test_irreversible_touched_workflow_is_review(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    if (run_ok(&im, s, OTHER, ST_SEV_HIGH)) {
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'other', 'kind': 'workflow', 'change': 'changed',"
            "  'owner': 'bo', 'fields': ['/workflows/other/stage']}]");
        EXPECT_JSON(at(im.result, "affected"), "[]");
        EXPECT_JSON(at(im.result, "findings"), NOTHING_NEW);
        T_EQ_INT(flags_of(&im, "other"),
                 ST_FLAG_IRREVERSIBLE | ST_FLAG_SENSITIVE);
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
    }
    st_impact_free(&im);
    st_session_close(s);
}

/* Removing a sensitive workflow needs review as much as changing it: it is
 * judged in the registry it is removed from. */
static void test_removing_a_sensitive_workflow_is_review(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    st_impact im;
    if (run_ok(&im, s, "[{\"op\": \"remove\", \"path\": \"/workflows/other\"}]",
               ST_SEV_HIGH)) {
        EXPECT_JSON(at(im.result, "touched"),
            "[{'id': 'other', 'kind': 'workflow', 'change': 'removed',"
            "  'owner': 'bo', 'fields': []}]");
        T_CHECK(im.removed_sensitive);
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
    }
    st_impact_free(&im);
    st_session_close(s);
}

static void test_stakes_parameter_moves_sensitivity(void)
{
    /* the readiness pack loaded with its default `stakes` ["high"]: as
     * without it, qualify is high stakes */
    st_session *s = open_session(1, NULL);
    if (!s) return;
    st_impact im;
    if (run_ok(&im, s, ROWS, ST_SEV_HIGH)) {
        T_EQ_INT(flags_of(&im, "qualify"), ST_FLAG_STAKES | ST_FLAG_SENSITIVE);
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
    }
    st_impact_free(&im);
    st_session_close(s);
    /* stakes ["critical"]: high is no longer sensitive, so a change that
     * reaches only qualify's stakes is clear */
    s = open_session(1, "{\"readiness.human-in-loop\":"
                        " {\"stakes\": [\"critical\"]}}");
    if (!s) return;
    if (run_ok(&im, s, ROWS, ST_SEV_HIGH)) {
        T_EQ_INT(flags_of(&im, "qualify"), 0);
        const cJSON *q = cJSON_GetArrayItem(at(im.result, "affected"), 0);
        T_EQ_STR(str_at(q, "id"), "qualify");
        EXPECT_JSON(at(q, "flags"),
            "{'stage': 'measurement', 'high_stakes': false,"
            " 'irreversible': false, 'sensitive': false}");
        EXPECT_JSON(at(im.result, "findings"), NOTHING_NEW);
        T_EQ_INT(im.verdict, ST_VERDICT_CLEAR);
    }
    st_impact_free(&im);
    /* an irreversible decision stays sensitive whatever the stakes */
    if (run_ok(&im, s, OTHER, ST_SEV_HIGH)) {
        T_EQ_INT(flags_of(&im, "other"),
                 ST_FLAG_IRREVERSIBLE | ST_FLAG_SENSITIVE);
        T_EQ_INT(im.verdict, ST_VERDICT_REVIEW);
    }
    st_impact_free(&im);
    st_session_close(s);
}

/* }=== */

/* {=== Change sets that cannot apply ==================================== */

static void expect_bad(const st_session *s, const char *change,
                       const char *name, const char *want, int line)
{
    st_impact im;
    char err[ST_ERRLEN];
    int rc = run(&im, s, change, name, ST_SEV_HIGH, err, sizeof err);
    if (rc != ST_EINPUT)
        T_FAILF("line %d: rc == %d, expected ST_EINPUT", line, rc);
    if (strcmp(err, want))
        T_FAILF("line %d: err == \"%s\", expected \"%s\"", line, err, want);
    T_CHECK(im.result == NULL);
    st_impact_free(&im);
}
#define EXPECT_BAD(s, change, name, want) \
    expect_bad(s, change, name, want, __LINE__)

static void test_bad_change_sets_name_change_operation_and_path(void)
{
    st_session *s = open_session(0, NULL);
    if (!s) return;
    EXPECT_BAD(s, "[{\"op\": \"replace\", \"path\": \"/models/nope/version\","
                  " \"value\": \"2\"}]", "bad-path.json",
               "bad-path.json: operation 0 (replace) at /models/nope/version: "
               "/models/nope does not exist");
    EXPECT_BAD(s, "[{\"op\": \"test\", \"path\": \"/models/scorer/version\","
                  " \"value\": \"1\"},"
                  " {\"op\": \"test\", \"path\": \"/models/scorer/version\","
                  " \"value\": \"9\"}]", "bad-test.json",
               "bad-test.json: operation 1 (test) at /models/scorer/version: "
               "test failed");
    /* a change that applies but leaves an invalid registry */
    EXPECT_BAD(s, "{\"workflows\": {\"qualify\": {\"uses\": [\"ghost\"]}}}",
               "dangling.json",
               "dangling.json: after the change: /workflows/qualify/uses/0: "
               "unknown id 'ghost'");
    EXPECT_BAD(s, "5", "scalar.json",
               "scalar.json: change set: must be a JSON object (merge patch) "
               "or array (JSON patch)");
    /* the session is as it was: the upgrade still reads the same */
    st_impact im;
    if (run_ok(&im, s, UPGRADE, ST_SEV_HIGH))
        EXPECT_JSON(at(at(im.result, "summary"), "unchanged"), "4");
    st_impact_free(&im);
    st_session_close(s);
}

/* }=== */

T_SUITE(T_CASE(test_model_upgrade_is_blocked),
        T_CASE(test_json_patch_gives_the_same_report),
        T_CASE(test_harmless_change_is_clear),
        T_CASE(test_changed_message_same_identity_is_unchanged),
        T_CASE(test_changed_key_is_new_and_resolved),
        T_CASE(test_policy_that_fails_after_the_change),
        T_CASE(test_added_and_removed_nodes),
        T_CASE(test_removed_owner_is_still_told),
        T_CASE(test_removed_edge_reaches_what_it_disconnects),
        T_CASE(test_field_pointers),
        T_CASE(test_irreversible_touched_workflow_is_review),
        T_CASE(test_removing_a_sensitive_workflow_is_review),
        T_CASE(test_stakes_parameter_moves_sensitivity),
        T_CASE(test_bad_change_sets_name_change_operation_and_path))
