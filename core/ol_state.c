/* ol_state.c - see openlineage.h: what is known of each run across
 * inputs (its job, its START, the models it declared, whether it ended),
 * as JSON for the caller to keep, and the state's life. */
#include "ol_internal.h"

#include <stdlib.h>
#include <string.h>

/* {=== The state: what is known of each run ============================ */

st_ol_state *st_ol_state_new(st_ol_load_fn load, void *ud, int suggest) {
  st_ol_state *s = st_xcalloc(1, sizeof *s);
  s->load = load;
  s->ud = ud;
  s->suggest = suggest;
  st_doc_init(&s->run_keys);
  st_doc_init(&s->seen_keys);
  return s;
}

static void run_free(ol_run *r) {
  if (!r) return;
  for (size_t i = 0; i < r->nuses; i++) {
    free(r->uses[i].model);
    free(r->uses[i].version);
    free(r->uses[i].via);
  }
  free(r->uses);
  free(r->job);
  free(r);
}

static void seen_free(ol_seen *x) {
  free(x->id);
  free(x->ns);
  free(x->name);
  free(x->first_at);
  free(x->last_at);
  free(x->version);
  cJSON_Delete(x->job_type);
  cJSON_Delete(x->owners);
  cJSON_Delete(x->fields);
  ol_strs_free(&x->reads);
  ol_strs_free(&x->writes);
  ol_strs_free(&x->uses);
}

void st_ol_state_free(st_ol_state *s) {
  if (!s) return;
  for (size_t i = 0; i < s->run_keys.natoms && i < s->runs_cap; i++)
    run_free(s->runs[i]);
  free(s->runs);
  for (size_t i = 0; i < s->seen_keys.natoms && i < s->seen_cap; i++)
    seen_free(&s->seen[i]);
  free(s->seen);
  st_doc_free(&s->run_keys);
  st_doc_free(&s->seen_keys);
  free(s);
}

void ol_use_add(ol_run *r, const char *model, const char *version,
                    const char *via) {
  for (size_t i = 0; i < r->nuses; i++) {
    ol_use *u = &r->uses[i];
    if (strcmp(u->model, model)) continue;
    if (!u->version && version) {   /* a later event says the version */
      u->version = st_xstrdup(version);
      r->changed = 1;
    }
    return;
  }
  st_grow((void **)&r->uses, &r->uses_cap, r->nuses + 1, sizeof *r->uses);
  r->uses[r->nuses++] = (ol_use){st_xstrdup(model),
                                 version ? st_xstrdup(version) : NULL,
                                 st_xstrdup(via)};
  r->changed = 1;
}

/* A run's state from its JSON; a run of an unreadable state starts
 * afresh rather than failing every event about it. */
static void run_from_json(ol_run *r, const char *text) {
  cJSON *j = cJSON_Parse(text);
  const char *job = cJSON_GetStringValue(cJSON_GetObjectItem(j, "job"));
  const cJSON *started = cJSON_GetObjectItem(j, "started");
  r->job = job ? st_xstrdup(job) : NULL;
  r->started = cJSON_IsNumber(started) ? started->valuedouble : -1;
  r->ended = cJSON_IsTrue(cJSON_GetObjectItem(j, "ended"));
  const cJSON *uses = cJSON_GetObjectItem(j, "uses");
  for (const cJSON *u = cJSON_IsArray(uses) ? uses->child : NULL; u;
       u = u->next) {
    const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(u, "model"));
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(u, "version"));
    const char *via = cJSON_GetStringValue(cJSON_GetObjectItem(u, "via"));
    if (m) ol_use_add(r, m, v, via ? via : "facet");
  }
  r->changed = 0;
  cJSON_Delete(j);
}

static char *run_to_json(const ol_run *r) {
  cJSON *j = cJSON_CreateObject();
  if (r->job) cJSON_AddStringToObject(j, "job", r->job);
  else cJSON_AddNullToObject(j, "job");
  if (r->started >= 0) cJSON_AddNumberToObject(j, "started", r->started);
  else cJSON_AddNullToObject(j, "started");
  cJSON_AddBoolToObject(j, "ended", r->ended);
  cJSON *uses = cJSON_AddArrayToObject(j, "uses");
  for (size_t i = 0; i < r->nuses; i++) {
    cJSON *u = cJSON_CreateObject();
    cJSON_AddStringToObject(u, "model", r->uses[i].model);
    if (r->uses[i].version)
      cJSON_AddStringToObject(u, "version", r->uses[i].version);
    cJSON_AddStringToObject(u, "via", r->uses[i].via);
    cJSON_AddItemToArray(uses, u);
  }
  char *text = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  char *out = st_xstrdup(text);
  cJSON_free(text);
  return out;
}

/* The run's slot, looked up in the caller's state the first time. */
int ol_run_lookup(st_ol_state *s, const char *id, char *err,
                  size_t errlen) {
  uint32_t atom = st_doc_intern(&s->run_keys, id, strlen(id));
  if (atom >= s->runs_cap) {
    size_t old = s->runs_cap;
    st_grow((void **)&s->runs, &s->runs_cap, (size_t)atom + 1,
            sizeof *s->runs);
    memset(s->runs + old, 0, (s->runs_cap - old) * sizeof *s->runs);
  }
  if (s->runs[atom]) return ST_OK;
  char *text = NULL;
  if (s->load && s->load(s->ud, id, &text, err, errlen) != ST_OK)
    return ST_EIO;
  ol_run *r = st_xcalloc(1, sizeof *r);
  r->started = -1;
  if (text) run_from_json(r, text);
  free(text);
  s->runs[atom] = r;
  return ST_OK;
}

ol_run *ol_run_of(st_ol_state *s, const char *id) {
  uint32_t atom = st_doc_atom_find(&s->run_keys, id, strlen(id));
  return atom == ST_ATOM_NONE || atom >= s->runs_cap ? NULL : s->runs[atom];
}

size_t st_ol_state_changed(st_ol_state *s, char ***run_ids, char ***states) {
  size_t n = 0, cap = 0, cap2 = 0;
  *run_ids = NULL;
  *states = NULL;
  for (uint32_t a = 0; a < s->run_keys.natoms && a < s->runs_cap; a++) {
    ol_run *r = s->runs[a];
    if (!r || !r->changed) continue;
    st_grow((void **)run_ids, &cap, n + 1, sizeof **run_ids);
    st_grow((void **)states, &cap2, n + 1, sizeof **states);
    (*run_ids)[n] = st_xstrdup(st_doc_atom_str(&s->run_keys, a, NULL));
    (*states)[n] = run_to_json(r);
    r->changed = 0;
    n++;
  }
  return n;
}

/* }=== */

