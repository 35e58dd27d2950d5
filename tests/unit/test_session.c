/*
 * test_session.c - the one pipeline (core/session.c): a session opened from
 * in-memory inputs, per-run clock, selection, observations and change set,
 * the loader's findings and waivers, the blocking rule, that a session is
 * not changed by a run, and several threads checking one session at once.
 *
 * Run from the repository root (as `make test` does): the session's home
 * is ".", so the stdlib is ./stdlib; policies are written to a temporary
 * directory.
 */
#include "session.h"
#include "t.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define NOW 1795651200.0            /* 2026-11-26T00:00:00Z */

static const char REGISTRY[] =
  "{\"owners\": {\"ana\": {}},\n"
  " \"models\": {\"m\": {\"version\": \"1\"}},\n"
  " \"workflows\": {\n"
  "   \"a\": {\"owner\": \"ana\", \"uses\": [\"m\"], \"stage\": \"data\"},\n"
  "   \"b\": {\"uses\": [\"m\"], \"stage\": \"deployment\"},\n"
  "   \"c\": {\"owner\": \"ana\", \"uses\": [\"ghost\"]}},\n"
  " \"waivers\": {\"w1\": {\"policy\": \"t.owner\", \"subject\": \"b\",\n"
  "   \"owner\": \"ana\", \"reason\": \"pilot\", \"expires\": \"2026-12-31\"}}}\n";

/* t.owner: every workflow names an owner (high). t.late: fires for
 * deployment-stage workflows once the clock passes 2027 (medium, key
 * "late"). t.obs: one finding per psi observation of the subject (low,
 * advisory, keyed by date so two on one path differ). */
static const char OWNER[] =
  "return { id = 't.owner', severity = 'high', subjects = 'workflows',\n"
  "  check = function(w, ctx)\n"
  "    if not w.owner then ctx.fail('no owner', { path = 'owner' }) end\n"
  "  end }\n";
static const char LATE[] =
  "return { id = 't.late', severity = 'medium', subjects = 'workflows',\n"
  "  params = { year = 2027 },\n"
  "  check = function(w, ctx)\n"
  "    local y = tonumber(os.date('!%Y', ctx.now))\n"
  "    if w.stage == 'deployment' and y >= ctx.params.year then\n"
  "      ctx.fail('late in ' .. y, { key = 'late' })\n"
  "    end\n"
  "  end }\n";
static const char OBS[] =
  "return { id = 't.obs', severity = 'low', enforcement = 'advisory',\n"
  "  subjects = 'workflows',\n"
  "  check = function(w, ctx)\n"
  "    for _, r in ipairs(ctx.observations(w.id, 'psi')) do\n"
  "      ctx.fail('psi ' .. r.value, { key = r.at })\n"
  "    end\n"
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
    snprintf(dir, sizeof dir, "/tmp/steward-session-XXXXXX");
    if (!mkdtemp(dir)) {
        T_FAILF("mkdtemp failed");
        return;
    }
    atexit(cleanup);
    write_file("owner.lua", OWNER);
    write_file("late.lua", LATE);
    write_file("obs.lua", OBS);
}

/* Opens a session over REGISTRY (keep going: 'ghost' is a finding), the
 * three policies, and the given params and observations texts (NULL for
 * none). */
static st_session *open_with(const char *params, const char *obs)
{
    fixtures();
    const char *packs[1] = {dir};
    st_input o = {NULL, obs, obs ? strlen(obs) : 0, "obs.jsonl"};
    st_session_opts so = {
        .registry = {NULL, REGISTRY, sizeof REGISTRY - 1, "reg.json"},
        .home = ".", .builtin = 0, .policies = packs, .npolicies = 1,
        .params = {NULL, params, params ? strlen(params) : 0, "params.json"},
        .observations = obs ? &o : NULL, .nobservations = obs ? 1 : 0,
        .keep_going = 1, .now = NOW,
    };
    st_session *s = NULL;
    char err[ST_ERRLEN] = "";
    if (st_session_open(&so, &s, err, sizeof err) != ST_OK)
        T_FAILF("session did not open: %s", err);
    return s;
}

static st_run_opts at(double now)
{
    st_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.now = now;
    ro.fail_on = ST_SEV_HIGH;
    return ro;
}

/* The report's findings as "policy subject key [waiver]" lines, in order. */
static void describe(const st_report *r, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->findings.n && used < len; i++) {
        const st_finding *f = &r->findings.v[i];
        used += (size_t)snprintf(out + used, len - used, "%s%s %s %s%s%s",
                                 i ? "; " : "", f->policy, f->subject,
                                 f->key ? f->key : "-",
                                 f->waiver ? " waived:" : "",
                                 f->waiver ? f->waiver : "");
    }
}

static void expect_run(const st_session *s, const st_run_opts *ro,
                       const char *want, size_t blocking)
{
    st_report r;
    char err[ST_ERRLEN] = "", got[2048];
    if (st_session_check(s, ro, &r, err, sizeof err) != ST_OK) {
        T_FAILF("check failed: %s", err);
    } else {
        describe(&r, got, sizeof got);
        T_EQ_STR(got, want);
        T_EQ_INT(r.summary.blocking, blocking);
    }
    st_report_free(&r);
}

/* {=== Tests ============================================================ */

static void test_pipeline_loader_findings_waivers_and_order(void)
{
    st_session *s = open_with(NULL, NULL);
    if (!s) return;
    st_run_opts ro = at(NOW);
    /* sorted by subject, then policy; the dangling 'ghost' is the loader's
     * finding; b's missing owner is waived (and so does not block) */
    expect_run(s, &ro, "t.owner b - waived:w1; registry.dangling-ref c -",
               1);
    /* a session is not changed by a run: the same again, byte for byte */
    expect_run(s, &ro, "t.owner b - waived:w1; registry.dangling-ref c -",
               1);
    ro.fail_on = ST_SEV_COUNT;      /* --fail-on none */
    expect_run(s, &ro, "t.owner b - waived:w1; registry.dangling-ref c -",
               0);
    st_session_close(s);
}

static void test_clock_is_per_run(void)
{
    st_session *s = open_with(NULL, NULL);
    if (!s) return;
    st_run_opts ro = at(NOW + 86400.0 * 40);   /* 2027-01-05: waiver over */
    expect_run(s, &ro, "t.late b late; t.owner b -; "
               "registry.dangling-ref c -", 2);
    st_session_close(s);
}

static void test_params_text_reach_the_policy(void)
{
    st_session *s = open_with("{\"t.late\": {\"year\": 2026}}", NULL);
    if (!s) return;
    st_run_opts ro = at(NOW);
    expect_run(s, &ro, "t.late b late; t.owner b - waived:w1; "
               "registry.dangling-ref c -", 1);
    st_session_close(s);
}

static void test_selection_by_id_and_glob(void)
{
    st_session *s = open_with(NULL, NULL);
    if (!s) return;
    st_run_opts ro = at(NOW + 86400.0 * 40);
    const char *sel[] = {"t.l*"};
    ro.select = sel;
    ro.nselect = 1;
    st_report r;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_session_check(s, &ro, &r, err, sizeof err), ST_OK);
    T_EQ_INT(r.summary.policies, 1);
    st_report_free(&r);
    /* the loader's findings are always reported */
    expect_run(s, &ro, "t.late b late; registry.dangling-ref c -", 1);
    const char *bad[] = {"t.late", "t.nope"};
    ro.select = bad;
    ro.nselect = 2;
    T_EQ_INT(st_session_check(s, &ro, &r, err, sizeof err), ST_EINPUT);
    T_EQ_STR(err, "no policy matches 't.nope'");
    st_report_free(&r);
    st_session_close(s);
}

static void test_observations_are_per_run(void)
{
    st_session *s = open_with(NULL,
        "{\"at\":\"2026-11-01\",\"subject\":\"a\",\"metric\":\"psi\",\"value\":0.3}\n");
    if (!s) return;
    st_run_opts ro = at(NOW);
    const char *sel[] = {"t.obs"};
    ro.select = sel;
    ro.nselect = 1;
    expect_run(s, &ro, "t.obs a 2026-11-01; registry.dangling-ref c -", 1);
    /* a run handed another set sees only that set */
    st_obsset other;
    st_obs_init(&other);
    char err[ST_ERRLEN] = "";
    const char *lines =
        "{\"at\":\"2026-11-02\",\"subject\":\"b\",\"metric\":\"psi\",\"value\":0.1}\n"
        "{\"at\":\"2026-11-03\",\"subject\":\"b\",\"metric\":\"psi\",\"value\":0.2}\n";
    T_EQ_INT(st_obs_load_text(&other, "other", lines, strlen(lines), err,
                              sizeof err), ST_OK);
    st_obs_index(&other);
    ro.obs = &other;
    expect_run(s, &ro, "t.obs b 2026-11-02; t.obs b 2026-11-03; "
               "registry.dangling-ref c -", 1);
    st_obs_free(&other);
    st_session_close(s);
}

static void test_change_set_on_a_private_copy(void)
{
    st_session *s = open_with(NULL, NULL);
    if (!s) return;
    cJSON *change = cJSON_Parse("{\"workflows\": {\"b\": {\"owner\": \"ana\"},"
                                " \"c\": {\"uses\": [\"m\"]}}}");
    st_run_opts ro = at(NOW);
    ro.change = change;
    ro.change_name = "fix.json";
    st_report r;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_session_check(s, &ro, &r, err, sizeof err), ST_OK);
    T_EQ_INT(r.findings.n, 0);
    T_CHECK(r.owns_registry && r.registry != st_session_registry(s));
    st_report_free(&r);
    /* the session's registry is as it was */
    ro.change = NULL;
    expect_run(s, &ro, "t.owner b - waived:w1; registry.dangling-ref c -",
               1);
    cJSON_Delete(change);
    /* a change that cannot apply is an input error naming it */
    change = cJSON_Parse("[{\"op\": \"remove\", \"path\": \"/models/x\"}]");
    ro.change = change;
    T_EQ_INT(st_session_check(s, &ro, &r, err, sizeof err), ST_EINPUT);
    T_CONTAINS(err, "fix.json: operation 0 (remove) at /models/x");
    st_report_free(&r);
    cJSON_Delete(change);
    st_session_close(s);
}

static void test_open_errors_name_the_input(void)
{
    fixtures();
    st_session *s = (st_session *)1;
    char err[ST_ERRLEN] = "";
    st_session_opts so;
    memset(&so, 0, sizeof so);
    so.registry = (st_input){NULL, "{\"models\": {\n  \"m\": [}}", 22,
                             "body"};
    so.home = ".";
    T_EQ_INT(st_session_open(&so, &s, err, sizeof err), ST_EINPUT);
    T_EQ_STR(err, "body:2:9: malformed JSON");
    T_CHECK(s == NULL);
    so.registry = (st_input){NULL, REGISTRY, sizeof REGISTRY - 1, "reg.json"};
    const char *packs[1] = {dir};
    so.policies = packs;
    so.npolicies = 1;
    so.keep_going = 1;
    const char *params = "{\"t.owner\": {\"x\": 1}}";
    so.params = (st_input){NULL, params, strlen(params), "p.json"};
    T_EQ_INT(st_session_open(&so, &s, err, sizeof err), ST_EINPUT);
    T_EQ_STR(err, "p.json: /t.owner/x: policy 't.owner' has no parameter 'x'");
    so.params = (st_input){NULL, NULL, 0, NULL};
    so.keep_going = 0;
    T_EQ_INT(st_session_open(&so, &s, err, sizeof err), ST_EINPUT);
    T_CONTAINS(err, "reg.json:6:");
    T_CONTAINS(err, "unknown id 'ghost'");
}

static const char SLOW[] =
  "return { id = 't.slow', severity = 'low', subjects = 'workflows',\n"
  "  check = function(w, ctx)\n"
  "    local t0 = os.clock() while os.clock() - t0 < 0.3 do end\n"
  "    ctx.fail('slow ' .. w.id)\n"
  "  end }\n";

static void test_run_timeout_and_cancel_stop_the_run(void)
{
    fixtures();
    st_input src = {NULL, SLOW, strlen(SLOW), "slow.lua"};
    st_session_opts so = {
        .registry = {NULL, REGISTRY, sizeof REGISTRY - 1, "reg.json"},
        .home = ".", .policy_sources = &src, .npolicy_sources = 1,
        .keep_going = 1, .now = NOW,
    };
    st_session *s = NULL;
    char err[ST_ERRLEN] = "";
    if (st_session_open(&so, &s, err, sizeof err) != ST_OK) {
        T_FAILF("session did not open: %s", err);
        return;
    }
    st_run_opts ro = at(NOW);
    st_report r;
    ro.timeout = 0.45;      /* a, then b stopped inside its call */
    T_EQ_INT(st_session_check(s, &ro, &r, err, sizeof err), ST_OK);
    T_EQ_INT(r.stopped, ST_STOP_DEADLINE);
    T_EQ_INT(r.failed, 0);  /* a stopped run is not a policy failure */
    T_CHECK(r.findings.n >= 1 && r.findings.n <= 2);
    st_report_free(&r);
    atomic_int cancel;
    atomic_init(&cancel, 1);
    ro.timeout = 0;
    ro.cancel = &cancel;
    T_EQ_INT(st_session_check(s, &ro, &r, err, sizeof err), ST_OK);
    T_EQ_INT(r.stopped, ST_STOP_CANCEL);
    st_report_free(&r);
    atomic_store(&cancel, 0);
    T_EQ_INT(st_session_check(s, &ro, &r, err, sizeof err), ST_OK);
    T_EQ_INT(r.stopped, ST_STOP_NONE);
    T_EQ_INT(r.findings.n, 4);   /* slow a, b, c and the dangling ref */
    st_report_free(&r);
    st_session_close(s);
}

static void test_blobs_reopen_the_same_session(void)
{
    st_session *s = open_with("{\"t.late\": {\"year\": 2026}}", NULL);
    if (!s) return;
    size_t rl, pl;
    char *reg = st_session_registry_blob(s, &rl);
    char *pol = st_session_policy_blob(s, &pl);
    st_session *again = NULL;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_session_open_blobs(".", reg, rl, pol, pl, &again, err,
                                   sizeof err), ST_OK);
    if (again) {
        st_run_opts ro = at(NOW);
        expect_run(again, &ro, "t.late b late; t.owner b - waived:w1; "
                   "registry.dangling-ref c -", 1);
        size_t rl2, pl2;
        char *reg2 = st_session_registry_blob(again, &rl2);
        char *pol2 = st_session_policy_blob(again, &pl2);
        T_EQ_STR(reg2, reg);     /* the blobs are a fixed point */
        T_EQ_STR(pol2, pol);
        free(reg2);
        free(pol2);
        T_CHECK(st_session_serial(again) != st_session_serial(s));
    }
    /* a reference kept past close keeps the session usable */
    st_session *kept = st_session_retain(s);
    st_session_close(s);
    st_run_opts ro = at(NOW);
    expect_run(kept, &ro, "t.late b late; t.owner b - waived:w1; "
               "registry.dangling-ref c -", 1);
    st_session_close(kept);
    st_session_close(again);
    free(reg);
    free(pol);
}

/* {=== Several threads on one session =================================== */

typedef struct {
    const st_session *s;
    int own_runner;
    char got[2048];
    int rc;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *a = p;
    st_runner runner;
    st_run_opts ro = at(NOW + 86400.0 * 40);
    if (a->own_runner) {
        st_runner_init(&runner, st_session_policies(a->s));
        ro.runner = &runner;
    }
    a->got[0] = '\0';
    for (int i = 0; i < 20 && !a->rc; i++) {
        st_report r;
        char err[ST_ERRLEN];
        a->rc = st_session_check(a->s, &ro, &r, err, sizeof err);
        if (!a->rc) describe(&r, a->got, sizeof a->got);
        st_report_free(&r);
    }
    if (a->own_runner) st_runner_free(&runner);
    return NULL;
}

static void test_threads_share_one_session(void)
{
    st_session *s = open_with(NULL, NULL);
    if (!s) return;
    worker_arg args[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (worker_arg){s, i < 2, "", 0};  /* two bring runners, two
                                                   * share or borrow */
        pthread_create(&th[i], NULL, worker, &args[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        T_EQ_INT(args[i].rc, ST_OK);
        T_EQ_STR(args[i].got, "t.late b late; t.owner b -; "
                 "registry.dangling-ref c -");
    }
    st_session_close(s);
}

/* }=== */

T_SUITE(T_CASE(test_pipeline_loader_findings_waivers_and_order),
        T_CASE(test_clock_is_per_run),
        T_CASE(test_params_text_reach_the_policy),
        T_CASE(test_selection_by_id_and_glob),
        T_CASE(test_observations_are_per_run),
        T_CASE(test_change_set_on_a_private_copy),
        T_CASE(test_open_errors_name_the_input),
        T_CASE(test_run_timeout_and_cancel_stop_the_run),
        T_CASE(test_blobs_reopen_the_same_session),
        T_CASE(test_threads_share_one_session))
