/* metrics.c - see metrics.h. */
#include "metrics.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *labels;
  double value;              /* counter/gauge value; histogram sum */
  double count;              /* histogram observations */
  double *buckets;           /* per bucket (not cumulative) */
} series;

typedef struct {
  char *name, *help;
  st_metric_type type;
  double *bounds;
  size_t nbounds;
  series *v;
  size_t n, cap;
} family;

struct st_metrics {
  family *v;
  size_t n, cap;
};

st_metrics *st_metrics_new(void) { return st_xcalloc(1, sizeof(st_metrics)); }

static void series_free(series *s) {
  free(s->labels);
  free(s->buckets);
}

void st_metrics_free(st_metrics *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n; i++) {
    family *f = &m->v[i];
    for (size_t k = 0; k < f->n; k++) series_free(&f->v[k]);
    free(f->v);
    free(f->name);
    free(f->help);
    free(f->bounds);
  }
  free(m->v);
  free(m);
}

void st_metrics_family(st_metrics *m, const char *name, st_metric_type type,
                       const char *help, const double *buckets,
                       size_t nbuckets) {
  st_grow((void **)&m->v, &m->cap, m->n + 1, sizeof *m->v);
  family *f = &m->v[m->n++];
  memset(f, 0, sizeof *f);
  f->name = st_xstrdup(name);
  f->help = st_xstrdup(help);
  f->type = type;
  if (type == ST_METRIC_HISTOGRAM && nbuckets) {
    f->bounds = st_xmalloc(nbuckets * sizeof *f->bounds);
    memcpy(f->bounds, buckets, nbuckets * sizeof *f->bounds);
    f->nbounds = nbuckets;
  }
}

static family *find_family(const st_metrics *m, const char *name) {
  for (size_t i = 0; i < m->n; i++)
    if (!strcmp(m->v[i].name, name)) return &m->v[i];
  return NULL;
}

/* The series of f with these labels, created when new; NULL when the
 * family was never declared (a programming error, ignored). */
static series *get_series(st_metrics *m, const char *name,
                          const char *labels) {
  family *f = find_family(m, name);
  if (!f) return NULL;
  const char *l = labels ? labels : "";
  for (size_t k = 0; k < f->n; k++)
    if (!strcmp(f->v[k].labels, l)) return &f->v[k];
  st_grow((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v);
  series *s = &f->v[f->n++];
  memset(s, 0, sizeof *s);
  s->labels = st_xstrdup(l);
  if (f->nbounds) s->buckets = st_xcalloc(f->nbounds, sizeof *s->buckets);
  return s;
}

void st_metrics_add(st_metrics *m, const char *name, const char *labels,
                    double v) {
  series *s = get_series(m, name, labels);
  if (s) s->value += v;
}

void st_metrics_set(st_metrics *m, const char *name, const char *labels,
                    double v) {
  series *s = get_series(m, name, labels);
  if (s) s->value = v;
}

void st_metrics_observe(st_metrics *m, const char *name, const char *labels,
                        double v) {
  series *s = get_series(m, name, labels);
  family *f = find_family(m, name);
  if (!s) return;
  s->value += v;
  s->count += 1;
  for (size_t i = 0; i < f->nbounds; i++)
    if (v <= f->bounds[i]) {
      s->buckets[i] += 1;
      break;
    }
}

void st_metrics_clear(st_metrics *m, const char *name) {
  family *f = find_family(m, name);
  if (!f) return;
  for (size_t k = 0; k < f->n; k++) series_free(&f->v[k]);
  f->n = 0;
}

/* {=== Rendering ======================================================== */

/* A number as the format writes it: integers without a fraction, the rest
 * with enough digits to read back exactly. */
static void put_number(st_buf *b, double v) {
  if (isinf(v)) st_buf_puts(b, v > 0 ? "+Inf" : "-Inf");
  else if (isnan(v)) st_buf_puts(b, "NaN");
  else if (v == floor(v) && fabs(v) < 1e15) st_buf_printf(b, "%.0f", v);
  else {
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {   /* shortest exact */
      snprintf(text, sizeof text, "%.*g", digits, v);
      if (strtod(text, NULL) == v) break;
    }
    st_buf_puts(b, text);
  }
}

/* name{labels[,extra]} value */
static void put_sample(st_buf *b, const char *name, const char *suffix,
                       const char *labels, const char *extra, double v) {
  st_buf_printf(b, "%s%s", name, suffix);
  int has = labels && *labels;
  if (has || extra) {
    st_buf_putc(b, '{');
    if (has) st_buf_puts(b, labels);
    if (extra) st_buf_printf(b, "%s%s", has ? "," : "", extra);
    st_buf_putc(b, '}');
  }
  st_buf_putc(b, ' ');
  put_number(b, v);
  st_buf_putc(b, '\n');
}

static void render_histogram(st_buf *b, const family *f, const series *s) {
  double cumulative = 0;
  char le[64];
  for (size_t i = 0; i < f->nbounds; i++) {
    cumulative += s->buckets[i];
    st_buf tmp;
    st_buf_init(&tmp);
    put_number(&tmp, f->bounds[i]);
    snprintf(le, sizeof le, "le=\"%s\"", tmp.data);
    st_buf_free(&tmp);
    put_sample(b, f->name, "_bucket", s->labels, le, cumulative);
  }
  put_sample(b, f->name, "_bucket", s->labels, "le=\"+Inf\"", s->count);
  put_sample(b, f->name, "_sum", s->labels, NULL, s->value);
  put_sample(b, f->name, "_count", s->labels, NULL, s->count);
}

void st_metrics_render(const st_metrics *m, st_buf *out) {
  static const char *const types[] = {"counter", "gauge", "histogram"};
  for (size_t i = 0; i < m->n; i++) {
    const family *f = &m->v[i];
    st_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help,
                  f->name, types[f->type]);
    for (size_t k = 0; k < f->n; k++) {
      if (f->type == ST_METRIC_HISTOGRAM) render_histogram(out, f, &f->v[k]);
      else put_sample(out, f->name, "", f->v[k].labels, NULL, f->v[k].value);
    }
  }
}

/* }=== */

void st_metrics_labels(st_buf *out, ...) {
  va_list ap;
  va_start(ap, out);
  int first = 1;
  for (const char *k; (k = va_arg(ap, const char *));) {
    const char *v = va_arg(ap, const char *);
    st_buf_printf(out, "%s%s=\"", first ? "" : ",", k);
    for (const char *p = v ? v : ""; *p; p++) {
      if (*p == '\\') st_buf_puts(out, "\\\\");
      else if (*p == '"') st_buf_puts(out, "\\\"");
      else if (*p == '\n') st_buf_puts(out, "\\n");
      else st_buf_putc(out, *p);
    }
    st_buf_putc(out, '"');
    first = 0;
  }
  va_end(ap);
}
