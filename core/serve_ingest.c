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
 *
 * OpenLineage events (POST /api/v1/lineage) take the same path: the
 * records the importer makes of them (openlineage.h) are checked as any
 * observation and stored in one transaction, with what the events told of
 * their runs, so a run's START and its end may come in two requests.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonpos.h"
#include "serve_internal.h"

/* The records of one request: each parsed once, checked, and stored as
 * the text it came in (a JSON Lines line, trimmed) or, for an element of a
 * JSON array, printed compactly. */
typedef struct {
  cJSON **items;             /* parsed records, owned */
  st_store_obs *v;           /* the store's view; lines owned when printed */
  unsigned char *printed;    /* v[i].line was allocated here */
  size_t n, cap;
} batch;

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->n; i++) {
    cJSON_Delete(b->items[i]);
    if (b->printed[i]) cJSON_free((char *)b->v[i].line);
  }
  free(b->items);
  free(b->v);
  free(b->printed);
}

/* Parses and checks one record's text (numbered lineno) and keeps it;
 * `owned` when the text was printed here and is the batch's to free. */
static int take(batch *b, const char *name, const char *line, size_t len,
                int owned, int lineno, char *err, size_t errlen) {
  size_t at;
  int trailing;
  cJSON *o = st_json_parse(line, len, &at, &trailing);
  if (!o)
    return st_errf(err, errlen, ST_EINPUT, "%s:%d:%zu: malformed JSON%s",
                   name, lineno, at + 1,
                   trailing ? ": text after the object" : "");
  st_obs_fields f;
  int rc = st_obs_check(o, line, len, name, lineno, &f, err, errlen);
  if (rc) {
    cJSON_Delete(o);
    return rc;
  }
  if (b->n == b->cap) {
    b->cap = b->cap ? 2 * b->cap : 64;
    b->items = st_xrealloc(b->items, b->cap * sizeof *b->items);
    b->v = st_xrealloc(b->v, b->cap * sizeof *b->v);
    b->printed = st_xrealloc(b->printed, b->cap);
  }
  b->items[b->n] = o;
  b->v[b->n] = (st_store_obs){line, len, f.at, f.subject, f.kind,
                              f.kind ? NULL : f.metric};
  b->printed[b->n] = (unsigned char)owned;
  b->n++;
  return ST_OK;
}

static int read_lines(batch *b, const char *name, const char *text,
                      size_t len, char *err, size_t errlen) {
  int lineno = 0, rc = ST_OK;
  for (size_t pos = 0; pos < len && !rc;) {
    size_t eol = pos;
    while (eol < len && text[eol] != '\n') eol++;
    lineno++;
    size_t start = pos, end = eol;
    while (start < end && strchr(" \t\r", text[start])) start++;
    while (end > start && strchr(" \t\r", text[end - 1])) end--;
    if (start < end)
      rc = take(b, name, text + start, end - start, 0, lineno, err, errlen);
    pos = eol + 1;
  }
  return rc;
}

/* A JSON array: each element is checked as the line it starts on. */
static int read_array(batch *b, const char *name, const char *text,
                      size_t len, char *err, size_t errlen) {
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
    rc = take(b, name, printed, strlen(printed), 1, line, err, errlen);
    if (rc) cJSON_free(printed);
  }
  cJSON_Delete(arr);
  return rc;
}

int st_serve_ingest_text(st_daemon *d, const char *name, const char *text,
                         size_t len, const char *idempotency_key,
                         size_t *accepted, int *duplicate, char *err,
                         size_t errlen) {
  batch b;
  memset(&b, 0, sizeof b);
  size_t lead = 0;
  while (lead < len && strchr(" \t\r\n", text[lead])) lead++;
  int rc = lead < len && text[lead] == '['
           ? read_array(&b, name, text, len, err, errlen)
           : read_lines(&b, name, text, len, err, errlen);
  if (!rc && !b.n)
    rc = st_errf(err, errlen, ST_EINPUT, "%s: no observation in it", name);
  *accepted = 0;
  *duplicate = 0;
  if (!rc)
    rc = st_store_obs_add(d->store, b.v, b.n, idempotency_key,
                          (double)time(NULL), accepted, duplicate, err,
                          errlen);
  if (!rc && !*duplicate) {
    st_metrics_add(d->metrics, "steward_observations_ingested_total", NULL,
                   (double)*accepted);
    st_serve_cache_drop(d);
  }
  batch_free(&b);
  return rc;
}

/* {=== OpenLineage events =============================================== */

/* The loader of the lineage state: runs as the store keeps them. */
static int load_run(void *ud, const char *run_id, char **state, char *err,
                    size_t errlen) {
  st_daemon *d = ud;
  return st_store_lineage_run_get(d->store, run_id, state, err, errlen);
}

/* Each record printed, then checked as a line of POST /v1/observations. */
static int check_records(batch *b, const cJSON *records, char *err,
                         size_t errlen) {
  int rc = ST_OK, i = 0;
  for (const cJSON *r = records->child; r && !rc; r = r->next, i++) {
    char *line = cJSON_PrintUnformatted(r);
    rc = take(b, "lineage", line, strlen(line), 1, i + 1, err, errlen);
    if (rc) cJSON_free(line);
  }
  return rc;
}

int st_serve_ingest_lineage(st_daemon *d, const char *text, size_t len,
                            size_t *accepted, size_t *events, char *err,
                            size_t errlen) {
  *accepted = *events = 0;
  if (!d->ol_map)
    return st_errf(err, errlen, ST_EIO, "%s", d->reload_error ?
                   d->reload_error : "no registry is loaded");
  st_ol_state *s = st_ol_state_new(load_run, d, 0);
  cJSON *records = cJSON_CreateArray();
  batch b;
  memset(&b, 0, sizeof b);
  char **ids = NULL, **states = NULL;
  size_t nruns = 0;
  int rc = st_ol_convert(d->ol_map, s, "body", text, len, records, events,
                         err, errlen);
  if (!rc && !*events)
    rc = st_errf(err, errlen, ST_EINPUT, "body: no event in it");
  if (!rc) rc = check_records(&b, records, err, errlen);
  if (!rc) {
    nruns = st_ol_state_changed(s, &ids, &states);
    rc = st_store_lineage_add(d->store, b.v, b.n, (const char *const *)ids,
                              (const char *const *)states, nruns,
                              (double)time(NULL), err, errlen);
  }
  if (!rc) {
    *accepted = b.n;
    st_metrics_add(d->metrics, "steward_observations_ingested_total", NULL,
                   (double)b.n);
    st_metrics_add(d->metrics, "steward_lineage_events_total", NULL,
                   (double)*events);
    st_serve_cache_drop(d);
  }
  for (size_t i = 0; i < nruns; i++) {
    free(ids[i]);
    free(states[i]);
  }
  free(ids);
  free(states);
  batch_free(&b);
  cJSON_Delete(records);
  st_ol_state_free(s);
  return rc;
}

/* }=== */
