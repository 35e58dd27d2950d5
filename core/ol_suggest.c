/* ol_suggest.c - see openlineage.h: the registry fragment of the jobs and
 * datasets events named that are not registered, and of their owners.
 *
 * It is shaped like a registry file, but its sections sit under
 * "suggestions", which steward refuses as a registry section: dropped into
 * a registry directory as it is, it fails the load loudly instead of being
 * merged. Entries are sorted by id; each carries "x-suggested", what the
 * events said (how many, first and last seen, the jobType facet, the
 * fields of the latest schema facet, the ownership facet's owner). */
#include "ol_internal.h"

#include <stdlib.h>
#include <string.h>

static const char COMMENT[] =
  "Suggestions of steward import openlineage --suggest: jobs and datasets "
  "seen in lineage events that the registry does not have. Review each "
  "entry, then move what is right into a registry file yourself. This file "
  "is not a registry: steward refuses to load it, so nothing here is ever "
  "merged silently.";

/* An OpenLineage owner name ("team:data-eng", "user:ana@example.com")
 * as an owner id and a type (NULL when the name does not say). */
static char *owner_id(const char *name, const char **type) {
  static const struct { const char *prefix, *type; } kinds[] = {
    {"team:", "team"}, {"group:", "team"}, {"user:", "person"}};
  *type = strchr(name, '@') ? "person" : NULL;
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
    size_t n = strlen(kinds[i].prefix);
    if (!strncmp(name, kinds[i].prefix, n) && name[n]) {
      *type = kinds[i].type;
      return st_xstrdup(name + n);
    }
  }
  return st_xstrdup(name);
}

/* The first owner of the ownership facet becomes the entry's owner; an
 * owner the registry does not have is suggested too. */
static void add_owner(cJSON *entry, const ol_seen *x, cJSON *owners,
                      const st_ol_map *m) {
  const cJSON *first = cJSON_IsArray(x->owners) ? x->owners->child : NULL;
  const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(first, "name"));
  if (!name) return;
  const char *type;
  char *id = owner_id(name, &type);
  cJSON_AddStringToObject(entry, "owner", id);
  if (!ol_map_is_owner(m, id) && !cJSON_GetObjectItemCaseSensitive(owners,
                                                                    id)) {
    cJSON *o = cJSON_AddObjectToObject(owners, id);
    cJSON_AddStringToObject(o, "name", name);
    if (type) cJSON_AddStringToObject(o, "type", type);
    cJSON *why = cJSON_AddObjectToObject(o, "x-suggested");
    cJSON_AddStringToObject(why, "openlineage_owner", name);
    const char *role = cJSON_GetStringValue(cJSON_GetObjectItem(first,
                                                                "type"));
    if (role) cJSON_AddStringToObject(why, "role", role);
  }
  free(id);
}

static void add_ids(cJSON *entry, const char *key, const ol_strs *l) {
  if (!l->n) return;
  cJSON *a = cJSON_AddArrayToObject(entry, key);
  for (size_t i = 0; i < l->n; i++)
    cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
}

/* What the jobType facet says the job is. Every job is suggested as a
 * workflow; the hint says what kind, and warns about a DAG, whose tasks
 * may be registered instead. */
static void add_job_type(cJSON *why, const cJSON *jt) {
  const char *job = cJSON_GetStringValue(cJSON_GetObjectItem(jt, "jobType"));
  const char *proc = cJSON_GetStringValue(cJSON_GetObjectItem(
                                            jt, "processingType"));
  const char *integ = cJSON_GetStringValue(cJSON_GetObjectItem(
                                             jt, "integration"));
  st_buf hint;
  st_buf_init(&hint);
  st_buf_puts(&hint, "workflow");
  if (job || proc || integ)
    st_buf_printf(&hint, ": a %s%s%s%s%s", proc ? proc : "",
                  proc ? " " : "", job ? job : "job", integ ? " of " : "",
                  integ ? integ : "");
  if (job && !strcmp(job, "DAG"))
    st_buf_puts(&hint, "; a DAG holds tasks: register it or its tasks, "
                "not both");
  cJSON_AddStringToObject(why, "kind_hint", hint.data);
  st_buf_free(&hint);
  if (!jt) return;
  cJSON *copy = cJSON_AddObjectToObject(why, "job_type");
  for (const cJSON *f = jt->child; f; f = f->next)
    if (f->string[0] != '_' && cJSON_IsString(f))
      cJSON_AddStringToObject(copy, f->string, f->valuestring);
}

/* The fields of a schema facet as [{name, type}]. */
static cJSON *fields_of(const cJSON *fields) {
  cJSON *a = cJSON_CreateArray();
  for (const cJSON *f = cJSON_IsArray(fields) ? fields->child : NULL; f;
       f = f->next) {
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "name", cJSON_GetStringValue(
                              cJSON_GetObjectItem(f, "name")));
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(f, "type"));
    if (type) cJSON_AddStringToObject(x, "type", type);
    cJSON_AddItemToArray(a, x);
  }
  return a;
}

static cJSON *entry_of(const ol_seen *x, cJSON *owners, const st_ol_map *m) {
  cJSON *e = cJSON_CreateObject();
  cJSON *ol = cJSON_AddObjectToObject(e, "openlineage");
  cJSON_AddStringToObject(ol, "namespace", x->ns);
  cJSON_AddStringToObject(ol, "name", x->name);
  add_owner(e, x, owners, m);
  if (x->is_job) {
    add_ids(e, "uses", &x->uses);
    add_ids(e, "reads", &x->reads);
    add_ids(e, "writes", &x->writes);
  } else if (x->version) {
    cJSON_AddStringToObject(e, "schema_version", x->version);
  }
  cJSON *why = cJSON_AddObjectToObject(e, "x-suggested");
  cJSON_AddNumberToObject(why, "events", (double)x->events);
  cJSON_AddStringToObject(why, "first_seen", x->first_at);
  cJSON_AddStringToObject(why, "last_seen", x->last_at);
  if (x->is_job) add_job_type(why, x->job_type);
  else if (x->fields) cJSON_AddItemToObject(why, "fields",
                                            fields_of(x->fields));
  return e;
}

static int by_id(const void *a, const void *b) {
  const ol_seen *x = *(const ol_seen *const *)a;
  const ol_seen *y = *(const ol_seen *const *)b;
  if (x->is_job != y->is_job) return x->is_job - y->is_job;
  return strcmp(x->id, y->id);
}

cJSON *st_ol_suggest(const st_ol_state *s, const st_ol_map *m) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "$comment", COMMENT);
  cJSON *sug = cJSON_AddObjectToObject(root, "suggestions");
  cJSON *owners = cJSON_AddObjectToObject(sug, "owners");
  cJSON *datasets = cJSON_AddObjectToObject(sug, "datasets");
  cJSON *workflows = cJSON_AddObjectToObject(sug, "workflows");
  size_t n = s->seen_keys.natoms < s->seen_cap ? s->seen_keys.natoms
                                               : s->seen_cap;
  const ol_seen **v = st_xmalloc((n ? n : 1) * sizeof *v);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (s->seen[i].id) v[k++] = &s->seen[i];
  if (k > 1) qsort(v, k, sizeof *v, by_id);
  for (size_t i = 0; i < k; i++)
    cJSON_AddItemToObject(v[i]->is_job ? workflows : datasets, v[i]->id,
                          entry_of(v[i], owners, m));
  free(v);
  return root;
}
