/*
 * test_pool.c - the worker pool (core/pool.c): jobs run on every worker,
 * each worker keeps one runner per session, and a check spread over the
 * workers gives a report byte-identical to one runner's, whatever their
 * number. Run from the repository root: it checks the example registry
 * with the built-in packs.
 */
#include "pool.h"
#include "t.h"

#include <pthread.h>
#include <stdlib.h>

#define NOW 1795651200.0            /* 2026-11-26T00:00:00Z */

static st_session *example(void)
{
    st_input obs = {"examples/observations.jsonl", NULL, 0, NULL};
    st_session_opts so = {
        .registry = {"examples/registry", NULL, 0, NULL},
        .home = ".", .builtin = 1, .observations = &obs, .nobservations = 1,
        .now = NOW,
    };
    st_session *s = NULL;
    char err[ST_ERRLEN] = "";
    if (st_session_open(&so, &s, err, sizeof err) != ST_OK)
        T_FAILF("the example does not open: %s", err);
    return s;
}

/* The JSON report of rep as text; caller frees. */
static char *report_text(const st_report *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    st_report_json(f, &rep->findings, &rep->summary);
    fclose(f);
    return buf;
}

static void test_parallel_check_is_byte_identical(void)
{
    st_session *s = example();
    if (!s) return;
    st_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.now = NOW;
    ro.fail_on = ST_SEV_HIGH;
    st_report one;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_session_check(s, &ro, &one, err, sizeof err), ST_OK);
    char *want = report_text(&one);
    T_EQ_INT(one.summary.findings, 78);     /* examples/EXPECTED.md */
    for (unsigned n = 1; n <= 3; n++) {
        st_pool *p = st_pool_new(n);
        for (int round = 0; round < 2; round++) {   /* states reused */
            st_report rep;
            T_EQ_INT(st_pool_check(p, s, &ro, &rep, err, sizeof err), ST_OK);
            char *got = report_text(&rep);
            if (strcmp(got, want))
                T_FAILF("%u workers, round %d: the report differs", n, round);
            T_EQ_INT(rep.summary.policies, one.summary.policies);
            free(got);
            st_report_free(&rep);
        }
        st_pool_free(p);
    }
    free(want);
    st_report_free(&one);
    st_session_close(s);
}

static void test_selection_and_errors_as_session_check(void)
{
    st_session *s = example();
    if (!s) return;
    st_pool *p = st_pool_new(2);
    st_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.now = NOW;
    ro.fail_on = ST_SEV_HIGH;
    const char *sel[] = {"governance.*"};
    ro.select = sel;
    ro.nselect = 1;
    st_report rep;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_pool_check(p, s, &ro, &rep, err, sizeof err), ST_OK);
    T_EQ_INT(rep.summary.policies, 7);      /* the governance pack */
    for (size_t i = 0; i < rep.findings.n; i++)
        if (strncmp(rep.findings.v[i].policy, "governance.", 11))
            T_FAILF("a finding of %s", rep.findings.v[i].policy);
    st_report_free(&rep);
    const char *bad[] = {"nope.*"};
    ro.select = bad;
    T_EQ_INT(st_pool_check(p, s, &ro, &rep, err, sizeof err), ST_EINPUT);
    T_EQ_STR(err, "no policy matches 'nope.*'");
    st_report_free(&rep);
    st_pool_free(p);
    st_session_close(s);
}

typedef struct {
    pthread_mutex_t lock;
    int seen[4];
    int total;
} tally;

static void count_job(st_pool_worker *w, void *arg)
{
    tally *t = arg;
    pthread_mutex_lock(&t->lock);
    t->seen[st_pool_worker_index(w)] = 1;
    t->total++;
    pthread_mutex_unlock(&t->lock);
}

static void test_jobs_all_run_before_free_returns(void)
{
    tally t;
    memset(&t, 0, sizeof t);
    pthread_mutex_init(&t.lock, NULL);
    st_pool *p = st_pool_new(3);
    T_EQ_INT(st_pool_size(p), 3);
    for (int i = 0; i < 300; i++) st_pool_submit(p, count_job, &t);
    st_pool_free(p);
    T_EQ_INT(t.total, 300);
    pthread_mutex_destroy(&t.lock);
    st_pool *q = st_pool_new(0);           /* one per core */
    T_CHECK(st_pool_size(q) >= 1);
    st_pool_free(q);
}

T_SUITE(T_CASE(test_parallel_check_is_byte_identical),
        T_CASE(test_selection_and_errors_as_session_check),
        T_CASE(test_jobs_all_run_before_free_returns))
