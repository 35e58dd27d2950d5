/* finding.c - see finding.h. */
#include "finding.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

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

static const char *const layer_names[ST_LAYER_COUNT] = {
  NULL, "technical", "process", "governance"};

const char *st_layer_name(int l) {
  return l > 0 && l < ST_LAYER_COUNT ? layer_names[l] : NULL;
}

int st_layer_parse(const char *s) {
  for (int i = 1; i < ST_LAYER_COUNT; i++)
    if (!strcmp(s, layer_names[i])) return i;
  return -1;
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

void st_findings_copy(st_findings *dst, const st_findings *src) {
  for (size_t i = 0; i < src->n; i++) {
    const st_finding *x = &src->v[i];
    st_finding *y = st_findings_add(dst, x->policy, x->subject, x->severity,
                                    x->enforcement, x->message, x->path,
                                    x->evidence ?
                                    cJSON_Duplicate(x->evidence, 1) : NULL);
    y->error = x->error;
    y->layer = x->layer;
    y->waiver = x->waiver ? st_xstrdup(x->waiver) : NULL;
    y->key = x->key ? st_xstrdup(x->key) : NULL;
  }
}

void st_findings_move(st_findings *dst, st_findings *src) {
  st_grow((void **)&dst->v, &dst->cap, dst->n + src->n, sizeof *dst->v);
  if (src->n) memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
  dst->n += src->n;
  free(src->v);
  st_findings_init(src);
}

static const char *or_empty(const char *s) { return s ? s : ""; }

static int finding_cmp(const void *a, const void *b) {
  const st_finding *x = a, *y = b;
  int c = strcmp(x->subject, y->subject);
  if (!c) c = strcmp(x->policy, y->policy);
  if (!c) c = strcmp(x->message, y->message);
  if (!c) c = strcmp(or_empty(x->path), or_empty(y->path));
  if (!c) c = strcmp(or_empty(x->key), or_empty(y->key));
  return c;
}

void st_findings_sort(st_findings *f) {
  if (f->n > 1) qsort(f->v, f->n, sizeof *f->v, finding_cmp);
}

int st_finding_blocks(const st_finding *f, int fail_on) {
  return !f->waiver && !f->error && f->enforcement != ST_ENF_ADVISORY &&
         f->severity >= fail_on;
}

int st_finding_identity_cmp(const st_finding *a, const st_finding *b) {
  int c = strcmp(a->policy, b->policy);
  if (!c) c = strcmp(a->subject, b->subject);
  if (!c) c = strcmp(or_empty(a->path), or_empty(b->path));
  if (!c) c = strcmp(or_empty(a->key), or_empty(b->key));
  return c;
}

void st_finding_fingerprint(const st_finding *f,
                            char out[ST_FINGERPRINT_LEN + 1]) {
  const char *parts[4] = {f->policy, f->subject, or_empty(f->path),
                          or_empty(f->key)};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx) abort();        /* out of memory, as st_xmalloc */
  EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
  for (int i = 0; i < 4; i++) EVP_DigestUpdate(ctx, parts[i],
                                               strlen(parts[i]) + 1);
  EVP_DigestFinal_ex(ctx, md, &mdlen);
  EVP_MD_CTX_free(ctx);
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < ST_FINGERPRINT_LEN / 2; i++) {
    out[2 * i] = hex[md[i] >> 4];
    out[2 * i + 1] = hex[md[i] & 15];
  }
  out[ST_FINGERPRINT_LEN] = '\0';
}
