/*
 * graph.h - the registry as a graph: interned ids, typed nodes, typed edges.
 *
 * Nodes are numbered densely in load order; a node's id is an atom of the
 * registry's st_doc, and its fields stay in that doc (the node keeps the
 * handle of its object). Edges come from the fields owner, uses, reads,
 * writes, feeds and depends_on and are stored twice in compressed sparse row
 * form (forward and reverse), each row sorted, so a neighbourhood is one
 * contiguous run of memory. Traversals run in C over those arrays.
 *
 * Building: st_graph_init, st_graph_add_node and st_graph_add_edge in any
 * order, then st_graph_freeze once; after that the graph is immutable.
 * Ownership: the graph owns its arrays; it borrows the doc, which must
 * outlive it. Threading: a frozen graph may be read from any number of
 * threads; traversal scratch space lives in an st_walker, one per thread.
 */
#ifndef ST_GRAPH_H
#define ST_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"

typedef enum {
  ST_KIND_OWNER, ST_KIND_SYSTEM, ST_KIND_DATASET, ST_KIND_MODEL,
  ST_KIND_WORKFLOW, ST_KIND_COUNT
} st_kind;

typedef enum {
  ST_REL_OWNER, ST_REL_USES, ST_REL_READS, ST_REL_WRITES, ST_REL_FEEDS,
  ST_REL_DEPENDS_ON, ST_REL_COUNT
} st_rel;

#define ST_NODE_NONE UINT32_MAX
#define ST_REL_BIT(r) (1u << (r))
#define ST_REL_ALL ((1u << ST_REL_COUNT) - 1)

/* The direction in which a change propagates (README, `steward impact`):
 * along feeds and writes, and against uses, reads and depends_on. Owner
 * edges are accountability, not dependency, and are never followed. */
#define ST_PROPAGATE_OUT (ST_REL_BIT(ST_REL_FEEDS) | ST_REL_BIT(ST_REL_WRITES))
#define ST_PROPAGATE_IN (ST_REL_BIT(ST_REL_USES) | ST_REL_BIT(ST_REL_READS) | \
                         ST_REL_BIT(ST_REL_DEPENDS_ON))

typedef struct {
  uint32_t id;       /* atom in the doc */
  uint8_t kind;      /* st_kind */
  uint16_t file;     /* index of the file that defined it */
  st_val value;      /* its object in the doc */
} st_node;

typedef struct {
  uint32_t src, dst;
  uint8_t rel;
} st_edge;

typedef struct st_graph {
  const st_doc *doc;
  st_node *nodes;
  size_t nnodes, nodes_cap;
  uint32_t *by_atom;             /* atom → node, ST_NODE_NONE if not a node */
  size_t by_atom_len;
  st_edge *pending;              /* edges before freeze */
  size_t npending, pending_cap;
  /* Frozen CSR: row i of out is out_dst[out_off[i] .. out_off[i+1]). */
  uint32_t *out_off, *out_dst, *in_off, *in_src;
  uint8_t *out_rel, *in_rel;
  size_t nedges;
  uint32_t *kind_nodes[ST_KIND_COUNT];   /* nodes of each kind, load order */
  size_t kind_count[ST_KIND_COUNT];
} st_graph;

/* Names as used in the registry ("workflows") and seen from Lua ("workflow"). */
const char *st_kind_section(st_kind k);
const char *st_kind_name(st_kind k);
const char *st_rel_name(st_rel r);
/* -1 when the name is not a kind (accepts "workflow" and "workflows"). */
int st_kind_parse(const char *name);
int st_rel_parse(const char *name);

void st_graph_init(st_graph *g, const st_doc *doc);
void st_graph_free(st_graph *g);

/* Adds a node; returns its index, or ST_NODE_NONE when the id is taken
 * (*existing then receives the node that holds it). */
uint32_t st_graph_add_node(st_graph *g, uint32_t id_atom, st_kind kind,
                           st_val value, uint16_t file, uint32_t *existing);
void st_graph_add_edge(st_graph *g, uint32_t src, uint32_t dst, st_rel rel);
/* Builds the CSR arrays and kind lists; drops exact duplicate edges. */
void st_graph_freeze(st_graph *g);

uint32_t st_graph_find(const st_graph *g, const char *id, size_t len);
uint32_t st_graph_find_atom(const st_graph *g, uint32_t atom);
const char *st_graph_id(const st_graph *g, uint32_t node);

/* The owner node of n (its `owner` edge), or ST_NODE_NONE; and its id, or
 * NULL. */
uint32_t st_graph_owner(const st_graph *g, uint32_t n);
const char *st_graph_owner_id(const st_graph *g, uint32_t n);

/* Out- and in-neighbourhoods as [begin, end) ranges into the CSR arrays. */
static inline uint32_t st_graph_out_begin(const st_graph *g, uint32_t n) {
  return g->out_off[n];
}
static inline uint32_t st_graph_out_end(const st_graph *g, uint32_t n) {
  return g->out_off[n + 1];
}
static inline uint32_t st_graph_in_begin(const st_graph *g, uint32_t n) {
  return g->in_off[n];
}
static inline uint32_t st_graph_in_end(const st_graph *g, uint32_t n) {
  return g->in_off[n + 1];
}

/* Per-thread traversal scratch. A stamp makes "visited" O(1) to reset, so a
 * traversal costs what it reaches, not the size of the graph. */
typedef struct {
  const st_graph *g;
  uint32_t *stamp, cur;
  uint32_t *dist, *via;     /* valid for nodes stamped in this walk */
  uint8_t *via_rel;
  uint32_t *queue;          /* the nodes reached, in BFS order */
  size_t nqueue;
} st_walker;

void st_walker_init(st_walker *w, const st_graph *g);
void st_walker_free(st_walker *w);
int st_walker_seen(const st_walker *w, uint32_t node);

/* Breadth-first from the start nodes along out-edges whose rel is in
 * out_mask and in-edges whose rel is in in_mask. Afterwards w->queue holds
 * every reached node (starts first, at distance 0) with dist and via (the
 * node it was reached from; ST_NODE_NONE for starts). max_depth < 0 means no
 * limit. Returns the number reached. */
size_t st_graph_walk(st_walker *w, const uint32_t *starts, size_t nstarts,
                     unsigned out_mask, unsigned in_mask, int max_depth);

/* Shortest path from a to b along out-edges in mask. Returns its length in
 * nodes (a and b included) and writes the nodes into *path (caller frees),
 * or 0 with *path NULL when b is unreachable. */
size_t st_graph_path(st_walker *w, uint32_t a, uint32_t b, unsigned mask,
                     uint32_t **path);

/* Strongly connected components of the subgraph of out-edges in mask
 * (iterative Tarjan, linear time). comp[i] receives the component of node i;
 * returns the number of components. comp is caller-allocated (nnodes). */
size_t st_graph_scc(const st_graph *g, unsigned mask, uint32_t *comp);

/* True when node has an edge in mask to itself. */
int st_graph_self_loop(const st_graph *g, uint32_t node, unsigned mask);

#endif
