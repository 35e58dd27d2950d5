/*
 * serve_ingest.c - observations into the daemon's store: validated whole,
 * stored in one transaction, or not at all (st_serve_ingest_text in
 * serve_internal.h).
 *
 * A body is JSON Lines or one JSON array of records. Every record is
 * checked exactly as `steward check --observations` checks a line
 * (obs.h), so what the daemon accepts the command line accepts too; the
 * first bad one fails the request with its line and field, and nothing
 * of the request is stored.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonpos.h"
#include "serve_internal.h"
#include "timeutil.h"

typedef struct {
  cJSON **items;             /* parsed records, owned */
  char **lines;              /* each record printed compactly, owned */
  size_t n, cap;
} batch;

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->n; i++) {
    cJSON_Delete(b->items[i]);
    cJSON_free(b->lines[i]);
  }
  free(b->items);
  free(b->lines);
}

/* Checks one record's text (as a line numbered lineno) and keeps it. */
static int take(batch *b, st_obsset *scratch, const char *name,
                const char *line, size_t len, int lineno, char *err,
                size_t errlen) {
  int rc = st_obs_add_line(scratch, line, len, name, lineno, err, errlen);
  if (rc) return rc;
  cJSON *o = cJSON_ParseWithLength(line, len);
  if (!o) return st_errf(err, errlen, ST_EINPUT, "%s:%d: malformed JSON",
                         name, lineno);
  size_t cap_items = b->cap, cap_lines = b->cap;
  st_grow((void **)&b->items, &cap_items, b->n + 1, sizeof *b->items);
  st_grow((void **)&b->lines, &cap_lines, b->n + 1, sizeof *b->lines);
  b->cap = cap_items;
  b->items[b->n] = o;
  b->lines[b->n] = cJSON_PrintUnformatted(o);
  b->n++;
  return ST_OK;
}

static int read_lines(batch *b, st_obsset *scratch, const char *name,
                      const char *text, size_t len, char *err,
                      size_t errlen) {
  int lineno = 0, rc = ST_OK;
  for (size_t pos = 0; pos < len && !rc;) {
    size_t eol = pos;
    while (eol < len && text[eol] != '\n') eol++;
    lineno++;
    size_t l = eol - pos, blank = 0;
    while (blank < l && strchr(" \t\r", text[pos + blank])) blank++;
    if (blank < l)
      rc = take(b, scratch, name, text + pos, l, lineno, err, errlen);
    pos = eol + 1;
  }
  return rc;
}

/* A JSON array: each element is checked as the line it starts on. */
static int read_array(batch *b, st_obsset *scratch, const char *name,
                      const char *text, size_t len, char *err,
                      size_t errlen) {
  cJSON *arr = st_json_parse_named(name, text, len, err, errlen);
  if (!arr) return ST_EINPUT;
  int rc = ST_OK, i = 0;
  for (const cJSON *x = arr->child; x && !rc; x = x->next, i++) {
    char pointer[32];
    size_t off = 0;
    int line = 1, col = 1;
    snprintf(pointer, sizeof pointer, "/%d", i);
    st_json_locate(text, len, pointer, &off);
    st_line_col(text, len, off, &line, &col);
    char *printed = cJSON_PrintUnformatted(x);
    rc = take(b, scratch, name, printed, strlen(printed), line, err, errlen);
    cJSON_free(printed);
  }
  cJSON_Delete(arr);
  return rc;
}

static const char *str_field(const cJSON *o, const char *key) {
  return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The store's view of each record (validated already: the fields hold). */
static st_store_obs *to_store(const batch *b) {
  st_store_obs *v = st_xcalloc(b->n ? b->n : 1, sizeof *v);
  for (size_t i = 0; i < b->n; i++) {
    const cJSON *o = b->items[i];
    const char *kind = str_field(o, "kind");
    double at = 0;
    st_time_parse(str_field(o, "at"), &at);
    v[i] = (st_store_obs){
      b->lines[i], strlen(b->lines[i]), at,
      kind && !strcmp(kind, "usage") ? str_field(o, "model")
                                     : str_field(o, "subject"),
      kind, str_field(o, "metric")};
  }
  return v;
}

int st_serve_ingest_text(st_daemon *d, const char *name, const char *text,
                         size_t len, const char *idempotency_key,
                         size_t *accepted, int *duplicate, char *err,
                         size_t errlen) {
  batch b = {NULL, NULL, 0, 0};
  st_obsset scratch;
  st_obs_init(&scratch);
  size_t lead = 0;
  while (lead < len && strchr(" \t\r\n", text[lead])) lead++;
  int rc = lead < len && text[lead] == '['
           ? read_array(&b, &scratch, name, text, len, err, errlen)
           : read_lines(&b, &scratch, name, text, len, err, errlen);
  st_obs_free(&scratch);
  if (!rc && !b.n)
    rc = st_errf(err, errlen, ST_EINPUT, "%s: no observation in it", name);
  *accepted = 0;
  *duplicate = 0;
  if (!rc) {
    st_store_obs *v = to_store(&b);
    rc = st_store_obs_add(d->store, v, b.n, idempotency_key,
                          (double)time(NULL), accepted, duplicate, err,
                          errlen);
    free(v);
  }
  if (!rc && !*duplicate) {
    st_metrics_add(d->metrics, "steward_observations_ingested_total", NULL,
                   (double)*accepted);
    st_serve_cache_drop(d);
  }
  batch_free(&b);
  return rc;
}
