/* dot.c - see dot.h. */
#include "dot.h"

#include <stdlib.h>
#include <string.h>

static const char *const shapes[ST_KIND_COUNT] = {
  "house", "box3d", "cylinder", "component", "box"};
static const char *const fills[ST_KIND_COUNT] = {
  "#f2f2f2", "#e3e8f7", "#e6f4e6", "#fdf0d5", "#ffffff"};

void st_dot_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', out);
    if (*s == '\n') { fputs("\\n", out); continue; }
    fputc(*s, out);
  }
  fputc('"', out);
}

static const char *node_str(const st_registry *r, uint32_t n, const char *key) {
  return st_doc_str(&r->doc, st_doc_getk(&r->doc, r->graph.nodes[n].value, key),
                    NULL);
}

void st_dot_focus(const st_registry *r, uint32_t focus, int depth,
                  unsigned char *keep) {
  st_walker w;
  st_walker_init(&w, &r->graph);
  size_t n = st_graph_walk(&w, &focus, 1, ST_REL_ALL, ST_REL_ALL, depth);
  for (size_t i = 0; i < n; i++) keep[w.queue[i]] = 1;
  st_walker_free(&w);
}

void st_dot_node(FILE *out, const st_registry *r, uint32_t n, int hl) {
  int kind = r->graph.nodes[n].kind;
  fputs("    ", out);
  st_dot_string(out, st_graph_id(&r->graph, n));
  fprintf(out, " [shape=%s, style=filled, fillcolor=\"%s\"", shapes[kind],
          hl == ST_HL_TOUCHED ? "#e06666" : hl == ST_HL_AFFECTED ? "#f6b26b" :
          fills[kind]);
  if (hl) fputs(", penwidth=2", out);
  const char *stage = node_str(r, n, "stage");
  fputs(", label=", out);
  char label[600];
  snprintf(label, sizeof label, "%s\n%s%s%s", st_graph_id(&r->graph, n),
           st_kind_name((st_kind)kind), stage ? " · " : "", stage ? stage : "");
  st_dot_string(out, label);
  fputs("];\n", out);
}

/* The cluster a node falls in, or NULL. */
static const char *cluster_of(const st_registry *r, uint32_t n, st_cluster c) {
  if (c == ST_CLUSTER_OWNER) {
    if (r->graph.nodes[n].kind == ST_KIND_OWNER) return st_graph_id(&r->graph, n);
    return st_graph_owner_id(&r->graph, n);
  }
  if (c == ST_CLUSTER_STAGE) return node_str(r, n, "stage");
  return NULL;
}

static int kept(const unsigned char *keep, uint32_t n) {
  return !keep || keep[n];
}

typedef struct {
  const char *cluster;       /* NULL: outside any cluster */
  uint32_t node;
} placed;

static int placed_cmp(const void *a, const void *b) {
  const placed *x = a, *y = b;
  if (!x->cluster || !y->cluster) {
    if (x->cluster != y->cluster) return x->cluster ? 1 : -1;
  } else {
    int c = strcmp(x->cluster, y->cluster);
    if (c) return c;
  }
  return x->node < y->node ? -1 : x->node > y->node;
}

/* Nodes sorted by cluster, then written cluster by cluster. */
static void write_clusters(FILE *out, const st_registry *r,
                           const unsigned char *keep,
                           const unsigned char *highlight, st_cluster c) {
  size_t n = r->graph.nnodes, k = 0;
  placed *p = st_xmalloc((n ? n : 1) * sizeof *p);
  for (uint32_t i = 0; i < n; i++)
    if (kept(keep, i)) p[k++] = (placed){cluster_of(r, i, c), i};
  qsort(p, k, sizeof *p, placed_cmp);
  for (size_t i = 0, id = 0; i < k; i++) {
    int opens = p[i].cluster &&
                (i == 0 || !p[i - 1].cluster || strcmp(p[i - 1].cluster,
                                                       p[i].cluster));
    if (opens) {
      fprintf(out, "  subgraph cluster_%zu {\n    label=", id++);
      st_dot_string(out, p[i].cluster);
      fputs("; style=rounded; color=\"#999999\";\n", out);
    }
    st_dot_node(out, r, p[i].node, highlight ? highlight[p[i].node] : 0);
    int closes = p[i].cluster &&
                 (i + 1 == k || strcmp(p[i + 1].cluster, p[i].cluster));
    if (closes) fputs("  }\n", out);
  }
  free(p);
}

void st_dot_write(FILE *out, const st_registry *r, const unsigned char *keep,
                  const unsigned char *highlight, st_cluster cluster) {
  const st_graph *g = &r->graph;
  fputs("digraph steward {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", "
        "fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8, "
        "color=\"#666666\"];\n", out);
  write_clusters(out, r, keep, highlight, cluster);
  for (uint32_t n = 0; n < g->nnodes; n++) {
    if (!kept(keep, n)) continue;
    for (uint32_t e = st_graph_out_begin(g, n); e < st_graph_out_end(g, n); e++) {
      uint32_t d = g->out_dst[e];
      if (!kept(keep, d)) continue;
      if (g->out_rel[e] == ST_REL_OWNER && cluster == ST_CLUSTER_OWNER) continue;
      fputs("  ", out);
      st_dot_string(out, st_graph_id(g, n));
      fputs(" -> ", out);
      st_dot_string(out, st_graph_id(g, d));
      fprintf(out, " [label=\"%s\"%s];\n", st_rel_name((st_rel)g->out_rel[e]),
              g->out_rel[e] == ST_REL_OWNER ? ", style=dashed" : "");
    }
  }
  fputs("}\n", out);
}

cJSON *st_dot_json(const st_registry *r, const unsigned char *keep) {
  const st_graph *g = &r->graph;
  cJSON *root = cJSON_CreateObject();
  cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
  cJSON *edges = cJSON_AddArrayToObject(root, "edges");
  for (uint32_t n = 0; n < g->nnodes; n++) {
    if (!kept(keep, n)) continue;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", st_graph_id(g, n));
    cJSON_AddStringToObject(o, "kind", st_kind_name((st_kind)g->nodes[n].kind));
    const char *owner = st_graph_owner_id(&r->graph, n), *stage = node_str(r, n, "stage");
    if (owner) cJSON_AddStringToObject(o, "owner", owner);
    if (stage) cJSON_AddStringToObject(o, "stage", stage);
    cJSON_AddItemToArray(nodes, o);
    for (uint32_t e = st_graph_out_begin(g, n); e < st_graph_out_end(g, n); e++) {
      if (!kept(keep, g->out_dst[e])) continue;
      cJSON *x = cJSON_CreateObject();
      cJSON_AddStringToObject(x, "from", st_graph_id(g, n));
      cJSON_AddStringToObject(x, "to", st_graph_id(g, g->out_dst[e]));
      cJSON_AddStringToObject(x, "rel", st_rel_name((st_rel)g->out_rel[e]));
      cJSON_AddItemToArray(edges, x);
    }
  }
  return root;
}
