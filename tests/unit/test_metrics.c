/*
 * test_metrics.c - the Prometheus text exposition (core/metrics.c): exact
 * output for counters, gauges and histograms, label escaping and order.
 */
#include "metrics.h"
#include "t.h"

#include <stdlib.h>

static void test_exposition_text(void)
{
    st_metrics *m = st_metrics_new();
    static const double b[] = {0.1, 1};
    st_metrics_family(m, "steward_runs_total", ST_METRIC_COUNTER,
                      "Runs by suite and outcome.", NULL, 0);
    st_metrics_family(m, "steward_up", ST_METRIC_GAUGE, "Up.", NULL, 0);
    st_metrics_family(m, "steward_eval_seconds", ST_METRIC_HISTOGRAM,
                      "Evaluation time.", b, 2);
    st_buf l;
    st_buf_init(&l);
    st_metrics_labels(&l, "suite", "a\"b\\c\nd", "outcome", "ok", NULL);
    st_metrics_add(m, "steward_runs_total", l.data, 1);
    st_metrics_add(m, "steward_runs_total", l.data, 2);
    st_metrics_add(m, "steward_runs_total", "suite=\"z\"", 1);
    st_metrics_set(m, "steward_up", NULL, 1);
    st_metrics_observe(m, "steward_eval_seconds", NULL, 0.05);
    st_metrics_observe(m, "steward_eval_seconds", NULL, 0.5);
    st_metrics_observe(m, "steward_eval_seconds", NULL, 7);
    st_metrics_add(m, "steward_undeclared", NULL, 1);   /* ignored */
    st_buf out;
    st_buf_init(&out);
    st_metrics_render(m, &out);
    T_EQ_STR(out.data,
        "# HELP steward_runs_total Runs by suite and outcome.\n"
        "# TYPE steward_runs_total counter\n"
        "steward_runs_total{suite=\"a\\\"b\\\\c\\nd\",outcome=\"ok\"} 3\n"
        "steward_runs_total{suite=\"z\"} 1\n"
        "# HELP steward_up Up.\n"
        "# TYPE steward_up gauge\n"
        "steward_up 1\n"
        "# HELP steward_eval_seconds Evaluation time.\n"
        "# TYPE steward_eval_seconds histogram\n"
        "steward_eval_seconds_bucket{le=\"0.1\"} 1\n"
        "steward_eval_seconds_bucket{le=\"1\"} 2\n"
        "steward_eval_seconds_bucket{le=\"+Inf\"} 3\n"
        "steward_eval_seconds_sum 7.55\n"
        "steward_eval_seconds_count 3\n");
    st_metrics_clear(m, "steward_runs_total");
    st_buf_free(&out);
    st_buf_init(&out);
    st_metrics_render(m, &out);
    T_CHECK(strstr(out.data, "steward_runs_total{") == NULL);
    st_buf_free(&out);
    st_buf_free(&l);
    st_metrics_free(m);
}

T_SUITE(T_CASE(test_exposition_text))
