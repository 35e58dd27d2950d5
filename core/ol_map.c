/* ol_map.c - see openlineage.h: OpenLineage names to registry ids, from
 * the registry's `openlineage` and `mlflow_name` fields and a map file. */
#include "ol_internal.h"

#include <stdlib.h>
#include <string.h>

#include "jsonpos.h"

/* Key tags: a job, a dataset, a model name (facets), a registry id. */
enum { TAG_JOB = 'J', TAG_DATASET = 'D', TAG_NAME = 'N', TAG_ID = 'I' };

/* What a key holds: the id it maps to (owned, or NULL for TAG_ID keys)
 * and the kind of that id when known (st_kind + 1; 0 unknown). Where the
 * mapping was made is found again only for a message: the registry node
 * and field, or the map file's pointer. */
typedef struct {
  char *id;
  int kind;
  int set;
  uint32_t node;             /* ST_NODE_NONE: not from the registry */
  const char *field;         /* "openlineage", "mlflow_name", NULL: its id */
  char *pointer;             /* in the map file, or NULL */
} entry;

struct st_ol_map {
  st_doc keys;
  entry *v;                  /* by atom */
  size_t cap;
  int has_registry;
};

/* What a conflict message needs to say where each side is. */
typedef struct {
  const st_registry *reg;
  const char *name, *text;   /* the map file being read, or NULL */
  size_t len;
  char *err;
  size_t errlen;
} build_ctx;

/* {=== Keys ============================================================= */

/* tag, a, and with b: NUL, b (the NUL keeps "a/b" + "c" from "a" + "b/c"). */
static uint32_t key_of(st_doc *d, int tag, const char *a, const char *b,
                       int add) {
  st_buf k;
  st_buf_init(&k);
  st_buf_putc(&k, (char)tag);
  st_buf_puts(&k, a);
  if (b) {
    st_buf_putc(&k, '\0');
    st_buf_puts(&k, b);
  }
  uint32_t atom = add ? st_doc_intern(d, k.data, k.len)
                      : st_doc_atom_find(d, k.data, k.len);
  st_buf_free(&k);
  return atom;
}

static const entry *find(const st_ol_map *m, int tag, const char *a,
                         const char *b) {
  uint32_t atom = key_of((st_doc *)&m->keys, tag, a, b, 0);
  if (atom == ST_ATOM_NONE || atom >= m->cap) return NULL;
  return m->v[atom].set ? &m->v[atom] : NULL;
}

/* Maps (tag, a, b) to x's id: NULL, or the entry it contradicts (a
 * different id for the same key). The same id twice is no contradiction. */
static const entry *put(st_ol_map *m, int tag, const char *a, const char *b,
                        const entry *x) {
  uint32_t atom = key_of(&m->keys, tag, a, b, 1);
  if (atom >= m->cap) {
    size_t old = m->cap;
    st_grow((void **)&m->v, &m->cap, (size_t)atom + 1, sizeof *m->v);
    memset(m->v + old, 0, (m->cap - old) * sizeof *m->v);
  }
  entry *e = &m->v[atom];
  if (e->set) return x->id && e->id && strcmp(e->id, x->id) ? e : NULL;
  *e = *x;
  e->set = 1;
  e->id = x->id ? st_xstrdup(x->id) : NULL;
  e->pointer = x->pointer ? st_xstrdup(x->pointer) : NULL;
  return NULL;
}

/* }=== */

/* {=== Where a mapping was made ========================================= */

static const char *node_str(const st_registry *r, st_val obj,
                            const char *key) {
  st_val v = st_doc_getk(&r->doc, obj, key);
  return v == ST_VAL_ABSENT ? NULL : st_doc_str(&r->doc, v, NULL);
}

/* "FILE:LINE:COL: POINTER" of a map file pointer, into out. */
static void map_where(const build_ctx *c, const char *pointer, st_buf *out) {
  size_t off = 0;
  int line = 1, col = 1;
  st_json_locate(c->text, c->len, pointer, &off);
  st_line_col(c->text, c->len, off, &line, &col);
  st_buf_printf(out, "%s:%d:%d: %s", c->name, line, col,
                *pointer ? pointer : "/");
}

/* Where e was made, appended to out. */
static void where_of(const build_ctx *c, const entry *e, st_buf *out) {
  if (e->pointer) {
    map_where(c, e->pointer, out);
    return;
  }
  char *p = st_registry_node_pointer(c->reg, e->node), where[512];
  if (!e->field) {
    st_buf_printf(out, "%s (its id)", p);
    free(p);
    return;
  }
  st_buf ptr;
  st_buf_init(&ptr);
  st_buf_printf(&ptr, "%s/%s", p, e->field);
  st_registry_where(c->reg, c->reg->graph.nodes[e->node].file, ptr.data, 0,
                    where, sizeof where);
  st_buf_printf(out, "%s: %s", where, ptr.data);
  st_buf_free(&ptr);
  free(p);
}

/* "WHERE: WHAT is mapped to 'ID' there and to 'PREV' at PREV-WHERE". */
static int conflict(const build_ctx *c, const entry *x, const entry *prev,
                    const char *what) {
  st_buf a, b;
  st_buf_init(&a);
  st_buf_init(&b);
  where_of(c, x, &a);
  where_of(c, prev, &b);
  int rc = st_errf(c->err, c->errlen, ST_EINPUT, "%s: %s is mapped to '%s' "
                   "there and to '%s' at %s", a.data, what, x->id, prev->id,
                   b.data);
  st_buf_free(&a);
  st_buf_free(&b);
  return rc;
}

/* }=== */

/* {=== From the registry ================================================ */

/* A node's openlineage field: a job for a workflow, a dataset for a
 * dataset or a model; ignored on owners and systems. */
static int add_node_identity(st_ol_map *m, const build_ctx *c, uint32_t n) {
  const st_registry *r = c->reg;
  const st_node *node = &r->graph.nodes[n];
  st_val ol = st_doc_getk(&r->doc, node->value, "openlineage");
  if (ol == ST_VAL_ABSENT || ST_VAL_TAG(ol) != ST_T_OBJ) return ST_OK;
  if (node->kind != ST_KIND_WORKFLOW && node->kind != ST_KIND_DATASET &&
      node->kind != ST_KIND_MODEL)
    return ST_OK;
  const char *ns = node_str(r, ol, "namespace");
  const char *name = node_str(r, ol, "name");
  entry x = {(char *)st_doc_atom_str(&r->doc, node->id, NULL),
             node->kind + 1, 0, n, "openlineage", NULL};
  if (!ns || !name || !*ns || !*name) {
    st_buf w;
    st_buf_init(&w);
    where_of(c, &x, &w);
    int rc = st_errf(c->err, c->errlen, ST_EINPUT, "%s: needs both a "
                     "namespace and a name", w.data);
    st_buf_free(&w);
    return rc;
  }
  int tag = node->kind == ST_KIND_WORKFLOW ? TAG_JOB : TAG_DATASET;
  char what[600];
  snprintf(what, sizeof what, "the OpenLineage %s %s/%s",
           tag == TAG_JOB ? "job" : "dataset", ns, name);
  const entry *prev = put(m, tag, ns, name, &x);
  return prev ? conflict(c, &x, prev, what) : ST_OK;
}

/* A model's mlflow_name, after every id: a name that is another model's
 * id is a conflict, not a silent choice. */
static int add_node_alias(st_ol_map *m, const build_ctx *c, uint32_t n) {
  const st_registry *r = c->reg;
  const st_node *node = &r->graph.nodes[n];
  const char *alias = node->kind == ST_KIND_MODEL ?
                      node_str(r, node->value, "mlflow_name") : NULL;
  if (!alias || !*alias) return ST_OK;
  entry x = {(char *)st_doc_atom_str(&r->doc, node->id, NULL),
             ST_KIND_MODEL + 1, 0, n, "mlflow_name", NULL};
  char what[600];
  snprintf(what, sizeof what, "the model name '%s'", alias);
  const entry *prev = put(m, TAG_NAME, alias, NULL, &x);
  return prev ? conflict(c, &x, prev, what) : ST_OK;
}

static int add_registry(st_ol_map *m, const build_ctx *c) {
  const st_registry *r = c->reg;
  for (uint32_t n = 0; n < r->graph.nnodes; n++) {
    const st_node *node = &r->graph.nodes[n];
    entry x = {(char *)st_doc_atom_str(&r->doc, node->id, NULL),
               node->kind + 1, 0, n, NULL, NULL};
    put(m, TAG_ID, x.id, NULL, &(entry){NULL, x.kind, 0, n, NULL, NULL});
    if (node->kind == ST_KIND_MODEL) put(m, TAG_NAME, x.id, NULL, &x);
  }
  int rc = ST_OK;
  for (uint32_t n = 0; n < r->graph.nnodes && !rc; n++)
    rc = add_node_identity(m, c, n);
  for (uint32_t n = 0; n < r->graph.nnodes && !rc; n++)
    rc = add_node_alias(m, c, n);
  return rc;
}

/* }=== */

/* {=== From a map file ================================================== */

static int map_bad(const build_ctx *c, const char *pointer, const char *what) {
  st_buf w;
  st_buf_init(&w);
  map_where(c, pointer, &w);
  int rc = st_errf(c->err, c->errlen, ST_EINPUT, "%s: %s", w.data, what);
  st_buf_free(&w);
  return rc;
}

static const char *member(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

/* One entry of a section: {namespace, name, id}, or for models also
 * {name, id}: a name a steward_model facet gives. */
static int map_entry(st_ol_map *m, const build_ctx *c, const cJSON *e,
                     const char *section, int i) {
  char p[64], what[600];
  snprintf(p, sizeof p, "/%s/%d", section, i);
  int models = !strcmp(section, "models");
  if (!cJSON_IsObject(e))
    return map_bad(c, p, "expected an object {namespace, name, id}");
  const char *ns = member(e, "namespace"), *name = member(e, "name");
  const char *id = member(e, "id");
  if (!name || !id || (!ns && (!models ||
                               cJSON_GetObjectItemCaseSensitive(e,
                                                                "namespace"))))
    return map_bad(c, p, models ? "expected {namespace, name, id} or "
                   "{name, id}, each a non-empty string" :
                   "expected {namespace, name, id}, each a non-empty string");
  int tag = !strcmp(section, "jobs") ? TAG_JOB : ns ? TAG_DATASET : TAG_NAME;
  int kind = models ? ST_KIND_MODEL + 1 : tag == TAG_JOB ?
             ST_KIND_WORKFLOW + 1 : ST_KIND_DATASET + 1;
  if (ns) snprintf(what, sizeof what, "the OpenLineage %s %s/%s",
                   tag == TAG_JOB ? "job" : "dataset", ns, name);
  else snprintf(what, sizeof what, "the model name '%s'", name);
  entry x = {(char *)id, kind, 0, ST_NODE_NONE, NULL, p};
  const entry *prev = put(m, tag, ns ? ns : name, ns ? name : NULL, &x);
  return prev ? conflict(c, &x, prev, what) : ST_OK;
}

static int add_map(st_ol_map *m, const build_ctx *c) {
  cJSON *root = st_json_parse_named(c->name, c->text, c->len, c->err,
                                    c->errlen);
  if (!root) return ST_EINPUT;
  int rc = ST_OK;
  if (!cJSON_IsObject(root))
    rc = map_bad(c, "", "a map file is an object with jobs, datasets and "
                 "models");
  for (const cJSON *s = cJSON_IsObject(root) ? root->child : NULL; s && !rc;
       s = s->next) {
    st_buf p;
    st_buf_init(&p);
    st_buf_pointer_token(&p, s->string);
    if (s->string[0] == '$') {
      /* metadata: "$comment", "$schema" */
    } else if (strcmp(s->string, "jobs") && strcmp(s->string, "datasets") &&
               strcmp(s->string, "models")) {
      rc = map_bad(c, p.data, "unknown section (expected jobs, datasets or "
                   "models)");
    } else if (!cJSON_IsArray(s)) {
      rc = map_bad(c, p.data, "expected an array of entries");
    } else {
      int i = 0;
      for (const cJSON *e = s->child; e && !rc; e = e->next, i++)
        rc = map_entry(m, c, e, s->string, i);
    }
    st_buf_free(&p);
  }
  cJSON_Delete(root);
  return rc;
}

/* }=== */

int st_ol_map_new(const st_registry *reg, const char *map_name,
                  const char *map_text, size_t map_len, st_ol_map **out,
                  char *err, size_t errlen) {
  st_ol_map *m = st_xcalloc(1, sizeof *m);
  st_doc_init(&m->keys);
  m->has_registry = reg != NULL;
  build_ctx c = {reg, map_name ? map_name : "map", map_text, map_len, err,
                 errlen};
  int rc = reg ? add_registry(m, &c) : ST_OK;
  if (!rc && map_text) rc = add_map(m, &c);
  if (rc) {
    st_ol_map_free(m);
    m = NULL;
  }
  *out = m;
  return rc;
}

int st_ol_map_load(const st_registry *reg, const char *map_path,
                   st_ol_map **out, char *err, size_t errlen) {
  if (!map_path) return st_ol_map_new(reg, NULL, NULL, 0, out, err, errlen);
  size_t len;
  char *text = st_read_file(map_path, &len, err, errlen);
  *out = NULL;
  if (!text) return ST_EIO;
  int rc = st_ol_map_new(reg, map_path, text, len, out, err, errlen);
  free(text);
  return rc;
}

void st_ol_map_free(st_ol_map *m) {
  if (!m) return;
  for (size_t i = 0; i < m->keys.natoms && i < m->cap; i++) {
    free(m->v[i].id);
    free(m->v[i].pointer);
  }
  free(m->v);
  st_doc_free(&m->keys);
  free(m);
}

/* {=== Resolving ======================================================== */

/* Registered: the registry has the id; without one, a mapping named it.
 * A model: the registry says so, or the mapping does (a map file's models
 * entry). */
static ol_ref resolved(const st_ol_map *m, const entry *e, char *fallback) {
  ol_ref r = {NULL, 0, 0};
  const char *id = e && e->id ? e->id : fallback;
  const entry *known = find(m, TAG_ID, id, NULL);
  r.id = st_xstrdup(id);
  r.registered = m->has_registry ? known != NULL : e && e->id;
  r.is_model = known ? known->kind == ST_KIND_MODEL + 1
                     : e && e->kind == ST_KIND_MODEL + 1;
  free(fallback);
  return r;
}

static char *slash(const char *ns, const char *name) {
  st_buf b;
  st_buf_init(&b);
  st_buf_printf(&b, "%s/%s", ns, name);
  return st_buf_take(&b);
}

ol_ref ol_map_job(const st_ol_map *m, const char *ns, const char *name) {
  return resolved(m, find(m, TAG_JOB, ns, name), slash(ns, name));
}

ol_ref ol_map_dataset(const st_ol_map *m, const char *ns, const char *name) {
  return resolved(m, find(m, TAG_DATASET, ns, name), slash(ns, name));
}

ol_ref ol_map_model(const st_ol_map *m, const char *name) {
  ol_ref r = resolved(m, find(m, TAG_NAME, name, NULL), st_xstrdup(name));
  r.is_model = 1;            /* a facet says it is one, registered or not */
  return r;
}

int ol_map_is_owner(const st_ol_map *m, const char *id) {
  const entry *e = find(m, TAG_ID, id, NULL);
  return e && e->kind == ST_KIND_OWNER + 1;
}

/* }=== */
