/*
 * test_attacks.c - the sandbox attack suite: runs every NAME.lua file under
 * tests/sandbox as one or more policies and checks the outcome its header
 * states.
 *
 * An attack file starts with a block of `--` comment lines. In it:
 *
 *   -- expect: OUTCOME     what both evaluations must end in (required)
 *   -- then: OUTCOME       what the second evaluation must end in, when it
 *                          differs from the first (state kept across runs)
 *   -- time: SECONDS       the wall-time bound, for an attack that raises its
 *                          own limits (default: 2 s, at default limits)
 *   -- requires: VM        lua5.4 or luajit: the attack uses what only that
 *                          VM has (<close>, string.pack, the 5.4 library
 *                          lists); on the other VM it is skipped and not
 *                          counted
 *
 * OUTCOME is one of
 *
 *   ok                     every attack policy loads, runs on every subject
 *                          and reports nothing (isolation checks call
 *                          ctx.fail when they see a breach)
 *   instructions | memory | deadline ["S" ...]
 *                          one finding from the attack, an error of that
 *                          kind naming the limit ("... exceeded ..."), with
 *                          the limit and how far it got (subjects_done) in
 *                          its evidence; the policy counts as
 *                          failed (steward exits 3). With strings, findings
 *                          the policy reported before the kill are allowed
 *                          when they contain each S; the kill comes last
 *   runtime "S" ...        every finding of the attack is a runtime error
 *                          and the first contains each string S
 *   finding "S" ...        the attack reports findings (no errors), one of
 *                          which contains each S
 *   load-error "S" ...     loading the policy fails with a message
 *                          containing each S (a bad policy, not a runaway)
 *
 * A line starting with `--8<--` splits the file into several policies
 * (pairs for isolation checks), loaded into one set in file order.
 *
 * A runaway while a policy loads must end the same way as one in check:
 * as a kill finding in the evaluation, with the witness still reporting;
 * a load that fails with the kill's message does not match.
 *
 * Each attack runs in a child process, so that a hang (still running after
 * 20 s) or a crash fails that case only: the policies are loaded with the default run limits
 * (st_policyset_init with NULL limits), then a witness policy that reports
 * one finding per workflow, and the whole set is evaluated twice against
 * a small registry. Every evaluation must also
 *   - give the witness all its findings (a runaway stops only itself);
 *   - leave no policy with a dead sandbox (after a kill the state is
 *     rebuilt, so nothing of it survives into the next evaluation);
 *   - give evidence that prints as JSON of at most 16 MiB (a bound of this
 *     suite: the issue sets none, but a report must stay printable);
 *   - finish under the time bound (the first evaluation counted with the
 *     loading): 2 s at default limits, as issue 5 demands (the second
 *     evaluation is skipped when the first took over twice the bound);
 * and the child's peak RSS may grow by at most 512 MiB over the attack
 * (getrusage ru_maxrss). These are hard bounds, not benchmarks. Outside
 * AddressSanitizer builds the child's address space is capped at 8 GiB, so
 * that an attack the host does not contain fails here instead of pushing
 * the machine out of memory.
 *
 * Each attack is one case of the RESULT line. An argument runs only the
 * attacks whose name contains it; ST_ATTACK_DIR overrides tests/sandbox.
 */
#include "policy.h"
#include "runner.h"
#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define NOW 1795651200.0            /* 2026-11-26T00:00:00Z */
#define DEFAULT_BOUND 2.0           /* seconds per evaluation */
#define RSS_BOUND_KIB (512L * 1024) /* peak RSS growth per attack */
#define EVIDENCE_BOUND ((size_t)16 << 20) /* this suite's own bound */
#define HARD_TIMEOUT 20.0           /* a child still running is hung */
#define MAX_STRINGS 4
#define MAX_PARTS 4
#define WITNESS_ID "zz.witness"

/* ' stands for " so the JSON stays readable in C. */
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
#define NWORKFLOWS 3

static const char *const OBSERVATIONS[] = {
    "{'at':'2026-01-01','subject':'a','metric':'adherence','value':0.9}",
    "{'at':'2026-02-01','subject':'a','metric':'adherence','value':0.8}",
    "{'at':'2026-01-15','kind':'incident','subject':'a','severity':'high'}",
};

static const char WITNESS[] =
    "return { id = '" WITNESS_ID "', severity = 'info', subjects = 'workflows',"
    " check = function(node, ctx) ctx.fail('witness ' .. node.id) end }";

static st_registry REG;
static st_obsset OBS;

/* ---- fixtures ---------------------------------------------------------- */

static char *dq(const char *text)
{
    char *s = st_xstrdup(text);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

static int build_fixtures(char *err, size_t errlen)
{
    char *text = dq(REGISTRY);
    cJSON *root = cJSON_Parse(text);
    int rc = -1;
    st_registry_init(&REG);
    st_obs_init(&OBS);
    if (!root)
        snprintf(err, errlen, "the registry fixture does not parse");
    else if (st_registry_add(&REG, root, "reg.json", text, err, errlen) == ST_OK
             && st_registry_finish(&REG, NULL, err, errlen) == ST_OK)
        rc = 0;
    cJSON_Delete(root);
    free(text);
    for (size_t i = 0; rc == 0 && i < sizeof OBSERVATIONS / sizeof *OBSERVATIONS;
         i++) {
        char *line = dq(OBSERVATIONS[i]);
        if (st_obs_add_line(&OBS, line, strlen(line), "obs.jsonl", (int)i + 1,
                            err, errlen) != ST_OK)
            rc = -1;
        free(line);
    }
    if (rc == 0)
        st_obs_index(&OBS);
    return rc;
}

/* ---- the header -------------------------------------------------------- */

enum { OUT_OK, OUT_KILL, OUT_RUNTIME, OUT_FINDING, OUT_LOAD_ERROR };

typedef struct {
    int type;
    int kind;                       /* st_errkind for OUT_KILL */
    int nstr;
    char str[MAX_STRINGS][256];
} outcome_spec;

typedef struct {
    outcome_spec expect[2];         /* first and second evaluation */
    double bound;
    int has_expect;
    char requires[32];              /* "" or the VM the attack needs */
} attack_spec;

#if LUA_VERSION_NUM >= 504
#define THIS_VM "lua5.4"
#else
#define THIS_VM "luajit"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static const char *kill_names[] = {NULL, NULL, "instructions", "memory",
                                   "deadline"};
#define RUNAWAY 100      /* outcome kind: instructions or deadline */

static int kind_matches(int want, int got)
{
    if (want == RUNAWAY)
        return got == ST_ERRK_INSTRUCTIONS || got == ST_ERRK_DEADLINE;
    return want == got;
}

/* Parses an OUTCOME; returns 0 or -1 with err. */
static int parse_outcome(const char *s, outcome_spec *o, char *err,
                         size_t errlen)
{
    memset(o, 0, sizeof *o);
    while (*s == ' ')
        s++;
    size_t w = strcspn(s, " \r\n");
    char word[32];
    snprintf(word, sizeof word, "%.*s", (int)(w < 31 ? w : 31), s);
    s += w;
    if (!strcmp(word, "ok"))
        o->type = OUT_OK;
    else if (!strcmp(word, "runtime"))
        o->type = OUT_RUNTIME;
    else if (!strcmp(word, "finding"))
        o->type = OUT_FINDING;
    else if (!strcmp(word, "load-error"))
        o->type = OUT_LOAD_ERROR;
    else if (!strcmp(word, "runaway")) {
        /* Stopped by the budget or the deadline, whichever the machine's
         * speed makes come first (a sanitizer build is slower). */
        o->type = OUT_KILL;
        o->kind = RUNAWAY;
    } else {
        o->type = OUT_KILL;
        for (int k = ST_ERRK_INSTRUCTIONS; k <= ST_ERRK_DEADLINE; k++)
            if (!strcmp(word, kill_names[k]))
                o->kind = k;
        if (!o->kind) {
            snprintf(err, errlen, "unknown outcome '%s'", word);
            return -1;
        }
    }
    for (;;) {
        while (*s == ' ')
            s++;
        if (*s != '"')
            break;
        if (o->nstr == MAX_STRINGS) {
            snprintf(err, errlen, "too many strings");
            return -1;
        }
        char *d = o->str[o->nstr++];
        size_t n = 0;
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\' && s[1])
                s++;
            if (n < 255)
                d[n++] = *s;
        }
        d[n] = 0;
        if (*s != '"') {
            snprintf(err, errlen, "unterminated string");
            return -1;
        }
        s++;
    }
    /* A parenthesised remark may follow: "ok   (what that means here)". */
    if (*s && *s != '(' && *s != '\r' && *s != '\n') {
        snprintf(err, errlen, "trailing text in outcome: '%s'", s);
        return -1;
    }
    if ((o->type == OUT_RUNTIME || o->type == OUT_FINDING ||
         o->type == OUT_LOAD_ERROR) && o->nstr == 0) {
        snprintf(err, errlen, "'%s' needs at least one \"string\"", word);
        return -1;
    }
    return 0;
}

static int parse_header(const char *text, attack_spec *a, char *err,
                        size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->bound = DEFAULT_BOUND;
    int has_then = 0;
    for (const char *line = text; line && !strncmp(line, "--", 2);) {
        const char *end = strchr(line, '\n');
        char buf[1024];
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n > sizeof buf - 1)
            n = sizeof buf - 1;
        memcpy(buf, line, n);
        buf[n] = 0;
        if (!strncmp(buf, "-- expect:", 10)) {
            if (parse_outcome(buf + 10, &a->expect[0], err, errlen))
                return -1;
            a->has_expect = 1;
        } else if (!strncmp(buf, "-- then:", 8)) {
            if (parse_outcome(buf + 8, &a->expect[1], err, errlen))
                return -1;
            has_then = 1;
        } else if (!strncmp(buf, "-- requires:", 12)) {
            if (sscanf(buf + 12, " %31s", a->requires) != 1 ||
                (strcmp(a->requires, "lua5.4") && strcmp(a->requires, "luajit"))) {
                snprintf(err, errlen, "bad requires: %.100s", buf + 12);
                return -1;
            }
        } else if (!strncmp(buf, "-- time:", 8)) {
            a->bound = strtod(buf + 8, NULL);
            if (!(a->bound > 0)) {
                snprintf(err, errlen, "bad time: %.100s", buf + 8);
                return -1;
            }
        }
        line = end ? end + 1 : NULL;
    }
    if (!a->has_expect) {
        snprintf(err, errlen, "no '-- expect:' line in the header");
        return -1;
    }
    if (!has_then)
        a->expect[1] = a->expect[0];
    return 0;
}

/* ---- running one attack (in the child) --------------------------------- */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long maxrss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

typedef struct {
    double t_load, t_eval[2];
    long rss_kib;
    int evals;
    char got[2][600];               /* what each evaluation ended in */
} attack_report;

static int contains_all(const char *hay, const outcome_spec *o)
{
    for (int i = 0; i < o->nstr; i++)
        if (!hay || !strstr(hay, o->str[i]))
            return 0;
    return 1;
}

static void describe_spec(const outcome_spec *o, char *buf, size_t len)
{
    static const char *names[] = {"ok", "", "runtime", "finding", "load-error"};
    size_t n = (size_t)snprintf(buf, len, "%s",
                                o->type == OUT_KILL ? (o->kind == RUNAWAY ? "runaway" : kill_names[o->kind])
                                                    : names[o->type]);
    for (int i = 0; i < o->nstr && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, " \"%s\"", o->str[i]);
}

/* Checks one evaluation's findings against o. Failures are reported with
 * T_FAILF (the case name is the attack). */
static void check_eval(int ev, const outcome_spec *o,
                       st_policyset *set, const st_runner *runner,
                       size_t failed,
                       const st_findings *f, double elapsed, double bound,
                       attack_report *rep)
{
    size_t nattack = 0, nerr = 0, nwitness = 0, nkind = 0, nother = 0;
    const st_finding *first = NULL, *first_err = NULL, *last = NULL;
    for (size_t i = 0; i < f->n; i++) {
        const st_finding *x = &f->v[i];
        if (!strcmp(x->policy, WITNESS_ID)) {
            if (!x->error && !strncmp(x->message, "witness ", 8))
                nwitness++;
            else
                T_FAILF("eval %d: the witness reported \"%s\" (error %d)", ev,
                        x->message, x->error);
            continue;
        }
        nattack++;
        if (!first)
            first = x;
        last = x;
        if (!x->error && contains_all(x->message, o))
            nother++;
        if (x->error) {
            nerr++;
            if (!first_err)
                first_err = x;
            if (o->type == OUT_KILL && kind_matches(o->kind, x->error))
                nkind++;
        }
        if (x->evidence) {
            char *js = cJSON_PrintUnformatted(x->evidence);
            if (!js)
                T_FAILF("eval %d: evidence of \"%s\" does not print", ev,
                        x->message);
            else if (strlen(js) > EVIDENCE_BOUND)
                T_FAILF("eval %d: evidence of %zu bytes (bound %zu)", ev,
                        strlen(js), EVIDENCE_BOUND);
            free(js);
        }
    }
    /* What happened, in the outcome language. */
    char *got = rep->got[ev - 1];
    const st_finding *shown = first_err ? first_err : first;
    if (!nattack)
        snprintf(got, sizeof rep->got[0], "ok");
    else if (shown->error)
        snprintf(got, sizeof rep->got[0], "%s \"%.500s\" (%zu findings)",
                 shown->error == ST_ERRK_RUNTIME ? "runtime"
                                                 : st_errkind_name(shown->error),
                 shown->message, nattack);
    else
        snprintf(got, sizeof rep->got[0], "finding \"%.500s\" (%zu findings)",
                 shown->message, nattack);

    char want[1200];
    describe_spec(o, want, sizeof want);
    int match = 0;
    switch (o->type) {
    case OUT_OK:
        match = nattack == 0 && failed == 0;
        break;
    case OUT_KILL:
        /* Exactly one error, the kill, last; before it nothing, or (with
         * strings) only findings that contain them. */
        match = nkind == 1 && nerr == 1 && kind_matches(o->kind, last->error) &&
                failed == 1 && strstr(last->message, " exceeded") &&
                (o->nstr ? nother == nattack - 1 : nattack == 1);
        if (match) {
            const cJSON *lim = cJSON_GetObjectItemCaseSensitive(
                last->evidence, "limit");
            if (!cJSON_IsString(lim) ||
                strcmp(lim->valuestring, kill_names[last->error]) != 0 ||
                !cJSON_GetObjectItemCaseSensitive(last->evidence,
                                                  "subjects_done")) {
                T_FAILF("eval %d: the kill's evidence does not name the limit "
                        "and the progress", ev);
            }
        }
        break;
    case OUT_RUNTIME:
        match = nattack > 0 && nerr == nattack && failed >= 1 &&
                first->error == ST_ERRK_RUNTIME && contains_all(first->message, o);
        for (size_t i = 0; match && i < f->n; i++)
            if (strcmp(f->v[i].policy, WITNESS_ID) &&
                f->v[i].error != ST_ERRK_RUNTIME)
                match = 0;
        break;
    case OUT_FINDING:
        match = nattack > 0 && nerr == 0 && failed == 0;
        if (match) {
            match = 0;
            for (size_t i = 0; i < f->n; i++)
                if (strcmp(f->v[i].policy, WITNESS_ID) &&
                    contains_all(f->v[i].message, o))
                    match = 1;
        }
        break;
    case OUT_LOAD_ERROR:
        match = 0;                  /* the policy loaded (not reached) */
        break;
    }
    if (!match)
        T_FAILF("eval %d:\n    got  %s (policies failed: %zu)\n    want %s", ev,
                got, failed, want);
    if (nwitness != NWORKFLOWS)
        T_FAILF("eval %d: the witness reported %zu of %d findings: a runaway "
                "stopped another policy", ev, nwitness, NWORKFLOWS);
    for (size_t i = 0; i < set->n; i++) {
        /* A policy killed while it loaded keeps no state at all; every
         * other one is left with a live state. */
        int live = runner->sb[i] && !st_sandbox_dead(runner->sb[i]);
        if (set->v[i].load_kill ? runner->sb[i] != NULL : !live)
            T_FAILF("eval %d: policy '%s' was left without a live state", ev,
                    set->v[i].id);
    }
    if (!(elapsed < bound))
        T_FAILF("eval %d took %.3f s (bound %.1f s)", ev, elapsed, bound);
}

/* Splits text at lines starting with "--8<--" (the marker line belongs to
 * no part); the parts point into text. Returns the number of parts. */
static int split_parts(char *text, char **parts, size_t *lens)
{
    int n = 0;
    parts[n] = text;
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        if (!strncmp(p, "--8<--", 6) && n + 1 < MAX_PARTS) {
            lens[n] = (size_t)(p - parts[n]);
            parts[++n] = nl ? nl + 1 : p + strlen(p);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    lens[n] = strlen(parts[n]);
    return n + 1;
}

static void run_attack(const char *name, char *text, attack_report *rep)
{
    char err[ST_ERRLEN] = "";
    attack_spec spec;
    memset(rep, 0, sizeof *rep);
    if (parse_header(text, &spec, err, sizeof err)) {
        T_FAILF("bad header: %s", err);
        return;
    }
    char *parts[MAX_PARTS];
    size_t lens[MAX_PARTS];
    int nparts = split_parts(text, parts, lens);

    long rss0 = maxrss_kib();
    double t0 = mono();
    st_policyset set;
    st_policyset_init(&set, "stdlib", NOW, NULL);
    int load_failed = 0;
    for (int i = 0; i < nparts && !load_failed; i++) {
        char pname[1100];
        if (nparts == 1)
            snprintf(pname, sizeof pname, "%s", name);
        else
            snprintf(pname, sizeof pname, "%s#%d", name, i + 1);
        if (st_policyset_load_text(&set, pname, parts[i], lens[i], err,
                                   sizeof err) != ST_OK)
            load_failed = 1;
    }
    rep->t_load = mono() - t0;
    const outcome_spec *o = &spec.expect[0];
    if (load_failed) {
        snprintf(rep->got[0], sizeof rep->got[0], "load-error \"%.500s\"", err);
        char want[1200];
        describe_spec(o, want, sizeof want);
        if (o->type != OUT_LOAD_ERROR || !contains_all(err, o))
            T_FAILF("load:\n    got  %s\n    want %s", rep->got[0], want);
        if (!(rep->t_load < spec.bound))
            T_FAILF("loading took %.3f s (bound %.1f s)", rep->t_load,
                    spec.bound);
    } else if (o->type == OUT_LOAD_ERROR) {
        char want[1200];
        describe_spec(o, want, sizeof want);
        T_FAILF("load:\n    got  the policy loaded\n    want %s", want);
    } else if (st_policyset_load_text(&set, "witness.lua", WITNESS,
                                      strlen(WITNESS), err, sizeof err)
               != ST_OK) {
        T_FAILF("the witness does not load: %s", err);
    } else {
        st_runner runner;
        st_runner_init(&runner, &set);
        st_run_input in = {&REG, &OBS, NOW, 0, NULL};
        for (int ev = 1; ev <= 2; ev++) {
            st_findings f;
            st_findings_init(&f);
            double t1 = mono();
            size_t failed = st_runner_eval_all(&runner, &in, &f);
            double dt = mono() - t1 + (ev == 1 ? rep->t_load : 0);
            rep->t_eval[ev - 1] = dt;
            rep->evals = ev;
            check_eval(ev, &spec.expect[ev - 1], &set, &runner, failed, &f,
                       dt, spec.bound, rep);
            st_findings_free(&f);
            if (dt > 2 * spec.bound) {
                /* Already failed on time: spare the suite another round. */
                T_FAILF("eval 2 skipped: eval 1 was far over the bound");
                break;
            }
        }
        st_runner_free(&runner);
    }
    st_policyset_free(&set);
    rep->rss_kib = maxrss_kib() - rss0;
    if (rep->rss_kib > RSS_BOUND_KIB)
        T_FAILF("peak RSS grew by %.1f MiB (bound %ld MiB)",
                (double)rep->rss_kib / 1024, RSS_BOUND_KIB / 1024);
}

/* ---- the parent: one child per attack ---------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the attack in a child; returns 1 when it passed, 0 when it failed,
 * -1 when it was skipped (it needs the other VM). */
static int attack_case(const char *dir, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char err[ST_ERRLEN];
    size_t len;
    char *text = st_read_file(path, &len, err, sizeof err);
    if (!text) {
        T_FAILF("%s", err);
        return 0;
    }
    attack_spec spec;
    if (parse_header(text, &spec, err, sizeof err) == 0 && spec.requires[0] &&
        strcmp(spec.requires, THIS_VM) != 0) {
        printf("skip %-44s (requires %s)\n", file, spec.requires);
        free(text);
        return -1;
    }
    int fd[2];
    if (pipe(fd) != 0) {
        T_FAILF("pipe: %s", strerror(errno));
        free(text);
        return 0;
    }
    int before = t_failed_checks;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        T_FAILF("fork failed");
        free(text);
        return 0;
    }
    if (pid == 0) {
        close(fd[0]);
#ifndef UNDER_ASAN
        struct rlimit rl = {(rlim_t)8 << 30, (rlim_t)8 << 30};
        setrlimit(RLIMIT_AS, &rl);
#endif
        attack_report rep;
        int b = t_failed_checks;
        run_attack(path, text, &rep);
        fflush(NULL);
        ssize_t w = write(fd[1], &rep, sizeof rep);
        (void)w;
        _exit(t_failed_checks == b ? 0 : 1);
    }
    close(fd[1]);
    free(text);
    double start = mono();
    int status = 0, hung = 0;
    struct timespec nap = {0, 5 * 1000 * 1000};
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (mono() - start > HARD_TIMEOUT) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            hung = 1;
            break;
        }
        nanosleep(&nap, NULL);
    }
    attack_report rep;
    memset(&rep, 0, sizeof rep);
    ssize_t got = read(fd[0], &rep, sizeof rep);
    close(fd[0]);
    if (hung)
        T_FAILF("HUNG: still running after %.0f s (killed)", HARD_TIMEOUT);
    else if (WIFSIGNALED(status))
        T_FAILF("the child died of signal %d (%s)", WTERMSIG(status),
                strsignal(WTERMSIG(status)));
    else if (got != (ssize_t)sizeof rep)
        T_FAILF("the child exited %d without a report (a crash caught by a "
                "sanitizer? see its output above)", WEXITSTATUS(status));
    else if (WEXITSTATUS(status) != 0 && t_failed_checks == before)
        t_failed_checks++;          /* its FAIL lines came from the child */
    int pass = t_failed_checks == before;
    if (got == (ssize_t)sizeof rep)
        printf("%-4s %-44s load %6.3f s  eval %6.3f / %6.3f s  rss +%7.1f MiB"
               "  %s\n", pass ? "ok" : "FAIL", file, rep.t_load,
               rep.t_eval[0], rep.t_eval[1], (double)rep.rss_kib / 1024,
               rep.got[0]);
    else
        printf("%-4s %s\n", pass ? "ok" : "FAIL", file);
    fflush(stdout);
    return pass;
}

int main(int argc, char **argv)
{
    const char *dir = getenv("ST_ATTACK_DIR");
    if (!dir)
        dir = "tests/sandbox";
    char err[ST_ERRLEN] = "";
    t_current = "fixtures";
    if (build_fixtures(err, sizeof err)) {
        T_FAILF("%s", err);
        printf("RESULT passed=0 failed=1\n");
        return 1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        T_FAILF("%s: %s", dir, strerror(errno));
        printf("RESULT passed=0 failed=1\n");
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!st_ends_with(e->d_name, ".lua"))
            continue;
        st_grow((void **)&names, &cap, n + 1, sizeof *names);
        names[n++] = st_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    int passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (argc > 1 && !strstr(names[i], argv[1])) {
            free(names[i]);
            continue;
        }
        t_current = names[i];
        int r = attack_case(dir, names[i]);
        if (r > 0)
            passed++;
        else if (r == 0)
            failed++;
        free(names[i]);
    }
    free(names);
    if (n == 0) {
        T_FAILF("no attacks in %s", dir);
        failed++;
    }
    st_obs_free(&OBS);
    st_registry_free(&REG);
    printf("RESULT passed=%d failed=%d\n", passed, failed);
    return failed ? 1 : 0;
}
