/*
 * blast.h - which nodes a change reaches, and how surely (the blast radius
 * of `steward impact`; docs/impact.md draws the rules).
 *
 * Change travels along data and model lineage, from the touched nodes:
 *   a model       reaches the workflows that use it;
 *   a dataset     reaches its readers (workflows and models);
 *   a workflow    reaches the workflows it feeds and the datasets it
 *                 writes, and marks the systems it writes;
 *   any node      reaches what depends_on it, except a system reached only
 *                 because a workflow writes to it: that system is affected
 *                 but carries the change no further, but as *possible*;
 *   a system that is itself touched reaches what depends_on it.
 * Owners are never reached through (they are told, not changed).
 *
 * Each reached node gets a distance (hops from the nearest touched node),
 * the node it was reached from, and a reach: `direct` (one hop along
 * lineage), `downstream` (further along lineage) or `possible` (only past
 * a written system). Lineage is walked first, so a node reachable both
 * ways is downstream, never possible. A depth bound stops the walk.
 *
 * Ownership: the caller's st_blast owns its arrays (free with
 * st_blast_free); the graph is borrowed. Threading: one walk at a time per
 * st_blast; graphs are only read.
 */
#ifndef ST_BLAST_H
#define ST_BLAST_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"

typedef enum {
  ST_REACH_NONE, ST_REACH_DIRECT, ST_REACH_DOWNSTREAM, ST_REACH_POSSIBLE
} st_reach;

typedef struct {
  const st_graph *g;
  uint32_t *dist;            /* per node; valid where reach != NONE */
  uint32_t *via;             /* per node: reached from; ST_NODE_NONE at a
                              * start */
  uint8_t *reach;            /* st_reach per node; starts are NONE */
  uint8_t *start;            /* 1 for the touched nodes */
  uint32_t *queue;           /* every node the walk visited, in order */
  size_t nqueue;
} st_blast;

void st_blast_init(st_blast *b, const st_graph *g);
void st_blast_free(st_blast *b);

/* Walks from the starts (distance 0) by the rules above, at most
 * max_depth hops (< 0: no bound). A fresh walk each call. */
void st_blast_walk(st_blast *b, const uint32_t *starts, size_t nstarts,
                   int max_depth);

/* "direct", "downstream", "possible" (NULL for none). */
const char *st_reach_name(int r);

#endif
