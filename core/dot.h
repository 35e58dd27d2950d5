/*
 * dot.h - the registry graph as Graphviz DOT or JSON (`steward graph`, and
 * the picture `steward impact --format dot` draws).
 *
 * Nodes are shaped and coloured by kind, edges labelled by relation, and
 * optionally clustered by owner or stage. A selection (which nodes to draw)
 * and a highlight (touched / affected, for impact) are byte arrays indexed
 * by node, owned by the caller. Writes to a FILE; no globals.
 */
#ifndef ST_DOT_H
#define ST_DOT_H

#include <stdio.h>

#include <cJSON.h>

#include "registry.h"

typedef enum { ST_CLUSTER_NONE, ST_CLUSTER_OWNER, ST_CLUSTER_STAGE } st_cluster;

enum { ST_HL_NONE = 0, ST_HL_AFFECTED = 1, ST_HL_TOUCHED = 2 };

/* Marks in `keep` (nnodes bytes, caller-owned) the nodes within depth hops
 * of focus, following every relation in both directions. */
void st_dot_focus(const st_registry *r, uint32_t focus, int depth,
                  unsigned char *keep);

/* DOT of the kept nodes (keep NULL: all) and the edges between them.
 * highlight may be NULL. */
void st_dot_write(FILE *out, const st_registry *r, const unsigned char *keep,
                  const unsigned char *highlight, st_cluster cluster);

/* Writes one node statement: shape and colour by kind, or by highlight. */
void st_dot_node(FILE *out, const st_registry *r, uint32_t n, int highlight);

/* Writes s as a DOT double-quoted string. */
void st_dot_string(FILE *out, const char *s);

/* {"nodes":[{id, kind, owner, stage}], "edges":[{from, to, rel}]} of the
 * kept nodes; a new tree the caller frees. */
cJSON *st_dot_json(const st_registry *r, const unsigned char *keep);

#endif
