/* obs.c - see obs.h. */
#include "obs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpos.h"
#include "timeutil.h"

void st_obs_init(st_obsset *s) {
  memset(s, 0, sizeof *s);
  st_doc_init(&s->doc);
}

void st_obs_free(st_obsset *s) {
  st_doc_free(&s->doc);
  free(s->v);
  memset(s, 0, sizeof *s);
}

typedef struct {
  const char *line;
  size_t len;
  const char *name;
  int lineno;
  char *err;
  size_t errlen;
} line_ctx;

/* An error at the member `key` of the line's object (or at its start). */
static int fail_key(const line_ctx *c, const char *key, const char *what) {
  size_t off = 0;
  int line, col;
  if (key) {
    char ptr[128];
    snprintf(ptr, sizeof ptr, "/%s", key);
    st_json_locate(c->line, c->len, ptr, &off);
  }
  st_line_col(c->line, c->len, off, &line, &col);
  return st_errf(c->err, c->errlen, ST_EINPUT, "%s:%d:%d: %s", c->name,
                 c->lineno, col, what);
}

static const char *need_string(const line_ctx *c, const cJSON *o,
                               const char *key, int *rc) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  char msg[160];
  if (cJSON_IsString(v)) return v->valuestring;
  snprintf(msg, sizeof msg, v ? "'%s' must be a string" :
           "missing '%s'", key);
  *rc = fail_key(c, v ? key : NULL, msg);
  return NULL;
}

static int need_number(const line_ctx *c, const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  char msg[160];
  if (cJSON_IsNumber(v)) return ST_OK;
  snprintf(msg, sizeof msg, v ? "'%s' must be a number" : "missing '%s'", key);
  return fail_key(c, v ? key : NULL, msg);
}

/* A `run` record (what a job's run ended as, from lineage): its status is
 * one of the three terminal states and its duration, when known, a number
 * of seconds. */
static int check_run(const line_ctx *c, const cJSON *o) {
  int rc = ST_OK;
  const char *status = need_string(c, o, "status", &rc);
  if (!status) return rc;
  if (strcmp(status, "complete") && strcmp(status, "fail") &&
      strcmp(status, "abort"))
    return fail_key(c, "status", "'status' must be complete, fail or abort");
  const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "duration_s");
  if (d && (!cJSON_IsNumber(d) || d->valuedouble < 0))
    return fail_key(c, "duration_s", "'duration_s' must be a number of "
                    "seconds, not negative");
  return ST_OK;
}

/* A `schema` record (a dataset's schema as seen in lineage): its subject
 * is `dataset`; it says a `version` (a string), a field count `fields`, or
 * both. */
static int check_schema(const line_ctx *c, const cJSON *o,
                        const char **subject) {
  int rc = ST_OK;
  if (!(*subject = need_string(c, o, "dataset", &rc))) return rc;
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "version");
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "fields");
  if (v && !cJSON_IsString(v))
    return fail_key(c, "version", "'version' must be a string");
  if (n && (!cJSON_IsNumber(n) || n->valuedouble < 0 ||
            n->valuedouble > 1e9 ||
            n->valuedouble != (double)(long long)n->valuedouble))
    return fail_key(c, "fields", "'fields' must be a whole number, not "
                    "negative");
  if (!v && !n)
    return fail_key(c, NULL, "a schema record needs 'version' or 'fields'");
  return ST_OK;
}

/* Checks the fields each kind needs; returns the subject and the metric (or
 * kind) through the out parameters. */
static int check_kind(const line_ctx *c, const cJSON *o, const char **subject,
                      const char **metric) {
  int rc = ST_OK;
  const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
  if (kind && !cJSON_IsString(kind))
    return fail_key(c, "kind", "'kind' must be a string");
  const char *k = kind ? kind->valuestring : NULL;
  if (k && !strcmp(k, "usage")) {
    if (!(*subject = need_string(c, o, "model", &rc))) return rc;
    if (!need_string(c, o, "caller", &rc)) return rc;
    *metric = k;
    return need_number(c, o, "count");
  }
  if (k && !strcmp(k, "schema")) {
    *metric = k;
    return check_schema(c, o, subject);
  }
  if (!(*subject = need_string(c, o, "subject", &rc))) return rc;
  if (k && !strcmp(k, "run")) {
    *metric = k;
    return check_run(c, o);
  }
  if (!k) {
    if (!(*metric = need_string(c, o, "metric", &rc))) return rc;
    return need_number(c, o, "value");
  }
  *metric = k;
  if (!strcmp(k, "override")) {
    if ((rc = need_number(c, o, "count")) || (rc = need_number(c, o, "of")))
      return rc;
    double n = cJSON_GetObjectItemCaseSensitive(o, "count")->valuedouble;
    double of = cJSON_GetObjectItemCaseSensitive(o, "of")->valuedouble;
    if (n < 0 || of < 0 || n > of)
      return fail_key(c, "count", "'count' must be between 0 and 'of'");
  } else if (!strcmp(k, "incident")) {
    if (!need_string(c, o, "severity", &rc)) return rc;
  }
  return ST_OK;
}

/* The pointer (relative to j) of the first repeated member name in any
 * object of j, appended to where; 1 when there is one. Small objects are
 * compared pairwise, as records are small. */
static int find_duplicate(const cJSON *j, st_buf *where) {
  if (!cJSON_IsObject(j) && !cJSON_IsArray(j)) return 0;
  int i = 0;
  for (const cJSON *a = j->child; a; a = a->next, i++) {
    if (cJSON_IsObject(j))
      for (const cJSON *b = a->next; b; b = b->next)
        if (!strcmp(a->string, b->string)) {
          st_buf_pointer_token(where, b->string);
          return 1;
        }
    size_t mark = where->len;
    if (cJSON_IsObject(j)) st_buf_pointer_token(where, a->string);
    else st_buf_printf(where, "/%d", i);
    if (find_duplicate(a, where)) return 1;
    where->len = mark;
    where->data[mark] = '\0';
  }
  return 0;
}

static int duplicate_error(const line_ctx *c, const char *pointer) {
  size_t off;
  int line, col;
  st_json_locate_dup(c->line, c->len, pointer, &off);
  st_line_col(c->line, c->len, off, &line, &col);
  return st_errf(c->err, c->errlen, ST_EINPUT, "%s:%d:%d: duplicate key '%s'",
                 c->name, c->lineno, col, strrchr(pointer, '/') + 1);
}

static int check_record(const line_ctx *c, const cJSON *o, st_obs_fields *f) {
  int rc = ST_OK;
  const char *at = need_string(c, o, "at", &rc);
  memset(f, 0, sizeof *f);
  if (!at) return rc;
  if (st_time_parse(at, &f->at) != 0)
    return fail_key(c, "at", "'at' is not an RFC 3339 date or time");
  if ((rc = check_kind(c, o, &f->subject, &f->metric))) return rc;
  f->kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "kind"));
  st_buf dup;
  st_buf_init(&dup);
  if (find_duplicate(o, &dup)) rc = duplicate_error(c, dup.data);
  st_buf_free(&dup);
  return rc;
}

int st_obs_check(const cJSON *o, const char *line, size_t len,
                 const char *name, int lineno, st_obs_fields *f, char *err,
                 size_t errlen) {
  line_ctx c = {line, len, name, lineno, err, errlen};
  if (!cJSON_IsObject(o))
    return fail_key(&c, NULL, "an observation must be a JSON object");
  return check_record(&c, o, f);
}

static int add_record(st_obsset *s, const line_ctx *c, const cJSON *o) {
  st_obs_fields f;
  int rc = check_record(c, o, &f);
  if (rc) return rc;
  st_val v;
  if (st_doc_import(&s->doc, o, &v, NULL)) return duplicate_error(c, "/");
  st_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
  st_obs *x = &s->v[s->n];
  x->at = f.at;
  x->subject = st_doc_intern(&s->doc, f.subject, strlen(f.subject));
  x->metric = st_doc_intern(&s->doc, f.metric, strlen(f.metric));
  x->seq = (uint32_t)s->n++;
  x->is_kind = f.kind != NULL;
  x->value = v;
  s->sorted = 0;
  return ST_OK;
}

int st_obs_add_line(st_obsset *s, const char *line, size_t len,
                    const char *name, int lineno, char *err, size_t errlen) {
  line_ctx c = {line, len, name, lineno, err, errlen};
  size_t at;
  int trailing, rc;
  cJSON *o = st_json_parse(line, len, &at, &trailing);
  if (!o) {
    rc = st_errf(err, errlen, ST_EINPUT, "%s:%d:%zu: malformed JSON%s", name,
                 lineno, at + 1, trailing ? ": text after the object" : "");
  } else if (!cJSON_IsObject(o)) {
    rc = fail_key(&c, NULL, "an observation must be a JSON object");
  } else {
    rc = add_record(s, &c, o);
  }
  cJSON_Delete(o);
  return rc;
}

int st_obs_load_text(st_obsset *s, const char *name, const char *text,
                     size_t len, char *err, size_t errlen) {
  size_t n0 = s->n;
  int was_sorted = s->sorted, rc = ST_OK, lineno = 0;
  for (size_t pos = 0; pos < len && !rc;) {
    size_t eol = pos;
    while (eol < len && text[eol] != '\n') eol++;
    lineno++;
    size_t l = eol - pos, blank = 0;
    while (blank < l && strchr(" \t\r", text[pos + blank])) blank++;
    if (blank < l)
      rc = st_obs_add_line(s, text + pos, l, name, lineno, err, errlen);
    pos = eol + 1;
  }
  if (rc) {             /* all of this input or nothing of it */
    s->n = n0;
    s->sorted = was_sorted;
  }
  return rc;
}

int st_obs_load(st_obsset *s, const char *path, char *err, size_t errlen) {
  size_t len;
  char *text = st_read_file(path, &len, err, errlen);
  if (!text) return ST_EIO;
  int rc = st_obs_load_text(s, path, text, len, err, errlen);
  free(text);
  return rc;
}

static int obs_cmp(const void *a, const void *b) {
  const st_obs *x = a, *y = b;
  if (x->subject != y->subject) return x->subject < y->subject ? -1 : 1;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void st_obs_index(st_obsset *s) {
  if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, obs_cmp);
  s->sorted = 1;
}

size_t st_obs_range(const st_obsset *s, const char *subject, size_t *first) {
  uint32_t atom = st_doc_atom_find(&s->doc, subject, strlen(subject));
  *first = 0;
  if (atom == ST_ATOM_NONE || !s->sorted) return 0;
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->v[mid].subject < atom) lo = mid + 1; else hi = mid;
  }
  size_t end = lo;
  while (end < s->n && s->v[end].subject == atom) end++;
  *first = lo;
  return end - lo;
}
