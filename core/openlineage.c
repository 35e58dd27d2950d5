/* openlineage.c - see openlineage.h: reading an input and checking its
 * events. What they make is ol_convert.c, what each run is known to have
 * done ol_state.c, the mapping ol_map.c, the suggestions ol_suggest.c. */
#include "ol_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpos.h"
#include "timeutil.h"

/* eventType; absent reads as OTHER, as the spec allows. */
static const char *const TYPES[] = {"START", "RUNNING", "COMPLETE", "ABORT",
                                    "FAIL", "OTHER", NULL};

void ol_batch_free(batch *b) {
  for (size_t i = 0; i < b->n; i++) cJSON_Delete(b->v[i].j);
  free(b->v);
}

/* {=== Small lists ====================================================== */

void ol_strs_add(ol_strs *l, const char *s) {
  for (size_t i = 0; i < l->n; i++)
    if (!strcmp(l->v[i], s)) return;
  st_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
  l->v[l->n++] = st_xstrdup(s);
}

void ol_strs_free(ol_strs *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

/* }=== */

/* {=== Checking an event ================================================ */

/* "NAME:LINE:COL: POINTER: what", the position of at/key in the event. */
static int bad(const batch *b, const event *e, const char *at,
               const char *key, const char *fmt, ...)
  __attribute__((format(printf, 5, 6)));

static int bad(const batch *b, const event *e, const char *at,
               const char *key, const char *fmt, ...) {
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  st_buf rel, full;
  st_buf_init(&rel);
  st_buf_init(&full);
  st_buf_puts(&rel, at);
  if (key) st_buf_pointer_token(&rel, key);
  st_buf_printf(&full, "%s%s", e->prefix, rel.data);
  size_t off = 0;
  int line = 1, col = 1;
  st_json_locate(e->src, e->srclen, full.len ? full.data : "", &off);
  st_line_col(e->src, e->srclen, off, &line, &col);
  if (e->lineno) line = e->lineno;
  int rc = st_errf(b->err, b->errlen, ST_EINPUT, "%s:%d:%d: %s: %s", b->name,
                   line, col, rel.len ? rel.data : "/", what);
  st_buf_free(&rel);
  st_buf_free(&full);
  return rc;
}

typedef struct {
  const batch *b;
  const event *e;
} vctx;

/* at/key as a non-empty string into *out; required or not. */
static int get_str(const vctx *v, const cJSON *o, const char *at,
                   const char *key, int required, const char **out) {
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = NULL;
  if (!x && !required) return ST_OK;
  if (!x) return bad(v->b, v->e, at, NULL, "missing '%s'", key);
  if (!cJSON_IsString(x) || !*x->valuestring)
    return bad(v->b, v->e, at, key, "expected a non-empty string");
  *out = x->valuestring;
  return ST_OK;
}

/* at/key as an object into *out (NULL when absent). */
static int get_obj(const vctx *v, const cJSON *o, const char *at,
                   const char *key, const cJSON **out) {
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = NULL;
  if (!x || cJSON_IsNull(x)) return ST_OK;
  if (!cJSON_IsObject(x)) return bad(v->b, v->e, at, key, "expected an object");
  *out = x;
  return ST_OK;
}

/* facets/name, unless absent or marked {"_deleted": true}. */
const cJSON *ol_facet(const cJSON *facets, const char *name) {
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(facets, name);
  if (!cJSON_IsObject(f)) return NULL;
  if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "_deleted")))
    return NULL;
  return f;
}

/* The facet `name` of facets (at `at`) when steward reads it: an object. */
static int need_facet(const vctx *v, const cJSON *facets, const char *at,
                      const char *name, const cJSON **out) {
  *out = NULL;
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(facets, name);
  if (!f) return ST_OK;
  if (!cJSON_IsObject(f))
    return bad(v->b, v->e, at, name, "a facet is an object");
  *out = ol_facet(facets, name);
  return ST_OK;
}

/* A version: a string, or a number written as one. */
static int is_version(const cJSON *x) {
  return (cJSON_IsString(x) && *x->valuestring) || cJSON_IsNumber(x);
}

/* An array of objects, each with a non-empty string `name` and an optional
 * string `key2` (type, version). */
static int check_named_list(const vctx *v, const cJSON *list, const char *at,
                            const char *key2, int version) {
  if (!cJSON_IsArray(list))
    return bad(v->b, v->e, at, NULL, "expected an array");
  int i = 0;
  for (const cJSON *x = list->child; x; x = x->next, i++) {
    char p[600];
    snprintf(p, sizeof p, "%s/%d", at, i);
    const char *name;
    if (!cJSON_IsObject(x))
      return bad(v->b, v->e, p, NULL, "expected an object with a 'name'");
    int rc = get_str(v, x, p, "name", 1, &name);
    if (rc) return rc;
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(x, key2);
    if (k && !cJSON_IsNull(k) && !(version ? is_version(k) :
                                   cJSON_IsString(k)))
      return bad(v->b, v->e, p, key2, version ? "expected a version (a "
                 "string or a number)" : "expected a string");
  }
  return ST_OK;
}

/* steward_model: {name, version} or {models: [{name, version}]}. */
static int check_steward_model(const vctx *v, const cJSON *facets,
                               const char *at) {
  const cJSON *f;
  char p[600];
  int rc = need_facet(v, facets, at, "steward_model", &f);
  if (rc || !f) return rc;
  snprintf(p, sizeof p, "%s/steward_model", at);
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(f, "name");
  const cJSON *models = cJSON_GetObjectItemCaseSensitive(f, "models");
  if (!name && !models)
    return bad(v->b, v->e, p, NULL, "steward_model names a model: "
               "{\"name\", \"version\"} or {\"models\": [...]}");
  if (name) {
    const char *s;
    if ((rc = get_str(v, f, p, "name", 1, &s))) return rc;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(f, "version");
    if (ver && !cJSON_IsNull(ver) && !is_version(ver))
      return bad(v->b, v->e, p, "version", "expected a version (a string "
                 "or a number)");
  }
  if (models) {
    char q[640];
    snprintf(q, sizeof q, "%s/models", p);
    return check_named_list(v, models, q, "version", 1);
  }
  return ST_OK;
}

/* ownership: {owners: [{name, type}]}, on jobs and datasets. */
static int check_ownership(const vctx *v, const cJSON *facets,
                           const char *at) {
  const cJSON *f;
  int rc = need_facet(v, facets, at, "ownership", &f);
  if (rc || !f) return rc;
  const cJSON *owners = cJSON_GetObjectItemCaseSensitive(f, "owners");
  char p[600];
  snprintf(p, sizeof p, "%s/ownership/owners", at);
  if (!owners) return ST_OK;
  return check_named_list(v, owners, p, "type", 0);
}

static int check_job(const vctx *v, const cJSON *ev) {
  const cJSON *job, *facets, *f;
  const char *s;
  int rc = get_obj(v, ev, "", "job", &job);
  if (!rc && !job) rc = bad(v->b, v->e, "", NULL, "missing 'job'");
  if (!rc) rc = get_str(v, job, "/job", "namespace", 1, &s);
  if (!rc) rc = get_str(v, job, "/job", "name", 1, &s);
  if (!rc) rc = get_obj(v, job, "/job", "facets", &facets);
  if (rc || !facets) return rc;
  if ((rc = need_facet(v, facets, "/job/facets", "jobType", &f))) return rc;
  static const char *const keys[] = {"processingType", "integration",
                                     "jobType"};
  for (int i = 0; f && i < 3 && !rc; i++)
    rc = get_str(v, f, "/job/facets/jobType", keys[i], 0, &s);
  if (!rc) rc = check_ownership(v, facets, "/job/facets");
  if (!rc) rc = check_steward_model(v, facets, "/job/facets");
  return rc;
}

/* A dataset (an input, an output, a DatasetEvent's) at `at`. */
static int check_dataset(const vctx *v, const cJSON *d, const char *at) {
  const cJSON *facets, *f, *more;
  const char *s;
  char p[600];
  if (!cJSON_IsObject(d)) return bad(v->b, v->e, at, NULL, "a dataset is an "
                                     "object with a namespace and a name");
  int rc = get_str(v, d, at, "namespace", 1, &s);
  if (!rc) rc = get_str(v, d, at, "name", 1, &s);
  if (!rc) rc = get_obj(v, d, at, "inputFacets", &more);
  if (!rc) rc = get_obj(v, d, at, "outputFacets", &more);
  if (!rc) rc = get_obj(v, d, at, "facets", &facets);
  if (rc || !facets) return rc;
  snprintf(p, sizeof p, "%s/facets", at);
  if ((rc = need_facet(v, facets, p, "schema", &f))) return rc;
  if (f) {
    char q[640];
    snprintf(q, sizeof q, "%s/schema/fields", p);
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(f, "fields");
    if (!fields) return bad(v->b, v->e, q, NULL, "missing: a schema facet "
                            "lists its fields");
    if ((rc = check_named_list(v, fields, q, "type", 0))) return rc;
  }
  if ((rc = need_facet(v, facets, p, "version", &f))) return rc;
  if (f) {
    char q[640];
    snprintf(q, sizeof q, "%s/version", p);
    if ((rc = get_str(v, f, q, "datasetVersion", 1, &s))) return rc;
  }
  if ((rc = need_facet(v, facets, p, "steward_schema", &f))) return rc;
  if (f && !is_version(cJSON_GetObjectItemCaseSensitive(f, "version"))) {
    char q[640];
    snprintf(q, sizeof q, "%s/steward_schema", p);
    return bad(v->b, v->e, q, "version", "expected a version (a string or "
               "a number)");
  }
  return check_ownership(v, facets, p);
}

static int check_datasets(const vctx *v, const cJSON *ev, const char *key) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(ev, key);
  if (!list || cJSON_IsNull(list)) return ST_OK;
  if (!cJSON_IsArray(list))
    return bad(v->b, v->e, "", key, "expected an array of datasets");
  int i = 0, rc = ST_OK;
  for (const cJSON *d = list->child; d && !rc; d = d->next, i++) {
    char p[64];
    snprintf(p, sizeof p, "/%s/%d", key, i);
    rc = check_dataset(v, d, p);
  }
  return rc;
}

static int check_run(const vctx *v, event *e) {
  const cJSON *ev = e->j, *run, *facets, *f;
  const char *s;
  int rc = get_str(v, ev, "", "eventType", 0, &s);
  if (rc) return rc;
  e->type = T_OTHER;
  if (s) {
    int t = 0;
    while (TYPES[t] && strcmp(TYPES[t], s)) t++;
    if (!TYPES[t])
      return bad(v->b, v->e, "", "eventType", "'%s' is not START, RUNNING, "
                 "COMPLETE, ABORT, FAIL or OTHER", s);
    e->type = t;
  }
  if ((rc = get_obj(v, ev, "", "run", &run))) return rc;
  if ((rc = get_str(v, run, "/run", "runId", 1, &s))) return rc;
  if ((rc = get_obj(v, run, "/run", "facets", &facets))) return rc;
  if (facets) {
    if ((rc = check_steward_model(v, facets, "/run/facets"))) return rc;
    if ((rc = need_facet(v, facets, "/run/facets", "errorMessage", &f)))
      return rc;
    if (f && (rc = get_str(v, f, "/run/facets/errorMessage", "message", 0,
                           &s)))
      return rc;
  }
  if ((rc = check_job(v, ev))) return rc;
  if ((rc = check_datasets(v, ev, "inputs"))) return rc;
  return check_datasets(v, ev, "outputs");
}

/* The base event (eventTime, producer, schemaURL), then its kind's. */
static int check_event(const batch *b, event *e) {
  vctx v = {b, e};
  const cJSON *ev = e->j;
  const char *t, *s;
  if (!cJSON_IsObject(ev))
    return bad(b, e, "", NULL, "an event must be a JSON object");
  int rc = get_str(&v, ev, "", "eventTime", 1, &t);
  if (rc) return rc;
  if (strlen(t) < 11 || st_time_parse(t, &e->at) != 0)
    return bad(b, e, "", "eventTime", "'%s' is not an RFC 3339 date-time", t);
  if ((rc = get_str(&v, ev, "", "producer", 1, &s)) ||
      (rc = get_str(&v, ev, "", "schemaURL", 1, &s)))
    return rc;
  if (cJSON_GetObjectItemCaseSensitive(ev, "run")) {
    e->kind = EV_RUN;
    return check_run(&v, e);
  }
  if (cJSON_GetObjectItemCaseSensitive(ev, "job")) {
    e->kind = EV_JOB;
    if ((rc = check_job(&v, ev)) || (rc = check_datasets(&v, ev, "inputs")))
      return rc;
    return check_datasets(&v, ev, "outputs");
  }
  if (cJSON_GetObjectItemCaseSensitive(ev, "dataset")) {
    e->kind = EV_DATASET;
    return check_dataset(&v, cJSON_GetObjectItemCaseSensitive(ev, "dataset"),
                         "/dataset");
  }
  return bad(b, e, "", NULL, "not a RunEvent, JobEvent or DatasetEvent: it "
             "has no run, job or dataset");
}

/* }=== */

/* {=== Reading an input ================================================= */

/* The offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
             : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!n || i + n > len || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4))
      return i;
    for (size_t k = 1; k < n; k++)
      if ((s[i + k] & 0xC0) != 0x80) return i;
    unsigned c1 = n > 1 ? s[i + 1] : 0;
    if ((n == 3 && c == 0xE0 && c1 < 0xA0) ||      /* overlong */
        (n == 3 && c == 0xED && c1 >= 0xA0) ||     /* surrogates */
        (n == 4 && c == 0xF0 && c1 < 0x90) ||      /* overlong */
        (n == 4 && c == 0xF4 && c1 >= 0x90))       /* past U+10FFFF */
      return i;
    i += n;
  }
  return len;
}

static event *add_event(batch *b, cJSON *j, const char *src, size_t srclen,
                        int lineno) {
  st_grow((void **)&b->v, &b->cap, b->n + 1, sizeof *b->v);
  event *e = &b->v[b->n];
  memset(e, 0, sizeof *e);
  e->j = j;
  e->src = src;
  e->srclen = srclen;
  e->lineno = lineno;
  e->seq = b->n++;
  return e;
}

static int read_lines(batch *b, const char *text, size_t len) {
  int lineno = 0;
  for (size_t pos = 0; pos < len;) {
    size_t eol = pos;
    while (eol < len && text[eol] != '\n') eol++;
    lineno++;
    size_t line_start = pos, start = pos, end = eol;
    pos = eol + 1;
    while (start < end && strchr(" \t\r", text[start])) start++;
    while (end > start && strchr(" \t\r", text[end - 1])) end--;
    if (start == end) continue;
    size_t at;
    int trailing;
    cJSON *j = st_json_parse(text + start, end - start, &at, &trailing);
    if (!j)
      return st_errf(b->err, b->errlen, ST_EINPUT, "%s:%d:%zu: malformed "
                     "JSON%s", b->name, lineno, start - line_start + at + 1,
                     trailing ? ": text after the event" : "");
    add_event(b, j, text + start, end - start, lineno);
  }
  return ST_OK;
}

/* One JSON array of events, or one event object: positions are found in
 * the whole text, through the element's index. */
static int read_whole(batch *b, cJSON *root, const char *text, size_t len) {
  if (cJSON_IsObject(root)) {
    add_event(b, root, text, len, 0);
    return ST_OK;
  }
  int i = 0;
  while (root->child) {
    cJSON *x = cJSON_DetachItemViaPointer(root, root->child);
    event *e = add_event(b, x, text, len, 0);
    snprintf(e->prefix, sizeof e->prefix, "/%d", i++);
  }
  cJSON_Delete(root);
  return ST_OK;
}

/* JSON Lines, one array, or one object; every event checked. */
int ol_read(batch *b, const char *text, size_t len) {
  size_t bad_at = utf8_invalid_at((const unsigned char *)text, len);
  if (bad_at < len) {
    int line, col;
    st_line_col(text, len, bad_at, &line, &col);
    return st_errf(b->err, b->errlen, ST_EINPUT, "%s:%d:%d: not valid "
                   "UTF-8", b->name, line, col);
  }
  size_t lead = 0;
  while (lead < len && strchr(" \t\r\n", text[lead])) lead++;
  int rc;
  if (lead < len && text[lead] == '[') {
    cJSON *root = st_json_parse_named(b->name, text, len, b->err, b->errlen);
    if (!root) return ST_EINPUT;
    rc = read_whole(b, root, text, len);
  } else {
    size_t at;
    int trailing;
    cJSON *root = lead < len && text[lead] == '{' ?
                  st_json_parse(text, len, &at, &trailing) : NULL;
    rc = root ? read_whole(b, root, text, len) : read_lines(b, text, len);
  }
  for (size_t i = 0; i < b->n && !rc; i++) rc = check_event(b, &b->v[i]);
  return rc;
}

/* }=== */

