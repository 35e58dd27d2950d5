/* impact.c - see impact.h. */
#include "impact.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "blast.h"
#include "dot.h"
#include "host.h"
#include "lgraph.h"

#define MAX_FIELDS 32

const char *st_verdict_name(st_verdict v) {
  return v == ST_VERDICT_BLOCKED ? "blocked" :
         v == ST_VERDICT_REVIEW ? "review" : "clear";
}

void st_impact_free(st_impact *im) {
  st_report_free(&im->before);
  st_report_free(&im->after);
  free(im->flags);
  free(im->reach);
  free(im->highlight);
  free(im->keep);
  cJSON_Delete(im->result);
  memset(im, 0, sizeof *im);
}

int st_impact_exit_code(const st_impact *im) {
  if (im->failed) return 3;
  return im->verdict == ST_VERDICT_BLOCKED ? 1 : 0;
}

/* {=== Diffing findings ================================================= */

/* Sorting a list of finding indices by identity needs the list: qsort
 * has no context argument, so the indices carry a pointer to it. */
typedef struct {
  const st_finding *f;
} by_identity;

static int identity_cmp(const void *a, const void *b) {
  const by_identity *x = a, *y = b;
  int c = st_finding_identity_cmp(x->f, y->f);
  return c ? c : (x->f < y->f ? -1 : x->f > y->f);
}

/* The findings in identity order; caller frees. */
static by_identity *sorted_by_identity(const st_findings *f) {
  by_identity *k = st_xmalloc((f->n ? f->n : 1) * sizeof *k);
  for (size_t i = 0; i < f->n; i++) k[i].f = &f->v[i];
  if (f->n > 1) qsort(k, f->n, sizeof *k, identity_cmp);
  return k;
}

typedef struct {
  cJSON *added, *resolved;
  size_t unchanged, blocking;
} finding_diff;

/* A sorted merge of the two lists by finding identity (finding.h): only
 * after is new, only before resolved, in both unchanged (as a multiset). */
static void diff_findings(const st_findings *b, const st_findings *a,
                          int fail_on, finding_diff *d) {
  by_identity *kb = sorted_by_identity(b), *ka = sorted_by_identity(a);
  size_t i = 0, j = 0;
  d->added = cJSON_CreateArray();
  d->resolved = cJSON_CreateArray();
  d->unchanged = d->blocking = 0;
  while (i < b->n || j < a->n) {
    int c = i == b->n ? 1 : j == a->n ? -1 :
            st_finding_identity_cmp(kb[i].f, ka[j].f);
    if (c == 0) {
      d->unchanged++;
      i++, j++;
    } else if (c < 0) {
      cJSON_AddItemToArray(d->resolved, st_finding_json(kb[i++].f));
    } else {
      const st_finding *x = ka[j++].f;
      cJSON_AddItemToArray(d->added, st_finding_json(x));
      if (st_finding_blocks(x, fail_on)) d->blocking++;
    }
  }
  free(kb);
  free(ka);
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
  const st_registry *b = im->before.registry, *a = im->after.registry;
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
  int reach;                 /* st_reach */
} reach;

/* The path from a touched node to n, as ids, following via links. */
static cJSON *via_json(const st_blast *w, uint32_t n) {
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

/* The flags of node n of `after`: its stage (a fact read here) and what
 * the packs judge of it (sensitivity, computed in Lua: see
 * judge_nodes). */
static cJSON *flags_json(const st_impact *im, uint32_t n) {
  const st_registry *r = im->after.registry;
  const st_doc *d = &r->doc;
  cJSON *f = cJSON_CreateObject();
  const char *stage = st_doc_str(d, st_doc_getk(d, r->graph.nodes[n].value,
                                                "stage"), NULL);
  if (stage) cJSON_AddStringToObject(f, "stage", stage);
  unsigned char m = im->flags[n];
  cJSON_AddBoolToObject(f, "high_stakes", (m & ST_FLAG_STAKES) != 0);
  cJSON_AddBoolToObject(f, "irreversible", (m & ST_FLAG_IRREVERSIBLE) != 0);
  cJSON_AddBoolToObject(f, "sensitive", (m & ST_FLAG_SENSITIVE) != 0);
  return f;
}

/* Merges the walks on both sides into one reach per node of `after`: the
 * surer reach first (direct, downstream, possible), then the nearer. */
static reach *merge_walks(st_impact *im, st_blast *wa, st_blast *wb,
                          const touched_set *t, int depth) {
  size_t n = im->after.registry->graph.nnodes;
  reach *r = st_xmalloc((n ? n : 1) * sizeof *r);
  for (size_t i = 0; i < n; i++) r[i] = (reach){UINT32_MAX, 0, 0, 0};
  st_blast_walk(wa, t->after, t->nafter, depth);
  for (size_t i = 0; i < wa->nqueue; i++) {
    uint32_t x = wa->queue[i];
    if (wa->reach[x]) r[x] = (reach){wa->dist[x], 0, x, wa->reach[x]};
  }
  st_blast_walk(wb, t->before, t->nbefore, depth);
  for (size_t i = 0; i < wb->nqueue; i++) {
    uint32_t x = wb->queue[i];
    const char *id = st_graph_id(&im->before.registry->graph, x);
    uint32_t y = st_graph_find(&im->after.registry->graph, id, strlen(id));
    if (y == ST_NODE_NONE || !wb->reach[x] || wa->start[y]) continue;
    if (r[y].dist == UINT32_MAX || wb->reach[x] < r[y].reach ||
        (wb->reach[x] == r[y].reach && wb->dist[x] < r[y].dist))
      r[y] = (reach){wb->dist[x], 1, x, wb->reach[x]};
  }
  return r;
}

typedef struct {
  uint32_t dist, node;
  int reach;
  const char *id;
} ordered;

/* Surest first, then nearest, then by id. */
static int ordered_cmp(const void *a, const void *b) {
  const ordered *x = a, *y = b;
  if (x->reach != y->reach) return x->reach < y->reach ? -1 : 1;
  if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
  return strcmp(x->id, y->id);
}

/* }=== */

static cJSON *affected_json(const st_impact *im, const reach *r, uint32_t n,
                            const st_blast *wa, const st_blast *wb) {
  const st_registry *a = im->after.registry;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", st_graph_id(&a->graph, n));
  cJSON_AddStringToObject(o, "kind",
                          st_kind_name((st_kind)a->graph.nodes[n].kind));
  cJSON_AddNumberToObject(o, "distance", r[n].dist);
  cJSON_AddStringToObject(o, "reach", st_reach_name(r[n].reach));
  cJSON_AddItemToObject(o, "via", via_json(r[n].side ? wb : wa, r[n].node));
  const char *owner = st_graph_owner_id(&a->graph, n);
  if (owner) cJSON_AddStringToObject(o, "owner", owner);
  else cJSON_AddNullToObject(o, "owner");
  cJSON_AddItemToObject(o, "flags", flags_json(im, n));
  return o;
}

static int judge_nodes(const st_registry *reg, const st_session *s,
                       const st_impact_opts *o, const unsigned char *want,
                       unsigned char *flags, char *err, size_t errlen);

/* A removed node is judged in the registry it was removed from: removing a
 * sensitive workflow needs review as much as changing it does. */
static int judge_removed(st_impact *im, const touched_set *t,
                         const st_session *s, const st_impact_opts *o,
                         char *err, size_t errlen) {
  const st_graph *gb = &im->before.registry->graph;
  size_t n = gb->nnodes ? gb->nnodes : 1;
  unsigned char *want = st_xcalloc(n, 1), *flags = st_xcalloc(n, 1);
  int any = 0;
  for (size_t i = 0; i < t->nbefore; i++) {
    uint32_t b = t->before[i];
    const char *id = st_graph_id(gb, b);
    if (st_graph_find(&im->after.registry->graph, id, strlen(id)) ==
        ST_NODE_NONE)
      want[b] = any = 1;
  }
  int rc = any ? judge_nodes(im->before.registry, s, o, want, flags, err,
                             errlen) : ST_OK;
  for (uint32_t b = 0; !rc && b < gb->nnodes; b++)
    if (want[b] && (flags[b] & ST_FLAG_SENSITIVE)) im->removed_sensitive = 1;
  free(want);
  free(flags);
  return rc;
}

/* The affected nodes, nearest first, then by id, into *out. Every touched
 * and affected node is judged for sensitivity before its JSON is built.
 * Returns ST_OK, or the error of that judgement. */
static int blast_radius(st_impact *im, const touched_set *t,
                        const st_session *s, const st_impact_opts *o,
                        cJSON **out, char *err, size_t errlen) {
  const st_graph *ga = &im->after.registry->graph;
  st_blast wa, wb;
  st_blast_init(&wa, ga);
  st_blast_init(&wb, &im->before.registry->graph);
  reach *r = merge_walks(im, &wa, &wb, t, o->depth > 0 ? o->depth : -1);
  size_t n = ga->nnodes, k = 0;
  ordered *ord = st_xmalloc((n ? n : 1) * sizeof *ord);
  for (uint32_t i = 0; i < n; i++)
    if (r[i].dist != UINT32_MAX && !im->highlight[i])
      ord[k++] = (ordered){r[i].dist, i, r[i].reach, st_graph_id(ga, i)};
  if (k > 1) qsort(ord, k, sizeof *ord, ordered_cmp);
  for (size_t i = 0; i < k; i++) {
    im->highlight[ord[i].node] = ST_HL_AFFECTED;
    im->reach[ord[i].node] = (unsigned char)ord[i].reach;
  }
  int rc = judge_nodes(im->after.registry, s, o, im->highlight, im->flags,
                       err, errlen);
  if (!rc) rc = judge_removed(im, t, s, o, err, errlen);
  *out = rc ? NULL : cJSON_CreateArray();
  for (size_t i = 0; !rc && i < k; i++)
    cJSON_AddItemToArray(*out, affected_json(im, r, ord[i].node, &wa, &wb));
  free(ord);
  free(r);
  st_blast_free(&wa);
  st_blast_free(&wb);
  return rc;
}

/* {=== Who must be told ================================================= */

typedef struct {
  const char *owner, *node;
  size_t rank;               /* where the node stands: touched first, then
                              * affected, surest and nearest first */
} pair;

static int pair_cmp(const void *a, const void *b) {
  const pair *x = a, *y = b;
  int c = strcmp(x->owner, y->owner);
  if (!c) c = x->rank < y->rank ? -1 : x->rank > y->rank;
  return c ? c : strcmp(x->node, y->node);
}

typedef struct {
  cJSON *json;
  size_t rank;
} owner_entry;

static int owner_cmp(const void *a, const void *b) {
  const owner_entry *x = a, *y = b;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static const char *contact_of(const st_registry *r, const char *owner) {
  uint32_t n = st_graph_find(&r->graph, owner, strlen(owner));
  if (n == ST_NODE_NONE) return NULL;
  const char *c = st_doc_str(&r->doc, st_doc_getk(&r->doc,
                             r->graph.nodes[n].value, "contact"), NULL);
  return c;
}

/* The owner's entry: owner, contact, and the nodes that concern it. */
static cJSON *owner_json(const st_impact *im, const char *owner) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "owner", owner);
  const char *c = contact_of(im->after.registry, owner);
  if (!c) c = contact_of(im->before.registry, owner);
  if (c) cJSON_AddStringToObject(o, "contact", c);
  else cJSON_AddNullToObject(o, "contact");
  cJSON_AddArrayToObject(o, "because");
  return o;
}

/* Owners of the touched and affected nodes, each with the nodes that make
 * them concerned, ordered as the nodes are (the owner of a touched node
 * first, then of direct, downstream and possible ones); workflows nobody
 * owns go to `unowned`. */
static cJSON *notify_json(const st_impact *im, const cJSON *touched,
                          const cJSON *affected, cJSON *unowned) {
  size_t cap = (size_t)cJSON_GetArraySize(touched) +
               (size_t)cJSON_GetArraySize(affected) + 1, n = 0, rank = 0;
  pair *p = st_xmalloc(cap * sizeof *p);
  const cJSON *lists[2] = {touched, affected};
  for (int l = 0; l < 2; l++) {
    const cJSON *x;
    cJSON_ArrayForEach(x, lists[l]) {
      const cJSON *owner = cJSON_GetObjectItem(x, "owner");
      const char *id = cJSON_GetObjectItem(x, "id")->valuestring;
      const char *kind = cJSON_GetObjectItem(x, "kind")->valuestring;
      if (cJSON_IsString(owner)) p[n++] = (pair){owner->valuestring, id, rank};
      else if (!strcmp(kind, "workflow"))
        cJSON_AddItemToArray(unowned, cJSON_CreateString(id));
      rank++;
    }
  }
  if (n > 1) qsort(p, n, sizeof *p, pair_cmp);
  owner_entry *e = st_xmalloc(cap * sizeof *e);
  size_t ne = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || strcmp(p[i].owner, p[i - 1].owner))
      e[ne++] = (owner_entry){owner_json(im, p[i].owner), p[i].rank};
    if (i == 0 || strcmp(p[i].node, p[i - 1].node) ||
        strcmp(p[i].owner, p[i - 1].owner))
      cJSON_AddItemToArray(cJSON_GetObjectItem(e[ne - 1].json, "because"),
                           cJSON_CreateString(p[i].node));
  }
  if (ne > 1) qsort(e, ne, sizeof *e, owner_cmp);
  cJSON *out = cJSON_CreateArray();
  for (size_t i = 0; i < ne; i++) cJSON_AddItemToArray(out, e[i].json);
  free(e);
  free(p);
  return out;
}

/* }=== */

/* {=== Which nodes are sensitive: the packs' judgement ================= */

/* Runs in a host sandbox with (ids, ctx): for each id, the flag bits of
 * steward.impact.flags, which reads the packs' parameters through
 * ctx.params_of, so impact and the policies cannot disagree. */
static const char FLAGS_CHUNK[] =
  "local ids, ctx = ...\n"
  "local flags = require('steward.impact').flags\n"
  "local graph, out = ctx.graph, {}\n"
  "for i = 1, #ids do out[i] = flags(graph.node(ids[i]), ctx) end\n"
  "return out\n";

/* Pushes the ids of the nodes in `want` as a list. [-0, +1, m] */
static void push_ids(lua_State *L, const st_graph *g,
                     const unsigned char *want) {
  lua_newtable(L);
  lua_Integer k = 0;
  for (uint32_t n = 0; n < g->nnodes; n++) {
    if (!want[n]) continue;
    lua_pushstring(L, st_graph_id(g, n));
    lua_rawseti(L, -2, ++k);
  }
}

/* Sets flags[n] for every node n of reg marked in `want`. */
static int judge_nodes(const st_registry *a, const st_session *s,
                       const st_impact_opts *o, const unsigned char *want,
                       unsigned char *flags, char *err, size_t errlen) {
  st_sandbox_opts so = {"steward impact", st_session_stdlib(s), o->now,
                        *st_session_limits(s), NULL};
  st_sandbox *sb = st_host_new(&so, err, errlen);
  if (!sb) return ST_ERUN;
  lua_State *L = st_sandbox_state(sb);
  st_lgraph_bind(L, a, NULL);
  int kind, rc = st_sandbox_load(sb, FLAGS_CHUNK, sizeof FLAGS_CHUNK - 1,
                                 "=impact", err, errlen);
  if (rc == ST_OK) {
    push_ids(L, &a->graph, want);
    st_ctx_spec spec = {st_session_policies(s), NULL, NULL, o->now};
    st_host_push_ctx(L, &spec);
    rc = st_sandbox_call(sb, 2, 1, &kind, err, errlen);
  }
  if (rc == ST_OK) {
    lua_Integer k = 0;
    for (uint32_t n = 0; n < a->graph.nnodes; n++) {
      if (!want[n]) continue;
      lua_rawgeti(L, -1, ++k);
      flags[n] = (unsigned char)lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
  }
  st_sandbox_free(sb);
  return rc;
}

/* }=== */

/* A sensitive node the change touches, or reaches along lineage (not one
 * it only possibly reaches), needs review. */
static int touches_sensitive(const st_impact *im) {
  if (im->removed_sensitive) return 1;
  for (uint32_t n = 0; n < im->after.registry->graph.nnodes; n++)
    if (im->highlight[n] && im->reach[n] != ST_REACH_POSSIBLE &&
        (im->flags[n] & ST_FLAG_SENSITIVE))
      return 1;
  return 0;
}

static void mark_touched(st_impact *im, const touched_set *t) {
  for (size_t i = 0; i < t->nafter; i++)
    im->highlight[t->after[i]] = ST_HL_TOUCHED;
}

/* The nodes drawn by --format dot: touched, affected and their owners. */
static void mark_kept(st_impact *im) {
  const st_graph *g = &im->after.registry->graph;
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

/* The verdict and the JSON result, once both sides are evaluated. */
static void build_result(st_impact *im, const st_impact_opts *o,
                         cJSON *touched, cJSON *affected,
                         const finding_diff *d) {
  im->verdict = d->blocking ? ST_VERDICT_BLOCKED :
                cJSON_GetArraySize(d->added) || touches_sensitive(im) ?
                ST_VERDICT_REVIEW : ST_VERDICT_CLEAR;
  cJSON *res = im->result = cJSON_CreateObject();
  cJSON_AddStringToObject(res, "verdict", st_verdict_name(im->verdict));
  cJSON_AddStringToObject(res, "change", o->change_name);
  cJSON_AddItemToObject(res, "summary", summary_json(d,
                        (size_t)cJSON_GetArraySize(touched),
                        (size_t)cJSON_GetArraySize(affected), im->failed));
  cJSON_AddItemToObject(res, "touched", touched);
  cJSON_AddItemToObject(res, "affected", affected);
  cJSON *unowned = cJSON_CreateArray();
  cJSON_AddItemToObject(res, "notify", notify_json(im, touched, affected,
                                                   unowned));
  cJSON_AddItemToObject(res, "unowned", unowned);
  cJSON *f = cJSON_AddObjectToObject(res, "findings");
  cJSON_AddItemToObject(f, "new", d->added);
  cJSON_AddItemToObject(f, "resolved", d->resolved);
  cJSON_AddNumberToObject(f, "unchanged", (double)d->unchanged);
}

/* Both sides through the session's one pipeline: as registered, and with
 * the change applied to a private copy. */
static int evaluate_sides(st_impact *im, const st_session *s,
                          const cJSON *change, const st_impact_opts *o,
                          char *err, size_t errlen) {
  st_run_opts ro;
  memset(&ro, 0, sizeof ro);
  ro.now = o->now;
  ro.fail_on = o->fail_on;
  ro.obs = o->obs;
  int rc = st_session_check(s, &ro, &im->before, err, errlen);
  if (rc) return rc;
  ro.change = change;
  ro.change_name = o->change_name;
  rc = st_session_check(s, &ro, &im->after, err, errlen);
  im->failed = im->before.failed + im->after.failed;
  return rc;
}

int st_impact_run(st_impact *im, const st_session *s, const cJSON *change,
                  const st_impact_opts *o, char *err, size_t errlen) {
  memset(im, 0, sizeof *im);
  int rc = evaluate_sides(im, s, change, o, err, errlen);
  if (rc) return rc;
  size_t n = im->after.registry->graph.nnodes;
  im->highlight = st_xcalloc(n ? n : 1, 1);
  im->keep = st_xcalloc(n ? n : 1, 1);
  im->flags = st_xcalloc(n ? n : 1, 1);
  im->reach = st_xcalloc(n ? n : 1, 1);
  touched_set t = {NULL, NULL, 0, 0};
  cJSON *touched = find_touched(im, &t);
  mark_touched(im, &t);
  cJSON *affected;
  rc = blast_radius(im, &t, s, o, &affected, err, errlen);
  free(t.after);
  free(t.before);
  if (rc) {
    cJSON_Delete(touched);
    return rc;
  }
  mark_kept(im);
  finding_diff d;
  diff_findings(&im->before.findings, &im->after.findings, o->fail_on, &d);
  build_result(im, o, touched, affected, &d);
  return ST_OK;
}
