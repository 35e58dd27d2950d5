/* ol_convert.c - see openlineage.h: the records events make, in
 * eventTime order: run and usage at a run's end, schema for every dataset
 * that says its schema or version; and, for --suggest, what was seen of
 * jobs and datasets that are not registered. */
#include "ol_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* {=== What events make ================================================= */

typedef struct {
  const st_ol_map *m;
  st_ol_state *s;
  cJSON *out;
} conv;

static const char *str_at(const cJSON *o, const char *key) {
  return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static const cJSON *obj_at(const cJSON *o, const char *key) {
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsObject(x) ? x : NULL;
}

/* A version as text: a string as it is, a number as written in JSON
 * (6, not 6.0). NULL for anything else; caller frees. */
static char *version_text(const cJSON *x) {
  if (cJSON_IsString(x) && *x->valuestring) return st_xstrdup(x->valuestring);
  if (!cJSON_IsNumber(x)) return NULL;
  char buf[64];
  double d = x->valuedouble;
  if (d == floor(d) && fabs(d) < 1e15) snprintf(buf, sizeof buf, "%lld",
                                                (long long)d);
  else snprintf(buf, sizeof buf, "%.17g", d);
  return st_xstrdup(buf);
}

static cJSON *record(const event *e, const char *kind) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "at", str_at(e->j, "eventTime"));
  cJSON_AddStringToObject(o, "kind", kind);
  return o;
}

/* "openlineage": {namespace, name} and "source": "openlineage". */
static void finish_record(conv *c, cJSON *o, const cJSON *named) {
  cJSON *ol = cJSON_AddObjectToObject(o, "openlineage");
  cJSON_AddStringToObject(ol, "namespace", str_at(named, "namespace"));
  cJSON_AddStringToObject(ol, "name", str_at(named, "name"));
  cJSON_AddStringToObject(o, "source", "openlineage");
  cJSON_AddItemToArray(c->out, o);
}

/* {--- What was seen and is not registered (for --suggest) ------------- */

static ol_seen *seen_of(conv *c, const ol_ref *ref, int is_job,
                        const cJSON *named, const event *e) {
  st_ol_state *s = c->s;
  if (!s->suggest || ref->registered) return NULL;
  st_buf key;
  st_buf_init(&key);
  st_buf_printf(&key, "%c%s", is_job ? 'J' : 'D', ref->id);
  uint32_t atom = st_doc_intern(&s->seen_keys, key.data, key.len);
  st_buf_free(&key);
  if (atom >= s->seen_cap) {
    size_t old = s->seen_cap;
    st_grow((void **)&s->seen, &s->seen_cap, (size_t)atom + 1,
            sizeof *s->seen);
    memset(s->seen + old, 0, (s->seen_cap - old) * sizeof *s->seen);
  }
  ol_seen *x = &s->seen[atom];
  const char *at = str_at(e->j, "eventTime");
  if (!x->id) {
    x->id = st_xstrdup(ref->id);
    x->ns = st_xstrdup(str_at(named, "namespace"));
    x->name = st_xstrdup(str_at(named, "name"));
    x->is_job = is_job;
    x->first_at = st_xstrdup(at);
    x->first = e->at;
  }
  x->events++;
  free(x->last_at);
  x->last_at = st_xstrdup(at);
  x->last = e->at;
  return x;
}

/* Keeps a copy of facet/key (the latest seen wins). */
static void keep(cJSON **slot, const cJSON *x) {
  if (!x) return;
  cJSON_Delete(*slot);
  *slot = cJSON_Duplicate(x, 1);
}

static void seen_owners(ol_seen *x, const cJSON *facets) {
  const cJSON *f = ol_facet(facets, "ownership");
  keep(&x->owners, f ? cJSON_GetObjectItemCaseSensitive(f, "owners") : NULL);
}

/* }--- */

/* {--- schema --------------------------------------------------------- */

static void dataset_schema(conv *c, const event *e, const cJSON *d,
                           const char *job) {
  const cJSON *facets = obj_at(d, "facets");
  const cJSON *schema = ol_facet(facets, "schema");
  const cJSON *vf = ol_facet(facets, "version"), *sf = ol_facet(facets,
                                                          "steward_schema");
  ol_ref ref = ol_map_dataset(c->m, str_at(d, "namespace"), str_at(d, "name"));
  if (ref.is_model) {        /* a model read as a dataset: usage, not schema */
    free(ref.id);
    return;
  }
  ol_seen *x = seen_of(c, &ref, 0, d, e);
  char *version = sf ? version_text(cJSON_GetObjectItemCaseSensitive(
                                      sf, "version"))
                : vf ? st_xstrdup(str_at(vf, "datasetVersion")) : NULL;
  const cJSON *fields = schema ? cJSON_GetObjectItemCaseSensitive(schema,
                                                                  "fields")
                               : NULL;
  if (x) {
    if (facets) seen_owners(x, facets);
    keep(&x->fields, fields);
    if (version) {
      free(x->version);
      x->version = st_xstrdup(version);
    }
  }
  if (version || fields) {
    cJSON *o = record(e, "schema");
    cJSON_AddStringToObject(o, "dataset", ref.id);
    if (version) cJSON_AddStringToObject(o, "version", version);
    if (fields) cJSON_AddNumberToObject(o, "fields",
                                        (double)cJSON_GetArraySize(fields));
    if (job) cJSON_AddStringToObject(o, "job", job);
    finish_record(c, o, d);
  }
  free(version);
  free(ref.id);
}

/* Each input or output: its schema record, and its id on the job. */
static void datasets_schema(conv *c, const event *e, const char *key,
                            const char *job, ol_seen *job_seen) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(e->j, key);
  for (const cJSON *d = cJSON_IsArray(list) ? list->child : NULL; d;
       d = d->next) {
    dataset_schema(c, e, d, job);
    if (!job_seen) continue;
    ol_ref ref = ol_map_dataset(c->m, str_at(d, "namespace"),
                                str_at(d, "name"));
    if (!ref.is_model)
      ol_strs_add(!strcmp(key, "inputs") ? &job_seen->reads
                                         : &job_seen->writes, ref.id);
    free(ref.id);
  }
}

/* }--- */

/* {--- run and usage -------------------------------------------------- */

static void declare(conv *c, ol_run *r, const char *name, const cJSON *ver,
                    const char *via) {
  ol_ref ref = ol_map_model(c->m, name);
  char *v = version_text(ver);
  ol_use_add(r, ref.id, v, via);
  free(v);
  free(ref.id);
}

/* The models a steward_model facet names. */
static void declare_facet(conv *c, ol_run *r, const cJSON *facets) {
  const cJSON *f = ol_facet(facets, "steward_model");
  if (!f) return;
  const char *name = str_at(f, "name");
  if (name) declare(c, r, name, cJSON_GetObjectItemCaseSensitive(f, "version"),
                    "facet");
  const cJSON *models = cJSON_GetObjectItemCaseSensitive(f, "models");
  for (const cJSON *x = cJSON_IsArray(models) ? models->child : NULL; x;
       x = x->next)
    declare(c, r, str_at(x, "name"),
            cJSON_GetObjectItemCaseSensitive(x, "version"), "facet");
}

/* Inputs that map to a model: the job reads the model as a dataset. */
static void declare_inputs(conv *c, ol_run *r, const event *e) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(e->j, "inputs");
  for (const cJSON *d = cJSON_IsArray(list) ? list->child : NULL; d;
       d = d->next) {
    ol_ref ref = ol_map_dataset(c->m, str_at(d, "namespace"),
                                str_at(d, "name"));
    if (ref.is_model) {
      const cJSON *vf = ol_facet(obj_at(d, "facets"), "version");
      ol_use_add(r, ref.id, vf ? str_at(vf, "datasetVersion") : NULL, "input");
    }
    free(ref.id);
  }
}

static void emit_run(conv *c, const event *e, const ol_run *r,
                     const char *job) {
  static const char *const status[] = {NULL, NULL, "complete", "abort",
                                       "fail"};
  const cJSON *run = obj_at(e->j, "run");
  cJSON *o = record(e, "run");
  cJSON_AddStringToObject(o, "subject", job);
  cJSON_AddStringToObject(o, "status", status[e->type]);
  if (r->started >= 0 && e->at >= r->started)
    cJSON_AddNumberToObject(o, "duration_s",
                            round((e->at - r->started) * 1000) / 1000);
  cJSON_AddStringToObject(o, "run_id", str_at(run, "runId"));
  const cJSON *em = ol_facet(obj_at(run, "facets"), "errorMessage");
  if (em && str_at(em, "message"))
    cJSON_AddStringToObject(o, "error", str_at(em, "message"));
  cJSON_AddStringToObject(o, "producer", str_at(e->j, "producer"));
  finish_record(c, o, obj_at(e->j, "job"));
}

static void emit_usage(conv *c, const event *e, const ol_use *u,
                       const char *job) {
  cJSON *o = record(e, "usage");
  cJSON_AddStringToObject(o, "model", u->model);
  cJSON_AddStringToObject(o, "caller", job);
  cJSON_AddNumberToObject(o, "count", 1);
  if (u->version) cJSON_AddStringToObject(o, "version", u->version);
  cJSON_AddStringToObject(o, "via", u->via);
  cJSON_AddStringToObject(o, "run_id", str_at(obj_at(e->j, "run"), "runId"));
  finish_record(c, o, obj_at(e->j, "job"));
}

/* A job seen in an event: what it is, who owns it (for --suggest). */
static ol_seen *seen_job(conv *c, const event *e, const ol_ref *jr) {
  const cJSON *job = obj_at(e->j, "job");
  ol_seen *x = seen_of(c, jr, 1, job, e);
  const cJSON *facets = obj_at(job, "facets");
  if (x && facets) {
    keep(&x->job_type, ol_facet(facets, "jobType"));
    seen_owners(x, facets);
  }
  return x;
}

static void convert_run(conv *c, const event *e) {
  const cJSON *job = obj_at(e->j, "job"), *run = obj_at(e->j, "run");
  ol_ref jr = ol_map_job(c->m, str_at(job, "namespace"), str_at(job, "name"));
  ol_run *r = ol_run_of(c->s, str_at(run, "runId"));
  if (!r->job || strcmp(r->job, jr.id)) {
    free(r->job);
    r->job = st_xstrdup(jr.id);
    r->changed = 1;
  }
  if (e->type == T_START && (r->started < 0 || e->at < r->started)) {
    r->started = e->at;
    r->changed = 1;
  }
  declare_facet(c, r, obj_at(job, "facets"));
  declare_facet(c, r, obj_at(run, "facets"));
  declare_inputs(c, r, e);
  int terminal = e->type == T_COMPLETE || e->type == T_FAIL ||
                 e->type == T_ABORT;
  if (terminal && !r->ended) {        /* a run ends once */
    emit_run(c, e, r, jr.id);
    for (size_t i = 0; i < r->nuses; i++)
      emit_usage(c, e, &r->uses[i], jr.id);
    r->ended = 1;
    r->changed = 1;
  }
  ol_seen *x = seen_job(c, e, &jr);
  for (size_t i = 0; x && i < r->nuses; i++) ol_strs_add(&x->uses,
                                                         r->uses[i].model);
  datasets_schema(c, e, "inputs", jr.id, x);
  datasets_schema(c, e, "outputs", jr.id, x);
  free(jr.id);
}

static void convert_job(conv *c, const event *e) {
  const cJSON *job = obj_at(e->j, "job");
  ol_ref jr = ol_map_job(c->m, str_at(job, "namespace"), str_at(job, "name"));
  ol_seen *x = seen_job(c, e, &jr);
  datasets_schema(c, e, "inputs", jr.id, x);
  datasets_schema(c, e, "outputs", jr.id, x);
  free(jr.id);
}

/* }--- */

static int event_cmp(const void *a, const void *b) {
  const event *x = a, *y = b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

int st_ol_convert(const st_ol_map *m, st_ol_state *s, const char *name,
                  const char *text, size_t len, cJSON *out, size_t *events,
                  char *err, size_t errlen) {
  batch b = {name, NULL, 0, 0, err, errlen};
  *events = 0;
  int rc = ol_read(&b, text, len);
  /* Every run is looked up before anything changes: a failing loader
   * leaves the state as it was. */
  for (size_t i = 0; i < b.n && !rc; i++)
    if (b.v[i].kind == EV_RUN)
      rc = ol_run_lookup(s, str_at(obj_at(b.v[i].j, "run"), "runId"), err,
                      errlen);
  if (!rc) {
    if (b.n > 1) qsort(b.v, b.n, sizeof *b.v, event_cmp);
    conv c = {m, s, out};
    for (size_t i = 0; i < b.n; i++) {
      const event *e = &b.v[i];
      if (e->kind == EV_RUN) convert_run(&c, e);
      else if (e->kind == EV_JOB) convert_job(&c, e);
      else dataset_schema(&c, e, obj_at(e->j, "dataset"), NULL);
    }
    *events = b.n;
  }
  ol_batch_free(&b);
  return rc;
}

/* }=== */
