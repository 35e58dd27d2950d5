/* impact.c - see impact.h. */
#include "impact.h"

#include <stdlib.h>
#include <string.h>

#include "dot.h"
#include "patch.h"
#include "report.h"

#define MAX_FIELDS 32

const char *st_verdict_name(st_verdict v) {
  return v == ST_VERDICT_BLOCKED ? "blocked" :
         v == ST_VERDICT_REVIEW ? "review" : "clear";
}

void st_impact_free(st_impact *im) {
  st_registry_free(&im->before);
  st_registry_free(&im->after);
  st_findings_free(&im->found_before);
  st_findings_free(&im->found_after);
  free(im->highlight);
  free(im->keep);
  cJSON_Delete(im->result);
  memset(im, 0, sizeof *im);
}

int st_impact_exit_code(const st_impact *im) {
  if (im->failed) return 3;
  return im->verdict == ST_VERDICT_BLOCKED ? 1 : 0;
}

/* {=== Both sides ======================================================= */

static int load_side(st_registry *r, const cJSON *doc, const char *name,
                     const st_load_opts *lo, char *err, size_t errlen) {
  int rc = st_registry_add_unlocated(r, doc, name, err, errlen);
  return rc ? rc : st_registry_finish(r, lo, err, errlen);
}

static int build_sides(st_impact *im, const st_registry *reg,
                       const cJSON *change, const st_impact_opts *o,
                       char *err, size_t errlen) {
  cJSON *doc = st_registry_export(reg);
  char perr[ST_ERRLEN], name[1100];
  int rc = load_side(&im->before, doc, reg->nfiles ? reg->files[0].name :
                     "registry", &o->load, err, errlen);
  /* The same document, patched in place, is the registry after. */
  if (!rc && st_patch_apply(&doc, change, perr, sizeof perr) != 0)
    rc = st_errf(err, errlen, ST_EINPUT, "%s: %s", o->change_name, perr);
  snprintf(name, sizeof name, "%s: after the change", o->change_name);
  if (!rc) rc = load_side(&im->after, doc, name, &o->load, err, errlen);
  cJSON_Delete(doc);
  return rc;
}

static size_t evaluate(st_policyset *set, st_registry *r, const st_obsset *obs,
                       st_findings *out, double now) {
  size_t failed = st_policyset_eval(set, r, obs, out);
  st_findings_move(out, &r->load_findings);
  st_registry_apply_waivers(r, out, now);
  st_findings_sort(out);
  return failed;
}

/* }=== */

/* {=== Diffing findings ================================================= */

typedef struct {
  char *key;
  size_t idx;
} keyed;

static int keyed_cmp(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

/* Keys "policy \x1f subject \x1f key-or-message", sorted. Caller frees. */
static keyed *keys_of(const st_findings *f) {
  keyed *k = st_xmalloc((f->n ? f->n : 1) * sizeof *k);
  for (size_t i = 0; i < f->n; i++) {
    const st_finding *x = &f->v[i];
    st_buf b;
    st_buf_init(&b);
    st_buf_printf(&b, "%s\x1f%s\x1f%s", x->policy, x->subject,
                  x->key ? x->key : x->message);
    k[i] = (keyed){st_buf_take(&b), i};
  }
  if (f->n > 1) qsort(k, f->n, sizeof *k, keyed_cmp);
  return k;
}

static void free_keys(keyed *k, size_t n) {
  for (size_t i = 0; i < n; i++) free(k[i].key);
  free(k);
}

typedef struct {
  cJSON *added, *resolved;
  size_t unchanged, blocking;
} finding_diff;

/* A sorted merge of the two key lists: keys only after are new, only
 * before resolved, in both unchanged (as a multiset). */
static void diff_findings(const st_findings *b, const st_findings *a,
                          int fail_on, finding_diff *d) {
  keyed *kb = keys_of(b), *ka = keys_of(a);
  size_t i = 0, j = 0;
  d->added = cJSON_CreateArray();
  d->resolved = cJSON_CreateArray();
  d->unchanged = d->blocking = 0;
  while (i < b->n || j < a->n) {
    int c = i == b->n ? 1 : j == a->n ? -1 : strcmp(kb[i].key, ka[j].key);
    if (c == 0) {
      d->unchanged++;
      i++, j++;
    } else if (c < 0) {
      cJSON_AddItemToArray(d->resolved, st_finding_json(&b->v[kb[i++].idx]));
    } else {
      const st_finding *x = &a->v[ka[j++].idx];
      cJSON_AddItemToArray(d->added, st_finding_json(x));
      if (!x->waiver && !x->error && x->enforcement != ST_ENF_ADVISORY &&
          x->severity >= fail_on)
        d->blocking++;
    }
  }
  free_keys(kb, b->n);
  free_keys(ka, a->n);
}

/* }=== */

/* {=== Touched nodes ==================================================== */

/* Structural equality of values in two different docs. */
static int values_equal(const st_doc *da, st_val a, const st_doc *db,
                        st_val b) {
  unsigned ta = ST_VAL_TAG(a), tb = ST_VAL_TAG(b);
  if (st_doc_is_num(a) && st_doc_is_num(b))
    return st_doc_num(da, a) == st_doc_num(db, b);
  if (ta != tb) return 0;
  if (ta == ST_T_STR) {
    size_t la, lb;
    const char *sa = st_doc_str(da, a, &la), *sb = st_doc_str(db, b, &lb);
    return la == lb && !memcmp(sa, sb, la);
  }
  if (ta != ST_T_ARR && ta != ST_T_OBJ) return a == b || ta <= ST_T_TRUE;
  uint32_t n = st_doc_len(da, a);
  if (n != st_doc_len(db, b)) return 0;
  for (uint32_t i = 0; i < n; i++) {
    if (ta == ST_T_ARR) {
      if (!values_equal(da, st_doc_at(da, a, i), db, st_doc_at(db, b, i)))
        return 0;
      continue;
    }
    size_t klen;
    const char *k = st_doc_atom_str(da, st_doc_key_at(da, a, i), &klen);
    st_val other = st_doc_get(db, b, st_doc_atom_find(db, k, klen));
    if (other == ST_VAL_ABSENT ||
        !values_equal(da, st_doc_val_at(da, a, i), db, other))
      return 0;
  }
  return 1;
}

/* Appends to `out` the pointers (under prefix) of members that differ. */
static void field_diff(const st_doc *da, st_val a, const st_doc *db, st_val b,
                       const char *prefix, cJSON *out) {
  if (cJSON_GetArraySize(out) >= MAX_FIELDS) return;
  if (ST_VAL_TAG(a) != ST_T_OBJ || ST_VAL_TAG(b) != ST_T_OBJ) {
    if (a == ST_VAL_ABSENT || b == ST_VAL_ABSENT ||
        !values_equal(da, a, db, b))
      cJSON_AddItemToArray(out, cJSON_CreateString(prefix));
    return;
  }
  for (int side = 0; side < 2; side++) {
    const st_doc *d1 = side ? db : da, *d2 = side ? da : db;
    st_val v1 = side ? b : a, v2 = side ? a : b;
    for (uint32_t i = 0; i < st_doc_len(d1, v1); i++) {
      size_t klen;
      const char *k = st_doc_atom_str(d1, st_doc_key_at(d1, v1, i), &klen);
      st_val o = st_doc_get(d2, v2, st_doc_atom_find(d2, k, klen));
      if (side && o != ST_VAL_ABSENT) continue;   /* seen from side 0 */
      st_buf p;
      st_buf_init(&p);
      st_buf_puts(&p, prefix);
      st_buf_pointer_token(&p, k);
      st_val x = st_doc_val_at(d1, v1, i);
      field_diff(side ? d2 : d1, side ? o : x, side ? d1 : d2, side ? x : o,
                 p.data, out);
      st_buf_free(&p);
    }
  }
}

typedef struct {
  uint32_t *after, *before;      /* touched node indices on each side */
  size_t nafter, nbefore;
} touched_set;

static cJSON *touched_json(const st_registry *r, uint32_t n,
                           const char *change, cJSON *fields) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", st_graph_id(&r->graph, n));
  cJSON_AddStringToObject(o, "kind",
                          st_kind_name((st_kind)r->graph.nodes[n].kind));
  cJSON_AddStringToObject(o, "change", change);
  const char *owner = st_graph_owner_id(&r->graph, n);
  if (owner) cJSON_AddStringToObject(o, "owner", owner);
  else cJSON_AddNullToObject(o, "owner");
  cJSON_AddItemToObject(o, "fields", fields ? fields : cJSON_CreateArray());
  return o;
}

static void add_index(uint32_t **v, size_t *n, uint32_t x) {
  *v = st_xrealloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = x;
}

static cJSON *find_touched(const st_impact *im, touched_set *t) {
  const st_registry *b = &im->before, *a = &im->after;
  cJSON *out = cJSON_CreateArray();
  for (uint32_t i = 0; i < b->graph.nnodes; i++) {
    const char *id = st_graph_id(&b->graph, i);
    uint32_t j = st_graph_find(&a->graph, id, strlen(id));
    if (j == ST_NODE_NONE) {
      add_index(&t->before, &t->nbefore, i);
      cJSON_AddItemToArray(out, touched_json(b, i, "removed", NULL));
      continue;
    }
    const st_node *nb = &b->graph.nodes[i], *na = &a->graph.nodes[j];
    if (nb->kind == na->kind &&
        values_equal(&b->doc, nb->value, &a->doc, na->value))
      continue;
    char *prefix = st_registry_node_pointer(a, j);
    cJSON *fields = cJSON_CreateArray();
    field_diff(&b->doc, nb->value, &a->doc, na->value, prefix, fields);
    free(prefix);
    add_index(&t->before, &t->nbefore, i);
    add_index(&t->after, &t->nafter, j);
    cJSON_AddItemToArray(out, touched_json(a, j, "changed", fields));
  }
  for (uint32_t j = 0; j < a->graph.nnodes; j++) {
    const char *id = st_graph_id(&a->graph, j);
    if (st_graph_find(&b->graph, id, strlen(id)) != ST_NODE_NONE) continue;
    add_index(&t->after, &t->nafter, j);
    cJSON_AddItemToArray(out, touched_json(a, j, "added", NULL));
  }
  return out;
}

/* }=== */

/* {=== Blast radius ===================================================== */

typedef struct {
  uint32_t dist;             /* UINT32_MAX: not affected */
  int side;                  /* 0 after, 1 before */
  uint32_t node;             /* the node on that side */
} reach;

/* The path from a touched node to n, as ids, following via links. */
static cJSON *via_json(const st_walker *w, uint32_t n) {
  uint32_t len = w->dist[n] + 1;
  const char **ids = st_xmalloc(len * sizeof *ids);
  for (uint32_t i = len, x = n; i-- > 0; x = w->via[x])
    ids[i] = st_graph_id(w->g, x);
  cJSON *arr = cJSON_CreateArray();
  for (uint32_t i = 0; i < len; i++)
    cJSON_AddItemToArray(arr, cJSON_CreateString(ids[i]));
  free(ids);
  return arr;
}

static cJSON *flags_json(const st_registry *r, uint32_t n) {
  const st_doc *d = &r->doc;
  st_val v = r->graph.nodes[n].value;
  st_val decision = st_doc_getk(d, v, "decision");
  cJSON *f = cJSON_CreateObject();
  const char *stage = st_doc_str(d, st_doc_getk(d, v, "stage"), NULL);
  if (stage) cJSON_AddStringToObject(f, "stage", stage);
  const char *stakes = st_doc_str(d, st_doc_getk(d, decision, "stakes"), NULL);
  cJSON_AddBoolToObject(f, "high_stakes", stakes && !strcmp(stakes, "high"));
  cJSON_AddBoolToObject(f, "irreversible",
                        ST_VAL_TAG(st_doc_getk(d, decision, "reversible")) ==
                        ST_T_FALSE);
  return f;
}

static int needs_review(const cJSON *flags) {
  return cJSON_IsTrue(cJSON_GetObjectItem(flags, "high_stakes")) ||
         cJSON_IsTrue(cJSON_GetObjectItem(flags, "irreversible"));
}

/* Merges the walks on both sides into one reach per node of `after`. */
static reach *merge_walks(st_impact *im, st_walker *wa, st_walker *wb,
                          const touched_set *t) {
  size_t n = im->after.graph.nnodes;
  reach *r = st_xmalloc((n ? n : 1) * sizeof *r);
  for (size_t i = 0; i < n; i++) r[i] = (reach){UINT32_MAX, 0, 0};
  st_graph_walk(wa, t->after, t->nafter, ST_PROPAGATE_OUT, ST_PROPAGATE_IN, -1);
  for (size_t i = 0; i < wa->nqueue; i++) {
    uint32_t x = wa->queue[i];
    r[x] = (reach){wa->dist[x], 0, x};
  }
  st_graph_walk(wb, t->before, t->nbefore, ST_PROPAGATE_OUT, ST_PROPAGATE_IN,
                -1);
  for (size_t i = 0; i < wb->nqueue; i++) {
    uint32_t x = wb->queue[i];
    const char *id = st_graph_id(&im->before.graph, x);
    uint32_t y = st_graph_find(&im->after.graph, id, strlen(id));
    if (y != ST_NODE_NONE && wb->dist[x] < r[y].dist)
      r[y] = (reach){wb->dist[x], 1, x};
  }
  for (size_t i = 0; i < t->nafter; i++) r[t->after[i]].dist = UINT32_MAX;
  return r;
}

typedef struct {
  uint32_t dist, node;
  const char *id;
} ordered;

static int ordered_cmp(const void *a, const void *b) {
  const ordered *x = a, *y = b;
  if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
  return strcmp(x->id, y->id);
}

/* }=== */

static cJSON *affected_json(const st_impact *im, const reach *r, uint32_t n,
                            const st_walker *wa, const st_walker *wb) {
  const st_registry *a = &im->after;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", st_graph_id(&a->graph, n));
  cJSON_AddStringToObject(o, "kind",
                          st_kind_name((st_kind)a->graph.nodes[n].kind));
  cJSON_AddNumberToObject(o, "distance", r[n].dist);
  cJSON_AddItemToObject(o, "via", via_json(r[n].side ? wb : wa, r[n].node));
  const char *owner = st_graph_owner_id(&a->graph, n);
  if (owner) cJSON_AddStringToObject(o, "owner", owner);
  else cJSON_AddNullToObject(o, "owner");
  cJSON_AddItemToObject(o, "flags", flags_json(a, n));
  return o;
}

/* The affected nodes, nearest first, then by id. */
static cJSON *blast_radius(st_impact *im, const touched_set *t) {
  st_walker wa, wb;
  st_walker_init(&wa, &im->after.graph);
  st_walker_init(&wb, &im->before.graph);
  reach *r = merge_walks(im, &wa, &wb, t);
  size_t n = im->after.graph.nnodes, k = 0;
  ordered *ord = st_xmalloc((n ? n : 1) * sizeof *ord);
  for (uint32_t i = 0; i < n; i++)
    if (r[i].dist != UINT32_MAX)
      ord[k++] = (ordered){r[i].dist, i, st_graph_id(&im->after.graph, i)};
  if (k > 1) qsort(ord, k, sizeof *ord, ordered_cmp);
  cJSON *out = cJSON_CreateArray();
  for (size_t i = 0; i < k; i++) {
    cJSON_AddItemToArray(out, affected_json(im, r, ord[i].node, &wa, &wb));
    im->highlight[ord[i].node] = ST_HL_AFFECTED;
  }
  free(ord);
  free(r);
  st_walker_free(&wa);
  st_walker_free(&wb);
  return out;
}

/* {=== Who must be told ================================================= */

typedef struct {
  const char *owner, *node;
} pair;

static int pair_cmp(const void *a, const void *b) {
  const pair *x = a, *y = b;
  int c = strcmp(x->owner, y->owner);
  return c ? c : strcmp(x->node, y->node);
}

static const char *contact_of(const st_registry *r, const char *owner) {
  uint32_t n = st_graph_find(&r->graph, owner, strlen(owner));
  if (n == ST_NODE_NONE) return NULL;
  const char *c = st_doc_str(&r->doc, st_doc_getk(&r->doc,
                             r->graph.nodes[n].value, "contact"), NULL);
  return c;
}

/* Owners of the touched and affected nodes, each with the nodes that make
 * them concerned; workflows nobody owns go to `unowned`. */
static cJSON *notify_json(const st_impact *im, const cJSON *touched,
                          const cJSON *affected, cJSON *unowned) {
  size_t cap = (size_t)cJSON_GetArraySize(touched) +
               (size_t)cJSON_GetArraySize(affected) + 1, n = 0;
  pair *p = st_xmalloc(cap * sizeof *p);
  const cJSON *lists[2] = {touched, affected};
  for (int l = 0; l < 2; l++) {
    const cJSON *x;
    cJSON_ArrayForEach(x, lists[l]) {
      const cJSON *owner = cJSON_GetObjectItem(x, "owner");
      const char *id = cJSON_GetObjectItem(x, "id")->valuestring;
      const char *kind = cJSON_GetObjectItem(x, "kind")->valuestring;
      if (cJSON_IsString(owner)) p[n++] = (pair){owner->valuestring, id};
      else if (!strcmp(kind, "workflow"))
        cJSON_AddItemToArray(unowned, cJSON_CreateString(id));
    }
  }
  if (n > 1) qsort(p, n, sizeof *p, pair_cmp);
  cJSON *out = cJSON_CreateArray();
  cJSON *because = NULL;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || strcmp(p[i].owner, p[i - 1].owner)) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "owner", p[i].owner);
      const char *c = contact_of(&im->after, p[i].owner);
      if (!c) c = contact_of(&im->before, p[i].owner);
      if (c) cJSON_AddStringToObject(o, "contact", c);
      else cJSON_AddNullToObject(o, "contact");
      because = cJSON_AddArrayToObject(o, "because");
      cJSON_AddItemToArray(out, o);
    }
    if (i == 0 || strcmp(p[i].node, p[i - 1].node) ||
        strcmp(p[i].owner, p[i - 1].owner))
      cJSON_AddItemToArray(because, cJSON_CreateString(p[i].node));
  }
  free(p);
  return out;
}

/* }=== */

static int touches_sensitive(const cJSON *touched, const cJSON *affected,
                             const st_registry *a) {
  const cJSON *x;
  cJSON_ArrayForEach(x, affected)
    if (needs_review(cJSON_GetObjectItem(x, "flags"))) return 1;
  cJSON_ArrayForEach(x, touched) {
    const char *id = cJSON_GetObjectItem(x, "id")->valuestring;
    uint32_t n = st_graph_find(&a->graph, id, strlen(id));
    if (n == ST_NODE_NONE) continue;
    cJSON *f = flags_json(a, n);
    int sensitive = needs_review(f);
    cJSON_Delete(f);
    if (sensitive) return 1;
  }
  return 0;
}

static void mark_touched(st_impact *im, const touched_set *t) {
  for (size_t i = 0; i < t->nafter; i++)
    im->highlight[t->after[i]] = ST_HL_TOUCHED;
}

/* The nodes drawn by --format dot: touched, affected and their owners. */
static void mark_kept(st_impact *im) {
  const st_graph *g = &im->after.graph;
  for (uint32_t n = 0; n < g->nnodes; n++) {
    if (!im->highlight[n]) continue;
    im->keep[n] = 1;
    for (uint32_t e = st_graph_out_begin(g, n); e < st_graph_out_end(g, n); e++)
      if (g->out_rel[e] == ST_REL_OWNER) im->keep[g->out_dst[e]] = 1;
  }
}

static cJSON *summary_json(const finding_diff *d, size_t touched,
                           size_t affected, size_t failed) {
  cJSON *s = cJSON_CreateObject();
  cJSON_AddNumberToObject(s, "touched", (double)touched);
  cJSON_AddNumberToObject(s, "affected", (double)affected);
  cJSON_AddNumberToObject(s, "new", cJSON_GetArraySize(d->added));
  cJSON_AddNumberToObject(s, "new_blocking", (double)d->blocking);
  cJSON_AddNumberToObject(s, "resolved", cJSON_GetArraySize(d->resolved));
  cJSON_AddNumberToObject(s, "unchanged", (double)d->unchanged);
  cJSON_AddNumberToObject(s, "failed_policy_runs", (double)failed);
  return s;
}

int st_impact_run(st_impact *im, const st_registry *reg, const cJSON *change,
                  st_policyset *set, const st_obsset *obs,
                  const st_impact_opts *o, char *err, size_t errlen) {
  memset(im, 0, sizeof *im);
  st_registry_init(&im->before);
  st_registry_init(&im->after);
  st_findings_init(&im->found_before);
  st_findings_init(&im->found_after);
  int rc = build_sides(im, reg, change, o, err, errlen);
  if (rc) return rc;
  im->failed = evaluate(set, &im->before, obs, &im->found_before, o->now) +
               evaluate(set, &im->after, obs, &im->found_after, o->now);
  size_t n = im->after.graph.nnodes ? im->after.graph.nnodes : 1;
  im->highlight = st_xcalloc(n, 1);
  im->keep = st_xcalloc(n, 1);
  touched_set t = {NULL, NULL, 0, 0};
  cJSON *touched = find_touched(im, &t);
  mark_touched(im, &t);
  cJSON *affected = blast_radius(im, &t);
  mark_kept(im);
  finding_diff d;
  diff_findings(&im->found_before, &im->found_after, o->fail_on, &d);
  im->verdict = d.blocking ? ST_VERDICT_BLOCKED :
                cJSON_GetArraySize(d.added) ||
                touches_sensitive(touched, affected, &im->after) ?
                ST_VERDICT_REVIEW : ST_VERDICT_CLEAR;
  cJSON *res = im->result = cJSON_CreateObject();
  cJSON_AddStringToObject(res, "verdict", st_verdict_name(im->verdict));
  cJSON_AddStringToObject(res, "change", o->change_name);
  cJSON_AddItemToObject(res, "summary", summary_json(&d,
                        (size_t)cJSON_GetArraySize(touched),
                        (size_t)cJSON_GetArraySize(affected), im->failed));
  cJSON_AddItemToObject(res, "touched", touched);
  cJSON_AddItemToObject(res, "affected", affected);
  cJSON *unowned = cJSON_CreateArray();
  cJSON_AddItemToObject(res, "notify", notify_json(im, touched, affected,
                                                   unowned));
  cJSON_AddItemToObject(res, "unowned", unowned);
  cJSON *f = cJSON_AddObjectToObject(res, "findings");
  cJSON_AddItemToObject(f, "new", d.added);
  cJSON_AddItemToObject(f, "resolved", d.resolved);
  cJSON_AddNumberToObject(f, "unchanged", (double)d.unchanged);
  free(t.after);
  free(t.before);
  return ST_OK;
}
