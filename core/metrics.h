/*
 * metrics.h - counters, gauges and histograms, written in the Prometheus
 * text exposition format (version 0.0.4) for `GET /metrics`.
 *
 * A family is declared once with its name (with the `steward_` prefix,
 * and for a counter the `_total` suffix the format expects), type and help; its series are keyed by a label string the caller builds
 * with st_metrics_labels ("suite=\"nightly\",outcome=\"completed\"", values
 * escaped as the format requires). Families and series print in the order
 * they were first seen, so the output is stable. Histograms have fixed
 * bucket bounds and print _bucket (cumulative, with +Inf), _sum and _count.
 *
 * Ownership: the registry owns every name, label string and series.
 * Threading: one thread (the daemon's loop) updates and renders.
 */
#ifndef ST_METRICS_H
#define ST_METRICS_H

#include <stddef.h>

#include "util.h"

typedef enum { ST_METRIC_COUNTER, ST_METRIC_GAUGE, ST_METRIC_HISTOGRAM }
  st_metric_type;

typedef struct st_metrics st_metrics;

st_metrics *st_metrics_new(void);
void st_metrics_free(st_metrics *m);

/* Declares a family; buckets (ascending upper bounds) only for histograms. */
void st_metrics_family(st_metrics *m, const char *name, st_metric_type type,
                       const char *help, const double *buckets,
                       size_t nbuckets);

/* Adds to a counter or gauge series (created at 0 when new). */
void st_metrics_add(st_metrics *m, const char *name, const char *labels,
                    double v);
/* Sets a gauge series. */
void st_metrics_set(st_metrics *m, const char *name, const char *labels,
                    double v);
/* Records one observation in a histogram series. */
void st_metrics_observe(st_metrics *m, const char *name, const char *labels,
                        double v);
/* Removes every series of a family (a gauge recomputed from scratch). */
void st_metrics_clear(st_metrics *m, const char *name);

/* Appends the exposition text of every family. */
void st_metrics_render(const st_metrics *m, st_buf *out);

/* Writes `k1="v1",k2="v2"` for the NULL-terminated key/value pairs into
 * out, escaping backslash, double quote and newline in values.
 * Example: st_metrics_labels(&b, "suite", name, "outcome", "ok", NULL). */
void st_metrics_labels(st_buf *out, ...);

#endif
