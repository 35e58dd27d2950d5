/* finding.c - see finding.h. */
#include "finding.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const sev_names[ST_SEV_COUNT] = {
  "info", "low", "medium", "high", "critical"};

const char *st_severity_name(int s) {
  return s >= 0 && s < ST_SEV_COUNT ? sev_names[s] : "?";
}

int st_severity_parse(const char *s) {
  for (int i = 0; i < ST_SEV_COUNT; i++)
    if (!strcmp(s, sev_names[i])) return i;
  return -1;
}

const char *st_enforcement_name(int e) {
  switch (e) {
  case ST_ENF_ADVISORY: return "advisory";
  case ST_ENF_HARD: return "hard-mandatory";
  default: return "soft-mandatory";
  }
}

int st_enforcement_parse(const char *s) {
  if (!strcmp(s, "advisory")) return ST_ENF_ADVISORY;
  if (!strcmp(s, "mandatory") || !strcmp(s, "soft-mandatory"))
    return ST_ENF_SOFT;
  if (!strcmp(s, "hard-mandatory")) return ST_ENF_HARD;
  return -1;
}

const char *st_errkind_name(int k) {
  static const char *const names[] = {NULL, "runtime", "instructions",
                                      "memory", "deadline"};
  return k > 0 && k <= ST_ERRK_DEADLINE ? names[k] : NULL;
}

void st_findings_init(st_findings *f) { memset(f, 0, sizeof *f); }

static void finding_free(st_finding *x) {
  free(x->policy);
  free(x->subject);
  free(x->message);
  free(x->path);
  free(x->waiver);
  free(x->key);
  cJSON_Delete(x->evidence);
}

void st_findings_free(st_findings *f) {
  for (size_t i = 0; i < f->n; i++) finding_free(&f->v[i]);
  free(f->v);
  st_findings_init(f);
}

st_finding *st_findings_add(st_findings *f, const char *policy,
                            const char *subject, int severity,
                            int enforcement, const char *message,
                            const char *path, cJSON *evidence) {
  st_grow((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v);
  st_finding *x = &f->v[f->n++];
  memset(x, 0, sizeof *x);
  x->policy = st_xstrdup(policy);
  x->subject = st_xstrdup(subject ? subject : "");
  x->message = st_xstrdup(message ? message : "");
  x->path = path ? st_xstrdup(path) : NULL;
  x->evidence = evidence;
  x->severity = (uint8_t)severity;
  x->enforcement = (uint8_t)enforcement;
  return x;
}

void st_findings_move(st_findings *dst, st_findings *src) {
  st_grow((void **)&dst->v, &dst->cap, dst->n + src->n, sizeof *dst->v);
  if (src->n) memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
  dst->n += src->n;
  free(src->v);
  st_findings_init(src);
}

static int finding_cmp(const void *a, const void *b) {
  const st_finding *x = a, *y = b;
  int c = strcmp(x->subject, y->subject);
  if (!c) c = strcmp(x->policy, y->policy);
  if (!c) c = strcmp(x->message, y->message);
  if (!c && x->path && y->path) c = strcmp(x->path, y->path);
  return c;
}

void st_findings_sort(st_findings *f) {
  if (f->n > 1) qsort(f->v, f->n, sizeof *f->v, finding_cmp);
}
