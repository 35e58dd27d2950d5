/* blast.c - see blast.h. */
#include "blast.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void st_blast_init(st_blast *b, const st_graph *g) {
  size_t n = g->nnodes ? g->nnodes : 1;
  memset(b, 0, sizeof *b);
  b->g = g;
  b->dist = st_xmalloc(n * sizeof *b->dist);
  b->via = st_xmalloc(n * sizeof *b->via);
  b->reach = st_xcalloc(n, 1);
  b->start = st_xcalloc(n, 1);
  b->queue = st_xmalloc(n * sizeof *b->queue);
}

void st_blast_free(st_blast *b) {
  free(b->dist);
  free(b->via);
  free(b->reach);
  free(b->start);
  free(b->queue);
  memset(b, 0, sizeof *b);
}

const char *st_reach_name(int r) {
  switch (r) {
  case ST_REACH_DIRECT: return "direct";
  case ST_REACH_DOWNSTREAM: return "downstream";
  case ST_REACH_POSSIBLE: return "possible";
  default: return NULL;
  }
}

/* A node the walk has seen: a start, or reached. */
static int seen(const st_blast *b, uint32_t n) {
  return b->start[n] || b->reach[n] != ST_REACH_NONE;
}

/* Reaches n from `from`, in the possible pass or along lineage. */
static void visit(st_blast *b, uint32_t n, uint32_t from, int possible) {
  if (seen(b, n)) return;
  uint32_t d = b->dist[from] + 1;
  b->dist[n] = d;
  b->via[n] = from;
  b->reach[n] = (uint8_t)(possible ? ST_REACH_POSSIBLE :
                          d == 1 ? ST_REACH_DIRECT : ST_REACH_DOWNSTREAM);
  b->queue[b->nqueue++] = n;
}

/* Is node n a system reached only by a workflow writing to it? Such a node
 * is affected, but carries the change on only as possible. */
static int written_system(const st_blast *b, uint32_t n) {
  return !b->start[n] && b->g->nodes[n].kind == ST_KIND_SYSTEM;
}

/* The nodes the change reaches from x in one hop, by the rules of
 * blast.h. */
static void expand(st_blast *b, uint32_t x, int possible) {
  const st_graph *g = b->g;
  int kind = g->nodes[x].kind;
  for (uint32_t e = st_graph_out_begin(g, x); e < st_graph_out_end(g, x);
       e++) {
    int rel = g->out_rel[e];
    if (kind == ST_KIND_WORKFLOW &&
        (rel == ST_REL_FEEDS || rel == ST_REL_WRITES))
      visit(b, g->out_dst[e], x, possible);
  }
  for (uint32_t e = st_graph_in_begin(g, x); e < st_graph_in_end(g, x); e++) {
    int rel = g->in_rel[e];
    if ((rel == ST_REL_USES && kind == ST_KIND_MODEL) ||
        (rel == ST_REL_READS && kind == ST_KIND_DATASET) ||
        rel == ST_REL_DEPENDS_ON)
      visit(b, g->in_src[e], x, possible);
  }
}

/* Breadth-first from queue[from] on; in the lineage pass a written system
 * is left for the possible pass. */
static void pass(st_blast *b, size_t from, int possible, int max_depth,
                 uint32_t *held, size_t *nheld) {
  for (size_t i = from; i < b->nqueue; i++) {
    uint32_t x = b->queue[i];
    if (max_depth >= 0 && b->dist[x] >= (uint32_t)max_depth) continue;
    if (!possible && written_system(b, x)) {
      held[(*nheld)++] = x;
      continue;
    }
    expand(b, x, possible);
  }
}

void st_blast_walk(st_blast *b, const uint32_t *starts, size_t nstarts,
                   int max_depth) {
  size_t n = b->g->nnodes;
  memset(b->reach, 0, n ? n : 1);
  memset(b->start, 0, n ? n : 1);
  b->nqueue = 0;
  for (size_t i = 0; i < nstarts; i++) {
    uint32_t s = starts[i];
    if (b->start[s]) continue;
    b->start[s] = 1;
    b->dist[s] = 0;
    b->via[s] = ST_NODE_NONE;
    b->queue[b->nqueue++] = s;
  }
  uint32_t *held = st_xmalloc((n ? n : 1) * sizeof *held);
  size_t nheld = 0;
  pass(b, 0, 0, max_depth, held, &nheld);
  /* Past the written systems, in order of distance (the held list is in
   * BFS order already), everything still unreached is only possible. */
  size_t mark = b->nqueue;
  for (size_t i = 0; i < nheld; i++)
    if (max_depth < 0 || b->dist[held[i]] < (uint32_t)max_depth)
      expand(b, held[i], 1);
  pass(b, mark, 1, max_depth, held, &nheld);
  free(held);
}
