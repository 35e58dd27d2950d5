/* graph.c - see graph.h. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_sections[ST_KIND_COUNT] = {
  "owners", "systems", "datasets", "models", "workflows"};
static const char *const kind_names[ST_KIND_COUNT] = {
  "owner", "system", "dataset", "model", "workflow"};
static const char *const rel_names[ST_REL_COUNT] = {
  "owner", "uses", "reads", "writes", "feeds", "depends_on"};

const char *st_kind_section(st_kind k) { return kind_sections[k]; }
const char *st_kind_name(st_kind k) { return kind_names[k]; }
const char *st_rel_name(st_rel r) { return rel_names[r]; }

int st_kind_parse(const char *name) {
  for (int k = 0; k < ST_KIND_COUNT; k++)
    if (!strcmp(name, kind_names[k]) || !strcmp(name, kind_sections[k]))
      return k;
  return -1;
}

int st_rel_parse(const char *name) {
  for (int r = 0; r < ST_REL_COUNT; r++)
    if (!strcmp(name, rel_names[r])) return r;
  return -1;
}

void st_graph_init(st_graph *g, const st_doc *doc) {
  memset(g, 0, sizeof *g);
  g->doc = doc;
}

void st_graph_free(st_graph *g) {
  free(g->nodes);
  free(g->by_atom);
  free(g->pending);
  free(g->out_off);
  free(g->out_dst);
  free(g->out_rel);
  free(g->in_off);
  free(g->in_src);
  free(g->in_rel);
  for (int k = 0; k < ST_KIND_COUNT; k++) free(g->kind_nodes[k]);
  memset(g, 0, sizeof *g);
}

static void ensure_atom_map(st_graph *g, uint32_t atom) {
  if (atom < g->by_atom_len) return;
  size_t old = g->by_atom_len, ncap = old ? old : 1024;
  while (ncap <= atom) ncap *= 2;
  g->by_atom = st_xrealloc(g->by_atom, ncap * sizeof *g->by_atom);
  for (size_t i = old; i < ncap; i++) g->by_atom[i] = ST_NODE_NONE;
  g->by_atom_len = ncap;
}

uint32_t st_graph_add_node(st_graph *g, uint32_t id_atom, st_kind kind,
                           st_val value, uint16_t file, uint32_t *existing) {
  ensure_atom_map(g, id_atom);
  if (g->by_atom[id_atom] != ST_NODE_NONE) {
    if (existing) *existing = g->by_atom[id_atom];
    return ST_NODE_NONE;
  }
  st_grow((void **)&g->nodes, &g->nodes_cap, g->nnodes + 1, sizeof *g->nodes);
  st_node *n = &g->nodes[g->nnodes];
  n->id = id_atom;
  n->kind = (uint8_t)kind;
  n->file = file;
  n->value = value;
  g->by_atom[id_atom] = (uint32_t)g->nnodes;
  return (uint32_t)g->nnodes++;
}

void st_graph_add_edge(st_graph *g, uint32_t src, uint32_t dst, st_rel rel) {
  st_grow((void **)&g->pending, &g->pending_cap, g->npending + 1,
          sizeof *g->pending);
  g->pending[g->npending++] = (st_edge){src, dst, (uint8_t)rel};
}

static int edge_cmp(const void *a, const void *b) {
  const st_edge *x = a, *y = b;
  if (x->src != y->src) return x->src < y->src ? -1 : 1;
  if (x->rel != y->rel) return x->rel < y->rel ? -1 : 1;
  if (x->dst != y->dst) return x->dst < y->dst ? -1 : 1;
  return 0;
}

static size_t dedupe_edges(st_edge *e, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++)
    if (w == 0 || edge_cmp(&e[w - 1], &e[i]) != 0) e[w++] = e[i];
  return w;
}

static void build_rows(st_graph *g) {
  size_t n = g->nnodes, m = g->nedges;
  g->out_off = st_xcalloc(n + 1, sizeof *g->out_off);
  g->in_off = st_xcalloc(n + 1, sizeof *g->in_off);
  g->out_dst = st_xmalloc(m * sizeof *g->out_dst);
  g->out_rel = st_xmalloc(m);
  g->in_src = st_xmalloc(m * sizeof *g->in_src);
  g->in_rel = st_xmalloc(m);
  for (size_t i = 0; i < m; i++) {
    g->out_off[g->pending[i].src + 1]++;
    g->in_off[g->pending[i].dst + 1]++;
  }
  for (size_t i = 0; i < n; i++) {
    g->out_off[i + 1] += g->out_off[i];
    g->in_off[i + 1] += g->in_off[i];
  }
  uint32_t *fill = st_xmalloc((n + 1) * sizeof *fill);
  memcpy(fill, g->in_off, (n + 1) * sizeof *fill);
  for (size_t i = 0; i < m; i++) {
    const st_edge *e = &g->pending[i];
    g->out_dst[i] = e->dst;           /* pending is sorted by src */
    g->out_rel[i] = e->rel;
    uint32_t at = fill[e->dst]++;
    g->in_src[at] = e->src;
    g->in_rel[at] = e->rel;
  }
  free(fill);
}

static void build_kind_lists(st_graph *g) {
  size_t cap[ST_KIND_COUNT] = {0};
  for (size_t i = 0; i < g->nnodes; i++) {
    int k = g->nodes[i].kind;
    st_grow((void **)&g->kind_nodes[k], &cap[k], g->kind_count[k] + 1,
            sizeof(uint32_t));
    g->kind_nodes[k][g->kind_count[k]++] = (uint32_t)i;
  }
}

void st_graph_freeze(st_graph *g) {
  if (g->npending > 1)
    qsort(g->pending, g->npending, sizeof *g->pending, edge_cmp);
  g->nedges = dedupe_edges(g->pending, g->npending);
  build_rows(g);
  build_kind_lists(g);
  free(g->pending);
  g->pending = NULL;
  g->npending = g->pending_cap = 0;
}

uint32_t st_graph_find_atom(const st_graph *g, uint32_t atom) {
  return atom < g->by_atom_len ? g->by_atom[atom] : ST_NODE_NONE;
}

uint32_t st_graph_find(const st_graph *g, const char *id, size_t len) {
  return st_graph_find_atom(g, st_doc_atom_find(g->doc, id, len));
}

const char *st_graph_id(const st_graph *g, uint32_t node) {
  return st_doc_atom_str(g->doc, g->nodes[node].id, NULL);
}

uint32_t st_graph_owner(const st_graph *g, uint32_t n) {
  for (uint32_t e = g->out_off[n]; e < g->out_off[n + 1]; e++)
    if (g->out_rel[e] == ST_REL_OWNER) return g->out_dst[e];
  return ST_NODE_NONE;
}

const char *st_graph_owner_id(const st_graph *g, uint32_t n) {
  uint32_t o = st_graph_owner(g, n);
  return o == ST_NODE_NONE ? NULL : st_graph_id(g, o);
}

void st_walker_init(st_walker *w, const st_graph *g) {
  size_t n = g->nnodes ? g->nnodes : 1;
  w->g = g;
  w->stamp = st_xcalloc(n, sizeof *w->stamp);
  w->cur = 0;
  w->dist = st_xmalloc(n * sizeof *w->dist);
  w->via = st_xmalloc(n * sizeof *w->via);
  w->via_rel = st_xmalloc(n);
  w->queue = st_xmalloc(n * sizeof *w->queue);
  w->nqueue = 0;
}

void st_walker_free(st_walker *w) {
  free(w->stamp);
  free(w->dist);
  free(w->via);
  free(w->via_rel);
  free(w->queue);
  memset(w, 0, sizeof *w);
}

int st_walker_seen(const st_walker *w, uint32_t node) {
  return w->stamp[node] == w->cur;
}

static void walker_begin(st_walker *w) {
  if (++w->cur == 0) {            /* wrapped: clear once every 2^32 walks */
    memset(w->stamp, 0, w->g->nnodes * sizeof *w->stamp);
    w->cur = 1;
  }
  w->nqueue = 0;
}

static void visit(st_walker *w, uint32_t node, uint32_t dist, uint32_t from,
                  uint8_t rel) {
  if (w->stamp[node] == w->cur) return;
  w->stamp[node] = w->cur;
  w->dist[node] = dist;
  w->via[node] = from;
  w->via_rel[node] = rel;
  w->queue[w->nqueue++] = node;
}

size_t st_graph_walk(st_walker *w, const uint32_t *starts, size_t nstarts,
                     unsigned out_mask, unsigned in_mask, int max_depth) {
  const st_graph *g = w->g;
  walker_begin(w);
  for (size_t i = 0; i < nstarts; i++)
    visit(w, starts[i], 0, ST_NODE_NONE, 0);
  for (size_t head = 0; head < w->nqueue; head++) {
    uint32_t n = w->queue[head], d = w->dist[n] + 1;
    if (max_depth >= 0 && w->dist[n] >= (uint32_t)max_depth) continue;
    for (uint32_t e = g->out_off[n]; e < g->out_off[n + 1]; e++)
      if (out_mask & ST_REL_BIT(g->out_rel[e]))
        visit(w, g->out_dst[e], d, n, g->out_rel[e]);
    for (uint32_t e = g->in_off[n]; e < g->in_off[n + 1]; e++)
      if (in_mask & ST_REL_BIT(g->in_rel[e]))
        visit(w, g->in_src[e], d, n, g->in_rel[e]);
  }
  return w->nqueue;
}

size_t st_graph_path(st_walker *w, uint32_t a, uint32_t b, unsigned mask,
                     uint32_t **path) {
  *path = NULL;
  st_graph_walk(w, &a, 1, mask, 0, -1);
  if (!st_walker_seen(w, b)) return 0;
  size_t len = w->dist[b] + 1;
  uint32_t *p = st_xmalloc(len * sizeof *p);
  uint32_t n = b;
  for (size_t i = len; i-- > 0; n = w->via[n]) p[i] = n;
  *path = p;
  return len;
}

/* Iterative Tarjan: an explicit frame stack (node, next edge) replaces the
 * recursion, which would overflow the C stack on a long feeds chain. */
typedef struct {
  uint32_t node, edge;
} tarjan_frame;

typedef struct {
  const st_graph *g;
  unsigned mask;
  uint32_t *index, *low, *comp, *stack;
  uint8_t *on_stack;
  size_t sp, next_index, ncomp;
  tarjan_frame *frames;
} tarjan;

static void tarjan_enter(tarjan *t, size_t *fp, uint32_t v) {
  t->index[v] = t->low[v] = (uint32_t)t->next_index++;
  t->stack[t->sp++] = v;
  t->on_stack[v] = 1;
  t->frames[(*fp)++] = (tarjan_frame){v, t->g->out_off[v]};
}

static void tarjan_close(tarjan *t, uint32_t v) {
  if (t->low[v] != t->index[v]) return;
  uint32_t w;
  do {
    w = t->stack[--t->sp];
    t->on_stack[w] = 0;
    t->comp[w] = (uint32_t)t->ncomp;
  } while (w != v);
  t->ncomp++;
}

static void tarjan_from(tarjan *t, uint32_t root) {
  const st_graph *g = t->g;
  size_t fp = 0;
  tarjan_enter(t, &fp, root);
  while (fp > 0) {
    tarjan_frame *f = &t->frames[fp - 1];
    uint32_t v = f->node;
    if (f->edge < g->out_off[v + 1]) {
      uint32_t e = f->edge++;
      if (!(t->mask & ST_REL_BIT(g->out_rel[e]))) continue;
      uint32_t w = g->out_dst[e];
      if (t->index[w] == UINT32_MAX) tarjan_enter(t, &fp, w);
      else if (t->on_stack[w] && t->index[w] < t->low[v]) t->low[v] = t->index[w];
      continue;
    }
    fp--;
    tarjan_close(t, v);
    if (fp > 0) {
      uint32_t parent = t->frames[fp - 1].node;
      if (t->low[v] < t->low[parent]) t->low[parent] = t->low[v];
    }
  }
}

size_t st_graph_scc(const st_graph *g, unsigned mask, uint32_t *comp) {
  size_t n = g->nnodes;
  tarjan t = {g, mask, NULL, NULL, comp, NULL, NULL, 0, 0, 0, NULL};
  t.index = st_xmalloc((n + 1) * sizeof *t.index);
  t.low = st_xmalloc((n + 1) * sizeof *t.low);
  t.stack = st_xmalloc((n + 1) * sizeof *t.stack);
  t.on_stack = st_xcalloc(n + 1, 1);
  t.frames = st_xmalloc((n + 1) * sizeof *t.frames);
  memset(t.index, 0xff, (n + 1) * sizeof *t.index);
  for (uint32_t v = 0; v < n; v++)
    if (t.index[v] == UINT32_MAX) tarjan_from(&t, v);
  free(t.index);
  free(t.low);
  free(t.stack);
  free(t.on_stack);
  free(t.frames);
  return t.ncomp;
}

int st_graph_self_loop(const st_graph *g, uint32_t node, unsigned mask) {
  for (uint32_t e = g->out_off[node]; e < g->out_off[node + 1]; e++)
    if (g->out_dst[e] == node && (mask & ST_REL_BIT(g->out_rel[e]))) return 1;
  return 0;
}
