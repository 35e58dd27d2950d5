/*
 * test_policy.c - the policy loader and evaluator (core/policy.c) and the
 * graph as policies see it (core/lgraph.c), against a small inline registry.
 *
 * Validation errors are compared exactly; findings field by field, in the
 * order the evaluator adds them (subjects in registry order); evidence with
 * cJSON_Compare. Graph queries run inside a policy and come back as finding
 * messages "label=value", so each one is checked on its own.
 *
 * The registry (node numbers are load order, which fixes every list below):
 *   owners    alice, team-ml
 *   systems   crm
 *   datasets  leads      owner team-ml
 *   models    scorer     owner team-ml, reads leads
 *   workflows a          owner alice, uses scorer, reads leads, writes crm,
 *                        feeds b
 *             b          owner alice, feeds c
 *             c          feeds b            (b and c form a cycle)
 */
#include "policy.h"
#include "runner.h"
#include "t.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lgraph.h"

#define MiB ((size_t)1 << 20)
#define BUDGET 1000000ULL
/* 2026-11-26T00:00:00Z */
#define NOW 1795651200.0

/* ---- fixtures ---------------------------------------------------------- */

/* ' stands for " so the JSON stays readable in C. */
static char *dq(const char *text)
{
    char *s = st_xstrdup(text);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

static const char REGISTRY[] =
    "{'owners': {'alice': {'name': 'Alice'}, 'team-ml': {'name': 'ML'}},"
    " 'systems': {'crm': {'name': 'CRM'}},"
    " 'datasets': {'leads': {'owner': 'team-ml'}},"
    " 'models': {'scorer': {'owner': 'team-ml', 'version': '1.0',"
    "                       'reads': ['leads']}},"
    " 'workflows': {"
    "   'a': {'owner': 'alice', 'stage': 'measurement',"
    "         'uses': [{'model': 'scorer', 'version': '1.0'}],"
    "         'reads': ['leads'], 'writes': ['crm'], 'feeds': ['b'],"
    "         'task': {'inputs': ['x'], 'outputs': ['y']},"
    "         'volume': {'cases_per_month': 4200}, 'ratio': 0.25},"
    "   'b': {'owner': 'alice', 'feeds': ['c']},"
    "   'c': {'feeds': ['b']}}}";

/* A second, much smaller registry: what a policy sees after a reload. */
static const char TINY_REGISTRY[] = "{'workflows': {'z': {}}}";

static const char *const OBSERVATIONS[] = {
    "{'at':'2026-01-01','subject':'a','metric':'adherence','value':0.9}",
    "{'at':'2026-02-01','subject':'a','metric':'adherence','value':0.8}",
    "{'at':'2026-01-15','kind':'incident','subject':'a','severity':'high','note':'n'}",
    "{'at':'2026-01-20','kind':'usage','model':'scorer','caller':'a','count':120}",
};

static int build_registry(st_registry *r, const char *json)
{
    char err[ST_ERRLEN] = "";
    char *text = dq(json);
    cJSON *root = cJSON_Parse(text);
    int rc = -1;
    st_registry_init(r);
    if (!root)
        T_FAILF("registry fixture does not parse");
    else if (st_registry_add(r, root, "reg.json", text, err, sizeof err) != ST_OK
             || st_registry_finish(r, NULL, err, sizeof err) != ST_OK)
        T_FAILF("registry fixture: %s", err);
    else
        rc = 0;
    cJSON_Delete(root);
    free(text);
    return rc;
}

static int build_obs(st_obsset *o)
{
    char err[ST_ERRLEN] = "";
    st_obs_init(o);
    for (size_t i = 0; i < sizeof OBSERVATIONS / sizeof OBSERVATIONS[0]; i++) {
        char *line = dq(OBSERVATIONS[i]);
        int rc = st_obs_add_line(o, line, strlen(line), "obs.jsonl", (int)i + 1,
                                 err, sizeof err);
        free(line);
        if (rc != ST_OK) {
            T_FAILF("observation fixture %zu: %s", i, err);
            return -1;
        }
    }
    st_obs_index(o);
    return 0;
}

static st_registry REG;
static st_obsset OBS;
static int fixtures_state;           /* 0 not built, 1 built, -1 broken */

static void free_fixtures(void)
{
    st_obs_free(&OBS);
    st_registry_free(&REG);
}

/* Builds REG and OBS once, on first use; freed at exit. 0 when usable. */
static int fixtures(void)
{
    if (fixtures_state == 0) {
        fixtures_state = build_registry(&REG, REGISTRY) == 0 &&
                         build_obs(&OBS) == 0 ? 1 : -1;
        atexit(free_fixtures);
    }
    if (fixtures_state < 0)
        T_FAILF("the registry or observation fixture is broken");
    return fixtures_state > 0 ? 0 : -1;
}

/* The runner the set under test evaluates with (runner.h): made on first
 * use and kept across evaluations, as a command keeps its states. */
static st_runner RUN;
static st_policyset *RUN_SET;
static double run_now = NOW;

static st_runner *runner_of(st_policyset *s)
{
    if (RUN_SET != s || RUN.n != s->n) {
        if (RUN_SET) st_runner_free(&RUN);
        st_runner_init(&RUN, s);
        RUN_SET = s;
    }
    return &RUN;
}

/* Evaluates every policy of s at run_now; returns how many failed. */
static size_t eval_set(st_policyset *s, const st_registry *reg,
                       const st_obsset *obs, st_findings *out)
{
    st_run_input in = {reg, obs, run_now, 0, NULL};
    return st_runner_eval_all(runner_of(s), &in, out);
}

static int eval_one(st_policyset *s, size_t i, const st_registry *reg,
                    const st_obsset *obs, st_findings *out)
{
    st_run_input in = {reg, obs, run_now, 0, NULL};
    return st_runner_eval(runner_of(s), i, &in, out);
}

static void set_free(st_policyset *s)
{
    if (RUN_SET == s) {
        st_runner_free(&RUN);
        RUN_SET = NULL;
    }
    st_policyset_free(s);
}

static void set_init(st_policyset *s, uint64_t instructions, size_t memory,
                     double seconds)
{
    st_limits l = {instructions, memory, seconds};
    fixtures();
    run_now = NOW;
    st_policyset_init(s, NULL, NOW, &l);
}

/* A set with the usual small limits: 1e6 instructions, 16 MiB, 5 s. */
static void set_small(st_policyset *s)
{
    set_init(s, BUDGET, 16 * MiB, 5);
}

/* Loads a policy that must load; returns 0 on success. */
static int load_ok(st_policyset *s, const char *name, const char *text)
{
    char err[ST_ERRLEN] = "";
    int rc = st_policyset_load_text(s, name, text, strlen(text), err, sizeof err);
    if (rc != ST_OK)
        T_FAILF("%s did not load: %s", name, err);
    return rc;
}

/* Loads a policy that must be rejected with exactly want. */
#define EXPECT_LOAD_ERR(name, text, want) do { st_policyset s_; \
    char e_[ST_ERRLEN] = ""; set_small(&s_); \
    int r_ = st_policyset_load_text(&s_, (name), (text), strlen(text), e_, sizeof e_); \
    if (r_ != ST_EINPUT || strcmp(e_, (want)) != 0) \
        T_FAILF("load %s\n    got  rc=%d \"%s\"\n    want rc=%d \"%s\"", (name), r_, \
                e_, ST_EINPUT, (want)); \
    T_EQ_INT(s_.n, 0); \
    st_policyset_free(&s_); } while (0)

static void dump_findings(const st_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        char *ev = f->v[i].evidence ? cJSON_PrintUnformatted(f->v[i].evidence) : NULL;
        fprintf(stderr, "    [%zu] %s %s sev=%d enf=%d err=%d path=%s \"%s\" %s\n", i,
                f->v[i].policy, f->v[i].subject, f->v[i].severity,
                f->v[i].enforcement, f->v[i].error,
                f->v[i].path ? f->v[i].path : "-", f->v[i].message, ev ? ev : "");
        free(ev);
    }
}

/* The messages of the findings, in order, must be exactly want[]. */
static void expect_messages(const st_findings *f, const char *const *want,
                            size_t n, const char *what)
{
    int bad = f->n != n;
    for (size_t i = 0; !bad && i < n; i++)
        bad = strcmp(f->v[i].message, want[i]) != 0;
    if (!bad)
        return;
    T_FAILF("%s: findings differ", what);
    for (size_t i = 0; i < (f->n > n ? f->n : n); i++)
        fprintf(stderr, "    [%zu] got  %s\n         want %s\n", i,
                i < f->n ? f->v[i].message : "(none)", i < n ? want[i] : "(none)");
}

static int json_is(const cJSON *got, const char *want)
{
    char *text = dq(want);
    cJSON *w = cJSON_Parse(text);
    free(text);
    int ok = w && got && cJSON_Compare(got, w, 1);
    if (!ok) {
        char *g = got ? cJSON_PrintUnformatted(got) : NULL;
        fprintf(stderr, "    evidence got  %s\n    evidence want %s\n",
                g ? g : "(null)", want);
        free(g);
    }
    cJSON_Delete(w);
    return ok;
}

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- validation -------------------------------------------------------- */

static void test_validation_messages(void)
{
    EXPECT_LOAD_ERR("nid.lua",
                    "return { severity = 'high', subjects = 'workflows', "
                    "check = function() end }",
                    "nid.lua: policy has no 'id' string");
    EXPECT_LOAD_ERR("eid.lua",
                    "return { id = '', severity = 'high', subjects = 'workflows', "
                    "check = function() end }",
                    "eid.lua: policy has no 'id' string");
    EXPECT_LOAD_ERR("nsev.lua",
                    "return { id = 'p', subjects = 'workflows', "
                    "check = function() end }",
                    "nsev.lua: policy has no 'severity'");
    EXPECT_LOAD_ERR("sev.lua",
                    "return { id = 'p', severity = 'urgent', subjects = 'workflows', "
                    "check = function() end }",
                    "sev.lua: unknown severity 'urgent' (expected info, low, "
                    "medium, high or critical)");
    EXPECT_LOAD_ERR("enf.lua",
                    "return { id = 'p', severity = 'high', enforcement = 'strict', "
                    "subjects = 'workflows', check = function() end }",
                    "enf.lua: unknown enforcement 'strict' (expected advisory, "
                    "mandatory, soft-mandatory or hard-mandatory)");
    EXPECT_LOAD_ERR("chk.lua",
                    "return { id = 'p', severity = 'high', subjects = 'workflows' }",
                    "chk.lua: policy has no 'check' function");
    EXPECT_LOAD_ERR("chk2.lua",
                    "return { id = 'p', severity = 'high', subjects = 'workflows', "
                    "check = 'yes' }",
                    "chk2.lua: policy has no 'check' function");
    EXPECT_LOAD_ERR("subj.lua",
                    "return { id = 'p', severity = 'high', subjects = 'widgets', "
                    "check = function() end }",
                    "subj.lua: unknown subjects 'widgets' (expected owners, "
                    "systems, datasets, models, workflows or a function)");
    EXPECT_LOAD_ERR("nsubj.lua",
                    "return { id = 'p', severity = 'high', check = function() end }",
                    "nsubj.lua: policy has no 'subjects' (a kind or a function)");
    EXPECT_LOAD_ERR("nsubj2.lua",
                    "return { id = 'p', severity = 'high', subjects = 42, "
                    "check = function() end }",
                    "nsubj2.lua: policy has no 'subjects' (a kind or a function)");
    EXPECT_LOAD_ERR("par.lua",
                    "return { id = 'p', severity = 'high', subjects = 'workflows', "
                    "params = 3, check = function() end }",
                    "par.lua: 'params' must be a table");
    EXPECT_LOAD_ERR("lim.lua",
                    "return { id = 'p', severity = 'high', subjects = 'workflows', "
                    "limits = { instructions = -1 }, check = function() end }",
                    "lim.lua: limits out of range");
    EXPECT_LOAD_ERR("lim2.lua",
                    "return { id = 'p', severity = 'high', subjects = 'workflows', "
                    "limits = 5, check = function() end }",
                    "lim2.lua: 'limits' must be a table");
    EXPECT_LOAD_ERR("lay.lua",
                    "return { id = 'p', severity = 'high', layer = 'data', "
                    "subjects = 'workflows', check = function() end }",
                    "lay.lua: unknown layer 'data' (expected technical, "
                    "process or governance)");
    EXPECT_LOAD_ERR("lay2.lua",
                    "return { id = 'p', severity = 'high', layer = 3, "
                    "subjects = 'workflows', check = function() end }",
                    "lay2.lua: 'layer' must be a string");
    /* The table is read raw: a metatable cannot supply fields. */
    EXPECT_LOAD_ERR("meta.lua",
                    "return setmetatable({}, { __index = { id = 'p', "
                    "severity = 'high', subjects = 'workflows', "
                    "check = function() end } })",
                    "meta.lua: policy has no 'id' string");
}

static void test_validation_chunk_errors(void)
{
    EXPECT_LOAD_ERR("syn.lua",
                    "return {\n  id = 'x',\n  severity = 'high'\n  check = 1\n}\n",
                    "syn.lua:4: '}' expected (to close '{' at line 1) near 'check'");
    EXPECT_LOAD_ERR("err.lua", "local x = 1\nerror('nope')\n",
                    "err.lua:2: nope");
    EXPECT_LOAD_ERR("ret.lua", "return 42", "ret.lua: a policy must return a table");
    EXPECT_LOAD_ERR("ret2.lua", "local x = 1", "ret2.lua: a policy must return a table");
    EXPECT_LOAD_ERR("req.lua", "require 'os'",
                    "req.lua:1: require: 'os' is not a steward.* module");
}

/* A chunk killed while it loads is a policy that failed to run, not bad
 * input: it is kept under its file name, and every evaluation reports the
 * limit (issue 5: a finding, exit 3, the others still report). */
static void test_load_time_kills_are_kept_as_failures(void)
{
    static const struct { const char *name, *text; int kind; } cases[] = {
        {"loop.lua", "while true do end", ST_ERRK_INSTRUCTIONS},
        {"mem.lua", "local s = 'x' while true do s = s .. s end",
         ST_ERRK_MEMORY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        st_policyset s;
        char err[ST_ERRLEN] = "";
        set_small(&s);
        T_EQ_INT(st_policyset_load_text(&s, cases[i].name, cases[i].text,
                                        strlen(cases[i].text), err,
                                        sizeof err), ST_OK);
        T_EQ_INT(s.n, 1);
        if (s.n == 1) {
            T_EQ_STR(s.v[0].id, cases[i].name);
            T_EQ_INT(s.v[0].load_kill, cases[i].kind);
        }
        set_free(&s);
    }
}

/* Every load error names the file (policy.h: "FILE: what" or "FILE:LINE:
 * what"), also when the chunk raised a non-string error. */
static void test_validation_errors_name_the_file(void)
{
    static const struct { const char *name, *text, *needle; } cases[] = {
        {"etab.lua", "error({})", "(error object is a table value)"},
        {"elev0.lua", "error('plain', 0)", "plain"},
        {"bin.lua", "\033Lua\124", "attempt to load a binary chunk"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        st_policyset s;
        char err[ST_ERRLEN] = "", prefix[64];
        set_small(&s);
        int rc = st_policyset_load_text(&s, cases[i].name, cases[i].text,
                                        strlen(cases[i].text), err, sizeof err);
        snprintf(prefix, sizeof prefix, "%s:", cases[i].name);
        if (rc != ST_EINPUT || !starts_with(err, prefix) ||
            !strstr(err, cases[i].needle))
            T_FAILF("load %s (%s)\n    got  rc=%d \"%s\"\n    want rc=%d, "
                    "\"%s ...%s...\"", cases[i].name, cases[i].text, rc, err,
                    ST_EINPUT, prefix, cases[i].needle);
        T_EQ_INT(s.n, 0);
        set_free(&s);
    }
}

static void test_duplicate_id_names_both_files(void)
{
    st_policyset s;
    char err[ST_ERRLEN] = "";
    const char *p = "return { id = 'p.dup', severity = 'low', "
                    "subjects = 'workflows', check = function() end }";
    set_small(&s);
    T_EQ_INT(load_ok(&s, "packs/one.lua", p), ST_OK);
    T_EQ_INT(st_policyset_load_text(&s, "packs/two.lua", p, strlen(p), err,
                                    sizeof err), ST_EINPUT);
    T_EQ_STR(err, "packs/two.lua: duplicate policy id 'p.dup' (also in packs/one.lua)");
    T_EQ_INT(s.n, 1);
    T_CHECK(st_policyset_find(&s, "p.dup") == &s.v[0]);
    T_CHECK(st_policyset_find(&s, "nope") == NULL);
    set_free(&s);
}

static void test_loaded_fields(void)
{
    st_policyset s;
    set_small(&s);
    if (load_ok(&s, "f.lua",
                "return { id = 'p.f', title = 'A title', severity = 'critical', "
                "enforcement = 'mandatory', subjects = 'models', "
                "layer = 'process', params = { n = 3 }, "
                "check = function() end }") == ST_OK &&
        load_ok(&s, "g.lua",
                "return { id = 'p.g', severity = 'info', enforcement = "
                "'hard-mandatory', subjects = function() return {} end, "
                "layer = 'governance', check = function() end }") == ST_OK &&
        load_ok(&s, "h.lua",
                "return { id = 'p.h', severity = 'low', subjects = 'workflow', "
                "check = function() end }") == ST_OK) {
        T_EQ_STR(s.v[0].id, "p.f");
        T_EQ_STR(s.v[0].title, "A title");
        T_EQ_STR(s.v[0].file, "f.lua");
        T_EQ_INT(s.v[0].severity, ST_SEV_CRITICAL);
        T_EQ_INT(s.v[0].enforcement, ST_ENF_SOFT);
        T_EQ_INT(s.v[0].subjects_kind, ST_KIND_MODEL);
        T_EQ_INT(s.v[0].layer, ST_LAYER_PROCESS);
        T_EQ_INT(s.v[1].layer, ST_LAYER_GOVERNANCE);
        T_EQ_INT(s.v[2].layer, ST_LAYER_NONE);    /* optional: none */
        T_CHECK(json_is(s.v[0].params, "{'n': 3}"));
        T_EQ_STR(s.v[1].title, "p.g");           /* the id when untitled */
        T_EQ_INT(s.v[1].enforcement, ST_ENF_HARD);
        T_EQ_INT(s.v[1].subjects_kind, -1);
        T_EQ_INT(s.v[2].enforcement, ST_ENF_SOFT);
        T_EQ_INT(s.v[2].subjects_kind, ST_KIND_WORKFLOW);
    }
    set_free(&s);
}

/* ---- evaluation -------------------------------------------------------- */

static void test_findings_fields_paths_evidence(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    const char *src =
        "return {\n"
        "  id = 'p.fields', title = 'T', severity = 'medium',\n"
        "  enforcement = 'hard-mandatory', subjects = 'workflows',\n"
        "  check = function(w, ctx)\n"
        "    if w.id == 'a' then\n"
        "      local cyc = {} cyc.self = cyc\n"
        "      ctx.fail('abs', { path = '/models/scorer/version',\n"
        "        severity = 'critical', evidence = {\n"
        "          n = 1, f = 1.5, flag = true, s = 'str', list = {1, 2, 3},\n"
        "          nested = { x = { y = 'z' } }, node = w,\n"
        "          owner = ctx.graph.owner(w), task = w.task,\n"
        "          sparse = { [5] = 'x' }, fn = print, empty = {} } })\n"
        "      ctx.fail('cyclic', { evidence = cyc })\n"
        "    end\n"
        "    if w.id == 'b' then ctx.fail('plain') ctx.fail(42) end\n"
        "    if not w.owner then return ctx.fail('no owner', { path = 'owner' }) end\n"
        "  end }\n";
    if (load_ok(&s, "fields.lua", src) == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, &OBS, &out), 0);
        static const char *const want[] = {"abs", "cyclic", "plain", "42",
                                           "no owner"};
        expect_messages(&out, want, 5, "fields");
        if (out.n == 5) {
            st_finding *f = &out.v[0];
            T_EQ_STR(f->policy, "p.fields");
            T_EQ_STR(f->subject, "a");
            T_EQ_INT(f->severity, ST_SEV_CRITICAL);     /* the override */
            T_EQ_INT(f->enforcement, ST_ENF_HARD);
            T_EQ_STR(f->path, "/models/scorer/version");  /* absolute: kept */
            T_EQ_INT(f->error, ST_ERRK_NONE);
            T_EQ_INT(f->layer, ST_LAYER_NONE);            /* declares none */
            T_CHECK(json_is(f->evidence,
                "{'n': 1, 'f': 1.5, 'flag': true, 's': 'str', 'list': [1, 2, 3],"
                " 'nested': {'x': {'y': 'z'}}, 'node': 'a', 'owner': 'alice',"
                " 'task': {'inputs': ['x'], 'outputs': ['y']},"
                " 'sparse': {'5': 'x'}, 'fn': null, 'empty': {}}"));
            T_CHECK(cJSON_IsObject(out.v[1].evidence));
            T_CHECK(out.v[1].path == NULL);
            f = &out.v[2];
            T_EQ_STR(f->subject, "b");
            T_EQ_INT(f->severity, ST_SEV_MEDIUM);
            T_CHECK(f->path == NULL);
            T_CHECK(f->evidence == NULL);
            f = &out.v[4];
            T_EQ_STR(f->subject, "c");
            T_EQ_STR(f->path, "/workflows/c/owner");     /* relative: resolved */
            T_EQ_INT(f->severity, ST_SEV_MEDIUM);
            T_EQ_INT(f->enforcement, ST_ENF_HARD);
        } else {
            dump_findings(&out);
        }
    }
    st_findings_free(&out);
    set_free(&s);
}

/* A relative path is joined to the subject's pointer, whose id is escaped
 * as RFC 6901 says ('~' as ~0, '/' as ~1); the relative part is taken as
 * written. */
static void test_relative_path_escapes_the_id(void)
{
    st_policyset s;
    st_findings out;
    st_registry r;
    set_small(&s);
    st_findings_init(&out);
    if (build_registry(&r, "{'models': {'m/1~x': {}}}") == 0 &&
        load_ok(&s, "esc.lua",
                "return { id = 'p.esc', severity = 'low', subjects = 'models',\n"
                "  check = function(w, ctx) ctx.fail('v', { path = 'version/major' }) end }\n")
            == ST_OK) {
        T_EQ_INT(eval_set(&s, &r, NULL, &out), 0);
        T_EQ_INT(out.n, 1);
        if (out.n == 1) {
            T_EQ_STR(out.v[0].subject, "m/1~x");
            T_EQ_STR(out.v[0].path, "/models/m~11~0x/version/major");
        }
    }
    st_findings_free(&out);
    set_free(&s);
    st_registry_free(&r);
}

static void test_fail_argument_errors(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    const char *src =
        "return { id = 'p.args', severity = 'low',\n"
        "  subjects = function() return { 'a', 'b', 'c' } end,\n"
        "  check = function(w, ctx)\n"
        "    if w.id == 'a' then ctx.fail('x', { severity = 'urgent' }) end\n"
        "    if w.id == 'b' then ctx.fail({}) end\n"
        "    if w.id == 'c' then ctx.fail('x', 'opts') end\n"
        "  end }\n";
    if (load_ok(&s, "args.lua", src) == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 1);
        static const char *const want[] = {
            "args.lua:4: ctx.fail: unknown severity 'urgent'",
            "args.lua:5: bad argument #1 to 'fail' (the message must be a string)",
            "args.lua:6: bad argument #2 to 'fail' (options must be a table)"};
        expect_messages(&out, want, 3, "fail arguments");
        for (size_t i = 0; i < out.n; i++)
            T_EQ_INT(out.v[i].error, ST_ERRK_RUNTIME);
    }
    st_findings_free(&out);
    set_free(&s);
}

static void test_subjects_function(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    if (load_ok(&s, "sf.lua",
                "return { id = 'p.sf', severity = 'low',\n"
                "  subjects = function(g) return { g.node('b'), 'c', 'leads' } end,\n"
                "  check = function(w, ctx) ctx.fail('saw ' .. w.id .. ' ' .. w.kind) end }\n")
        == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 0);
        static const char *const want[] = {"saw b workflow", "saw c workflow",
                                           "saw leads dataset"};
        expect_messages(&out, want, 3, "subjects function");
        if (out.n == 3) {
            T_EQ_STR(out.v[0].subject, "b");
            T_EQ_STR(out.v[2].subject, "leads");
        }
    }
    st_findings_free(&out);
    set_free(&s);

    /* subjects() that returns no table, or raises. */
    set_small(&s);
    st_findings_init(&out);
    if (load_ok(&s, "sf2.lua",
                "return { id = 'p.sf2', severity = 'low',\n"
                "  subjects = function(g) return 'workflows' end,\n"
                "  check = function(w, ctx) ctx.fail('no') end }\n") == ST_OK &&
        load_ok(&s, "sf3.lua",
                "return { id = 'p.sf3', severity = 'low',\n"
                "  subjects = function(g) error('no subjects') end,\n"
                "  check = function(w, ctx) ctx.fail('no') end }\n") == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 2);
        static const char *const want[] = {
            "sf2.lua: subjects() must return a list of nodes",
            "sf3.lua:2: no subjects"};
        expect_messages(&out, want, 2, "bad subjects");
        for (size_t i = 0; i < out.n; i++) {
            T_EQ_INT(out.v[i].error, ST_ERRK_RUNTIME);
            T_EQ_STR(out.v[i].subject, "");
        }
    }
    st_findings_free(&out);
    set_free(&s);
}

static void test_runtime_error_is_one_finding_per_subject(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    if (load_ok(&s, "rt.lua",
                "return { id = 'p.rt', severity = 'high', subjects = 'workflows',\n"
                "  layer = 'technical',\n"
                "  check = function(w, ctx)\n"
                "    if w.id == 'b' then error('bad b') end\n"
                "    ctx.fail('ok ' .. w.id)\n"
                "  end }\n") == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 1);
        static const char *const want[] = {"ok a", "rt.lua:4: bad b", "ok c"};
        expect_messages(&out, want, 3, "runtime error");
        if (out.n == 3) {
            T_EQ_INT(out.v[0].error, ST_ERRK_NONE);
            T_EQ_INT(out.v[1].error, ST_ERRK_RUNTIME);
            T_EQ_STR(out.v[1].subject, "b");
            T_EQ_STR(out.v[1].policy, "p.rt");
            T_EQ_INT(out.v[1].severity, ST_SEV_HIGH);
            T_CHECK(out.v[1].path == NULL);
            T_EQ_INT(out.v[2].error, ST_ERRK_NONE);
            /* the policy's layer, on its findings and its failures */
            for (size_t i = 0; i < out.n; i++)
                T_EQ_INT(out.v[i].layer, ST_LAYER_TECHNICAL);
        }
    }
    st_findings_free(&out);
    set_free(&s);
}

static const char KILL_POLICY[] =
    "runs = 0\n"
    "return { id = 'p.kill', severity = 'high', subjects = 'workflows',\n"
    "  check = function(w, ctx)\n"
    "    runs = runs + 1\n"
    "    if ctx.now == 1000 and w.id == 'b' then while true do end end\n"
    "    ctx.fail('run ' .. runs)\n"
    "  end }\n";

static const char OK_POLICY[] =
    "return { id = 'p.ok', severity = 'low', subjects = 'workflows',\n"
    "  check = function(w, ctx) ctx.fail('fine ' .. w.id) end }\n";

static void test_kill_is_one_finding_and_state_is_rebuilt(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    if (load_ok(&s, "kill.lua", KILL_POLICY) == ST_OK &&
        load_ok(&s, "ok.lua", OK_POLICY) == ST_OK) {
        run_now = 1000;
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 1);
        static const char *const want1[] = {
            "run 1",
            "instruction budget of 1000000 exceeded after 1 of 3 subjects (at 'b')",
            "fine a", "fine b", "fine c"};
        expect_messages(&out, want1, 5, "first run");
        if (out.n == 5) {
            st_finding *f = &out.v[1];
            T_EQ_STR(f->policy, "p.kill");
            T_EQ_STR(f->subject, "b");
            T_EQ_INT(f->error, ST_ERRK_INSTRUCTIONS);
            T_EQ_INT(f->severity, ST_SEV_HIGH);
            T_CHECK(json_is(f->evidence,
                "{'limit': 'instructions', 'instructions_limit': 1000000,"
                " 'memory_limit': 16777216, 'seconds_limit': 5,"
                " 'subjects_done': 1, 'subjects_total': 3}"));
        }
        st_findings_free(&out);
        /* The next evaluation runs in a rebuilt state: `runs` starts over. */
        run_now = 2000;
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 0);
        static const char *const want2[] = {"run 1", "run 2", "run 3",
                                            "fine a", "fine b", "fine c"};
        expect_messages(&out, want2, 6, "second run");
        T_CHECK(RUN.sb[0] != NULL && !st_sandbox_dead(RUN.sb[0]));
    }
    st_findings_free(&out);
    set_free(&s);
}

/* The kill kinds other than instructions, each with run-wide limits. */
static void test_memory_and_deadline_kills(void)
{
    st_policyset s;
    st_findings out;
    set_init(&s, 1000000000ULL, 4 * MiB, 10);
    st_findings_init(&out);
    if (load_ok(&s, "mem.lua",
                "return { id = 'p.mem', severity = 'low', subjects = 'workflows',\n"
                "  check = function(w, ctx)\n"
                "    local ok = pcall(function() local s = 'x' while true do s = s .. s end end)\n"
                "    ctx.fail('survived ' .. tostring(ok))\n"
                "  end }\n") == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 1);
        static const char *const want[] = {
            "memory limit of 4 MiB exceeded after 0 of 3 subjects (at 'a')"};
        expect_messages(&out, want, 1, "memory kill");
        if (out.n == 1)
            T_EQ_INT(out.v[0].error, ST_ERRK_MEMORY);
    }
    st_findings_free(&out);
    set_free(&s);

    set_init(&s, 1000000000000ULL, 16 * MiB, 0.2);
    st_findings_init(&out);
    if (load_ok(&s, "dl.lua",
                "return { id = 'p.dl', severity = 'low', subjects = 'workflows',\n"
                "  check = function(w, ctx) while true do end end }\n") == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 1);
        static const char *const want[] = {
            "deadline of 0.2 s exceeded after 0 of 3 subjects (at 'a')"};
        expect_messages(&out, want, 1, "deadline kill");
        if (out.n == 1)
            T_EQ_INT(out.v[0].error, ST_ERRK_DEADLINE);
    }
    st_findings_free(&out);
    set_free(&s);
}

/* A policy's own `limits` hold from its first evaluation on, not only after
 * its state was rebuilt. */
static void test_policy_limits_apply_from_the_start(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    const char *src =
        "return { id = 'p.lim', severity = 'low', subjects = 'workflows',\n"
        "  limits = { instructions = 100000 },\n"
        "  check = function(w, ctx)\n"
        "    local n = 0 for i = 1, 300000 do n = n + 1 end\n"
        "    ctx.fail('counted ' .. n)\n"
        "  end }\n";
    if (load_ok(&s, "lim.lua", src) == ST_OK) {
        T_EQ_INT(eval_one(&s, 0, &REG, NULL, &out), 1);
        static const char *const want[] = {
            "instruction budget of 100000 exceeded after 0 of 3 subjects (at 'a')"};
        expect_messages(&out, want, 1, "first evaluation");
        st_findings_free(&out);
        T_EQ_INT(eval_one(&s, 0, &REG, NULL, &out), 1);
        expect_messages(&out, want, 1, "second evaluation");
    }
    st_findings_free(&out);
    set_free(&s);
}

static void test_eval_counts_failed_policies(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    if (load_ok(&s, "kill.lua", KILL_POLICY) == ST_OK &&
        load_ok(&s, "rt.lua",
                "return { id = 'p.rt', severity = 'high', subjects = 'workflows',\n"
                "  check = function(w, ctx) if w.id == 'c' then error('c') end end }\n")
            == ST_OK &&
        load_ok(&s, "ok.lua", OK_POLICY) == ST_OK) {
        run_now = 1000;
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 2);
        T_EQ_INT(out.n, 2 + 1 + 3);
    }
    st_findings_free(&out);
    set_free(&s);
}

static void test_graph_is_read_only(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    const char *src =
        "return { id = 'p.ro', severity = 'low', subjects = function() return {'a'} end,\n"
        "  check = function(w, ctx)\n"
        "    local function try(label, f)\n"
        "      local ok, e = pcall(f)\n"
        "      ctx.fail(label .. '=' .. (ok and 'allowed' or tostring(e)))\n"
        "    end\n"
        "    try('field', function() w.owner = 'x' end)\n"
        "    try('new', function() w.brand_new = 1 end)\n"
        "    try('nested', function() w.task.inputs[1] = 'z' end)\n"
        "    try('rawset', function() rawset(w, 'owner', 'x') end)\n"
        "    try('obs', function() ctx.observations('a')[1].value = 0 end)\n"
        "    ctx.fail('meta=' .. tostring(getmetatable(w)))\n"
        "    ctx.fail('after=' .. tostring(w.owner) .. ' ' .. tostring(w.brand_new)"
        " .. ' ' .. w.task.inputs[1])\n"
        "  end }\n";
    if (load_ok(&s, "ro.lua", src) == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, &OBS, &out), 0);
        static const char *const want[] = {
            "field=ro.lua:7: the graph is read-only (cannot set 'owner')",
            "new=ro.lua:8: the graph is read-only (cannot set 'brand_new')",
            "nested=ro.lua:9: the graph is read-only (cannot set '?')",
#if ST_LUAJIT /* LUAJIT: type errors name the type, not the metatable's __name */
            "rawset=ro.lua:10: bad argument #1 to 'rawset' (table expected, got userdata)",
#else
            "rawset=ro.lua:10: bad argument #1 to 'rawset' (table expected, got steward.view)",
#endif
            "obs=ro.lua:11: the graph is read-only (cannot set 'value')",
            "meta=read-only",
            "after=alice nil x"};
        expect_messages(&out, want, 7, "read-only");
    }
    st_findings_free(&out);
    set_free(&s);

    /* Uncaught, the write is a runtime-error finding. */
    set_small(&s);
    st_findings_init(&out);
    if (load_ok(&s, "ro2.lua",
                "return { id = 'p.ro2', severity = 'low', subjects = 'workflows',\n"
                "  check = function(w, ctx) w.owner = 'x' end }\n") == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 1);
        T_EQ_INT(out.n, 3);
        for (size_t i = 0; i < out.n; i++) {
            T_EQ_INT(out.v[i].error, ST_ERRK_RUNTIME);
            T_CONTAINS(out.v[i].message, "read-only");
        }
    }
    st_findings_free(&out);
    set_free(&s);
}

static void test_fail_kept_past_its_run_is_refused(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    const char *src =
        "return { id = 'p.late', severity = 'low',\n"
        "  subjects = function(g)\n"
        "    if saved then saved('late') end\n"
        "    return { 'a' }\n"
        "  end,\n"
        "  check = function(w, ctx) saved = ctx.fail ctx.fail('in check') end }\n";
    if (load_ok(&s, "late.lua", src) == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 0);
        static const char *const want1[] = {"in check"};
        expect_messages(&out, want1, 1, "first run");
        st_findings_free(&out);
        T_EQ_INT(eval_set(&s, &REG, NULL, &out), 1);
        static const char *const want2[] = {
            "late.lua:3: ctx.fail called outside check"};
        expect_messages(&out, want2, 1, "second run");
        if (out.n == 1) {
            T_EQ_INT(out.v[0].error, ST_ERRK_RUNTIME);
            T_EQ_STR(out.v[0].subject, "");
        }
    }
    st_findings_free(&out);
    set_free(&s);
}

static void test_params(void)
{
    st_policyset s;
    st_findings out;
    char err[ST_ERRLEN] = "";
    set_small(&s);
    st_findings_init(&out);
    const char *src =
        "return { id = 'p.params', severity = 'low',\n"
        "  subjects = function() return { 'a' } end,\n"
        "  params = { threshold = 5, label = 'x' },\n"
        "  check = function(w, ctx)\n"
        "    ctx.fail(ctx.params.label .. '=' .. ctx.params.threshold)\n"
        "    ctx.params.threshold = 99\n"
        "  end }\n";
    if (load_ok(&s, "params.lua", src) != ST_OK) {
        set_free(&s);
        return;
    }
    T_EQ_INT(eval_set(&s, &REG, NULL, &out), 0);
    static const char *const want5[] = {"x=5"};
    expect_messages(&out, want5, 1, "defaults");
    st_findings_free(&out);

    cJSON *o = cJSON_Parse("{\"p.params\": {\"threshold\": 7}}");
    T_EQ_INT(st_policyset_params(&s, o, err, sizeof err), ST_OK);
    cJSON_Delete(o);
    T_EQ_INT(eval_set(&s, &REG, NULL, &out), 0);
    static const char *const want7[] = {"x=7"};
    expect_messages(&out, want7, 1, "override");
    st_findings_free(&out);
    /* The policy's own write to ctx.params did not stick. */
    T_EQ_INT(eval_set(&s, &REG, NULL, &out), 0);
    expect_messages(&out, want7, 1, "override again");
    st_findings_free(&out);

    static const struct { const char *json, *want; } bad[] = {
        {"{\"nope\": {\"threshold\": 1}}", "/nope: unknown policy 'nope'"},
        {"{\"p.params\": {\"zz\": 1}}",
         "/p.params/zz: policy 'p.params' has no parameter 'zz'"},
        {"{\"p.params\": 3}", "/p.params: expected an object"},
        {"[1]", "parameters must be an object keyed by policy id"},
        /* All or nothing: label would be valid, zz is not. */
        {"{\"p.params\": {\"label\": \"y\", \"zz\": 1}}",
         "/p.params/zz: policy 'p.params' has no parameter 'zz'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = cJSON_Parse(bad[i].json);
        err[0] = '\0';
        int rc = st_policyset_params(&s, o, err, sizeof err);
        if (rc != ST_EINPUT || strcmp(err, bad[i].want) != 0)
            T_FAILF("params %s\n    got  rc=%d \"%s\"\n    want rc=%d \"%s\"",
                    bad[i].json, rc, err, ST_EINPUT, bad[i].want);
        cJSON_Delete(o);
    }
    /* No rejected override changed anything. */
    T_EQ_INT(eval_set(&s, &REG, NULL, &out), 0);
    expect_messages(&out, want7, 1, "after rejected overrides");
    st_findings_free(&out);
    set_free(&s);
}

/* ---- the graph API from Lua ------------------------------------------- */

/* In pieces: ISO C caps a string literal at 4095 characters. */
static const char *const GRAPH_POLICY[] = {
    "local function ids(list)\n"
    "  if list == nil then return 'nil' end\n"
    "  local r = {}\n"
    "  for i, n in ipairs(list) do r[i] = n.id end\n"
    "  return table.concat(r, ' ')\n"
    "end\n"
    "local function lists(ll)\n"
    "  local r = {}\n"
    "  for i, l in ipairs(ll) do r[i] = ids(l) end\n"
    "  return table.concat(r, '|')\n"
    "end\n"
    "local function obs(list, field)\n"
    "  local r = {}\n"
    "  for i, o in ipairs(list) do r[i] = tostring(o[field]) end\n"
    "  return #list .. ':' .. table.concat(r, ' ')\n"
    "end\n"
    "return { id = 'p.graph', title = 'Graph', severity = 'medium',\n"
    "  subjects = function() return { 'a' } end,\n"
    "  check = function(w, ctx)\n"
    "    local g = ctx.graph\n"
    "    local function q(label, f)\n"
    "      local ok, v = pcall(f)\n"
    "      ctx.fail(label .. '=' .. (ok and tostring(v) or ('ERROR ' .. tostring(v))))\n"
    "    end\n"
    ,
    "    q('node', function() local n = g.node('a') return n.id .. '/' .. n.kind end)\n"
    "    q('node.view', function() return g.node('a') == w end)\n"
    "    q('node.byview', function() return g.node(w).id end)\n"
    "    q('node.missing', function() return g.node('nope') end)\n"
    "    q('nodes.workflows', function() return ids(g.nodes('workflows')) end)\n"
    "    q('nodes.owner', function() return ids(g.nodes('owner')) end)\n"
    "    q('nodes.models', function() return ids(g.nodes('models')) end)\n"
    "    q('nodes.bogus', function() return ids(g.nodes('bogus')) end)\n"
    "    q('out', function() return ids(g.out('a')) end)\n"
    "    q('out.feeds', function() return ids(g.out(w, 'feeds')) end)\n"
    "    q('out.rw', function() return ids(g.out('a', {'reads', 'writes'})) end)\n"
    "    q('out.missing', function() return ids(g.out('nope')) end)\n"
    "    q('out.badrel', function() return ids(g.out('a', 'likes')) end)\n"
    "    q('into.leads', function() return ids(g.into('leads')) end)\n"
    "    q('into.alice', function() return ids(g.into('alice')) end)\n"
    "    q('into.b.feeds', function() return ids(g.into('b', 'feeds')) end)\n"
    "    q('dependents.leads', function() return ids(g.dependents('leads')) end)\n"
    "    q('dependents.scorer', function() return ids(g.dependents('scorer')) end)\n"
    "    q('dependents.crm', function() return ids(g.dependents('crm')) end)\n"
    "    q('owner.a', function() return g.owner(w).id end)\n"
    "    q('owner.leads', function() return g.owner('leads').id end)\n"
    "    q('owner.c', function() return g.owner('c') end)\n"
    "    q('path.a.c', function() return ids(g.path('a', 'c')) end)\n"
    "    q('path.a.team', function() return ids(g.path('a', 'team-ml')) end)\n"
    "    q('path.c.a', function() return ids(g.path('c', 'a')) end)\n"
    "    q('path.a.leads', function() return ids(g.path('a', 'leads', {'uses', 'reads'})) end)\n"
    "    q('path.a.team.reads', function() return ids(g.path('a', 'team-ml', 'reads')) end)\n"
    "    q('cycles', function() return lists(g.cycles()) end)\n"
    "    q('cycles.feeds', function() return lists(g.cycles('feeds')) end)\n"
    "    q('cycles.owner', function() return lists(g.cycles('owner')) end)\n"
    ,
    "    q('view.uses', function() return #w.uses .. ' ' .. w.uses[1].model .. ' ' .. w.uses[1].version end)\n"
    "    q('view.task', function() return w.task.inputs[1] .. w.task.outputs[1] .. tostring(w.task.inputs[2]) end)\n"
    "    q('view.numbers', function() return (math.type or type)(w.volume.cases_per_month) .. ' ' .. w.volume.cases_per_month .. ' ' .. w.ratio end)\n"
    "    q('view.absent', function() return tostring(w.missing) .. ' ' .. tostring(w.task.missing) end)\n"
    "    q('view.pairs', function() local r = {} for k in pairs(g.node('b')) do r[#r + 1] = k end return table.concat(r, ' ') end)\n"
    "    q('view.tostring', function() return tostring(w) end)\n"
    "    q('obs.all', function() return obs(ctx.observations('a'), 'at') end)\n"
    "    q('obs.metric', function() return obs(ctx.observations(w, 'adherence'), 'value') end)\n"
    "    q('obs.kind', function() return obs(ctx.observations('a', {kind = 'incident'}), 'severity') end)\n"
    "    q('obs.since', function() return obs(ctx.observations('a', {metric = 'adherence', since = '2026-01-10'}), 'value') end)\n"
    "    q('obs.before', function() return obs(ctx.observations('a', {metric = 'adherence', before = '2026-01-10'}), 'value') end)\n"
    "    q('obs.usage', function() return obs(ctx.observations('scorer'), 'caller') end)\n"
    "    q('obs.none', function() return obs(ctx.observations('nope'), 'at') end)\n"
    "    q('obs.nometric', function() return obs(ctx.observations('a', 'nosuch'), 'at') end)\n"
    "    q('now', function() return (ctx.now == 1795651200) and (os.time() == ctx.now) end)\n"
    "    q('policy', function() return ctx.policy.id .. ' ' .. ctx.policy.severity .. ' ' .. ctx.policy.title end)\n"
    "    q('dependents.kind', function() return ids(g.dependents('leads', {kind = 'workflow'})) end)\n"
    "    q('dependents.count', function() return g.dependents('leads', {count = true}) end)\n"
    "    q('dependents.depth', function() return ids(g.dependents('leads', {depth = 1})) end)\n"
    "    q('reach.feeds', function() return ids(g.reach('a', {out = {'feeds'}})) end)\n"
    "    q('reach.depth', function() return ids(g.reach('a', {out = 'feeds', depth = 1})) end)\n"
    "    q('reach.count', function() return g.reach('a', {out = 'feeds', count = true}) end)\n"
    "    q('reach.into', function() return ids(g.reach('leads', {into = 'reads'})) end)\n"
    "    q('reach.kind', function() return ids(g.reach('leads', {into = {'reads'}, kind = 'model'})) end)\n"
    "    q('reach.both', function() return ids(g.reach('scorer', {out = 'owner', into = 'uses'})) end)\n"
    "    q('reach.missing', function() return g.reach('nope', {out = 'feeds', count = true}) end)\n"
    "  end }\n"};

static void test_graph_api_from_lua(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    st_buf src;
    st_buf_init(&src);
    for (size_t i = 0; i < sizeof GRAPH_POLICY / sizeof GRAPH_POLICY[0]; i++)
        st_buf_puts(&src, GRAPH_POLICY[i]);
    if (load_ok(&s, "graph.lua", src.data) == ST_OK) {
        T_EQ_INT(eval_set(&s, &REG, &OBS, &out), 0);
        static const char *const want[] = {
            "node=a/workflow",
            "node.view=true",
            "node.byview=a",
            "node.missing=nil",
            "nodes.workflows=a b c",
            "nodes.owner=alice team-ml",
            "nodes.models=scorer",
            "nodes.bogus=ERROR graph.lua:32: bad argument #1 to 'nodes' (unknown kind)",
            /* out-edges sorted by relation (owner uses reads writes feeds
             * depends_on), then by node */
            "out=alice scorer leads crm b",
            "out.feeds=b",
            "out.rw=leads crm",
            "out.missing=",
            "out.badrel=ERROR graph.lua:37: bad argument #2 to 'out' (unknown relation)",
            "into.leads=scorer a",
            "into.alice=a b",
            "into.b.feeds=a c",
            /* against uses/reads/depends_on, along feeds/writes, BFS */
            "dependents.leads=scorer a crm b c",
            "dependents.scorer=a crm b c",
            "dependents.crm=",
            "owner.a=alice",
            "owner.leads=team-ml",
            "owner.c=nil",
            "path.a.c=a b c",
            "path.a.team=a scorer team-ml",
            "path.c.a=nil",
            "path.a.leads=a leads",
            "path.a.team.reads=nil",
            "cycles=b c",
            "cycles.feeds=b c",
            "cycles.owner=",
            "view.uses=1 scorer 1.0",
            "view.task=xynil",
#if ST_LUAJIT /* LUAJIT: no math.type; every number is a double */
            "view.numbers=number 4200 0.25",
#else
            "view.numbers=integer 4200 0.25",
#endif
            "view.absent=nil nil",
            "view.pairs=id kind owner feeds",
            "view.tostring=workflow a",
            "obs.all=3:2026-01-01 2026-01-15 2026-02-01",
            "obs.metric=2:0.9 0.8",
            "obs.kind=1:high",
            "obs.since=1:0.8",
            "obs.before=1:0.9",
            "obs.usage=1:a",
            "obs.none=0:",
            "obs.nometric=0:",
            "now=true",
            "policy=p.graph medium Graph",
            "dependents.kind=a b c",
            "dependents.count=5",
            "dependents.depth=scorer a",
            "reach.feeds=b c",
            "reach.depth=b",
            "reach.count=2",
            "reach.into=scorer a",
            "reach.kind=scorer",
            "reach.both=team-ml a alice",
            "reach.missing=0",
        };
        expect_messages(&out, want, sizeof want / sizeof want[0], "graph API");
    }
    st_buf_free(&src);
    st_findings_free(&out);
    set_free(&s);
}

/* ---- views that outlive their binding ----------------------------------- */

/* Runs fn in a child process, so that a crash is a failed check rather than
 * the end of the suite. */
static void in_child(void (*fn)(void), const char *what)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        T_FAILF("fork failed");
        return;
    }
    if (pid == 0) {
        int before = t_failed_checks;
        fn();
        fflush(NULL);
        _exit(t_failed_checks == before ? 0 : 1);
    }
    int status = 0;
    struct timespec nap = {0, 10 * 1000 * 1000};
    for (int waited = 0;; waited++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        if (waited >= 1000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            T_FAILF("%s: hung (killed after 10 s)", what);
            return;
        }
        nanosleep(&nap, NULL);
    }
    if (WIFSIGNALED(status))
        T_FAILF("%s: the process died of signal %d", what, WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        T_FAILF("%s: failed (see above)", what);
}

/* A policy keeps a view in a global; the next evaluation binds another
 * registry (impact's before/after, a daemon's reload) or no observations.
 * Using the old view must be a runtime error for that subject, never a read
 * of the new registry at the old handle. */
static const char STALE_POLICY[] =
    "return { id = 'p.stale', severity = 'low', subjects = 'workflows',\n"
    "  check = function(w, ctx)\n"
    "    if not kept then\n"
    "      kept = { node = ctx.graph.node('c'), task = ctx.graph.node('a').task,\n"
    "               obs = ctx.observations('a')[1] }\n"
    "      return\n"
    "    end\n"
    "    ctx.fail(tostring(kept.node.id) .. ' ' .. tostring(kept.task.inputs)\n"
    "             .. ' ' .. tostring(kept.obs and kept.obs.metric))\n"
    "  end }\n";

static void stale_registry_case(void)
{
    st_policyset s;
    st_findings out;
    st_registry tiny;
    set_small(&s);
    st_findings_init(&out);
    if (build_registry(&tiny, TINY_REGISTRY) == 0 &&
        load_ok(&s, "stale.lua", STALE_POLICY) == ST_OK) {
        eval_set(&s, &REG, &OBS, &out);
        st_findings_free(&out);
        eval_set(&s, &tiny, &OBS, &out);
        if (out.n != 1 || out.v[0].error != ST_ERRK_RUNTIME) {
            T_FAILF("a view kept from another registry was not refused");
            dump_findings(&out);
        }
    }
    st_findings_free(&out);
    set_free(&s);
    st_registry_free(&tiny);
}

static void stale_observations_case(void)
{
    st_policyset s;
    st_findings out;
    set_small(&s);
    st_findings_init(&out);
    const char *src =
        "return { id = 'p.staleobs', severity = 'low',\n"
        "  subjects = function() return { 'a' } end,\n"
        "  check = function(w, ctx)\n"
        "    if not kept then kept = ctx.observations('a')[1] return end\n"
        "    ctx.fail(tostring(kept.metric))\n"
        "  end }\n";
    if (load_ok(&s, "staleobs.lua", src) == ST_OK) {
        eval_set(&s, &REG, &OBS, &out);
        st_findings_free(&out);
        eval_set(&s, &REG, NULL, &out);     /* no observations now */
        if (out.n != 1 || out.v[0].error != ST_ERRK_RUNTIME) {
            T_FAILF("an observation view kept past its binding was not refused");
            dump_findings(&out);
        }
    }
    st_findings_free(&out);
    set_free(&s);
}

/* Converting evidence is host work done inside one ctx.fail call: it must be
 * bounded, or charged to the policy's budget, also for keys it skips (table
 * keys have no JSON form) and for tables it visits many times. A policy
 * with a 1 s deadline must not hold the host for tens of seconds. */
static void evidence_work_case(void)
{
    st_policyset s;
    st_findings out;
    set_init(&s, 100000000ULL, 256 * MiB, 1);
    st_findings_init(&out);
    const char *src =
        "return { id = 'p.ev', severity = 'low',\n"
        "  subjects = function() return { 'a' } end,\n"
        "  check = function(w, ctx)\n"
        "    local big = {} for i = 1, 100000 do big[{}] = true end\n"
        "    local ev = {} for i = 1, 10000 do ev[i] = big end\n"
        "    ctx.fail('x', { evidence = ev })\n"
        "  end }\n";
    if (load_ok(&s, "ev.lua", src) == ST_OK) {
        eval_set(&s, &REG, NULL, &out);
        int ok = out.n == 1 &&
                 ((out.v[0].error == ST_ERRK_NONE && !strcmp(out.v[0].message, "x")) ||
                  out.v[0].error == ST_ERRK_INSTRUCTIONS ||
                  out.v[0].error == ST_ERRK_DEADLINE);
        if (!ok) {
            T_FAILF("unexpected findings");
            dump_findings(&out);
        }
    }
    st_findings_free(&out);
    set_free(&s);
}

static void test_evidence_conversion_is_bounded(void)
{
    in_child(evidence_work_case, "evidence of 10000 references to a table "
             "of 100000 table keys");
}

static void test_stale_views_are_refused(void)
{
    in_child(stale_registry_case, "view kept across registries");
    in_child(stale_observations_case, "observation view kept across bindings");
}

T_SUITE(T_CASE(test_validation_messages),
        T_CASE(test_validation_chunk_errors),
        T_CASE(test_validation_errors_name_the_file),
    T_CASE(test_load_time_kills_are_kept_as_failures),
        T_CASE(test_duplicate_id_names_both_files),
        T_CASE(test_loaded_fields),
        T_CASE(test_findings_fields_paths_evidence),
        T_CASE(test_relative_path_escapes_the_id),
        T_CASE(test_fail_argument_errors),
        T_CASE(test_subjects_function),
        T_CASE(test_runtime_error_is_one_finding_per_subject),
        T_CASE(test_kill_is_one_finding_and_state_is_rebuilt),
        T_CASE(test_memory_and_deadline_kills),
        T_CASE(test_policy_limits_apply_from_the_start),
        T_CASE(test_eval_counts_failed_policies),
        T_CASE(test_graph_is_read_only),
        T_CASE(test_fail_kept_past_its_run_is_refused),
        T_CASE(test_params),
        T_CASE(test_graph_api_from_lua),
        T_CASE(test_evidence_conversion_is_bounded),
        T_CASE(test_stale_views_are_refused))
