/*
 * impact.h - what a change would do, before it rolls out (`steward impact`).
 *
 * A change set (RFC 7386 merge patch or RFC 6902 JSON Patch, patch.h) is
 * applied to the registry as one document. Both sides are then loaded the
 * same way, from the document before and after, so that the only difference
 * between them is the change: the same policies, observations and clock run
 * on each, and their findings are diffed by (policy, subject, key), where
 * the key is a finding's `key` or else its message. The evaluation is full
 * on both sides: the diff is then exactly what two `steward check` runs
 * would give, including findings upstream of the change (a new feeds edge
 * changes the fan-out of the models above it).
 *
 * Touched nodes are those added, removed, or whose fields changed. The
 * blast radius is every node reachable from a touched node in the direction
 * change propagates (graph.h ST_PROPAGATE_*), in the graph after the change
 * and, for what the change disconnects, before it; each affected node has
 * its distance, the path it was reached by, its owner and review flags.
 *
 * Ownership: st_impact owns both registries, both finding lists and the
 * JSON result; free with st_impact_free. Threading: single-threaded.
 */
#ifndef ST_IMPACT_H
#define ST_IMPACT_H

#include <stdio.h>

#include <cJSON.h>

#include "obs.h"
#include "policy.h"
#include "registry.h"

typedef enum { ST_VERDICT_CLEAR, ST_VERDICT_REVIEW, ST_VERDICT_BLOCKED } st_verdict;

typedef struct {
  st_registry before, after;
  st_findings found_before, found_after;
  unsigned char *highlight;    /* per node of `after`: ST_HL_* */
  unsigned char *keep;         /* per node of `after`: drawn in dot */
  cJSON *result;               /* the JSON report */
  st_verdict verdict;
  size_t failed;               /* policy runs that failed, both sides */
} st_impact;

typedef struct {
  const char *change_name;     /* for messages */
  int fail_on;
  double now;
  st_load_opts load;
} st_impact_opts;

/* Evaluates `change` against `reg` (already loaded and valid). Returns
 * ST_OK, or ST_EINPUT with err naming the change file, the operation and
 * the path when the change cannot be applied or leaves an invalid
 * registry. On error *im is still freed by st_impact_free. */
int st_impact_run(st_impact *im, const st_registry *reg, const cJSON *change,
                  st_policyset *set, const st_obsset *obs,
                  const st_impact_opts *o, char *err, size_t errlen);
void st_impact_free(st_impact *im);

const char *st_verdict_name(st_verdict v);
/* 3 when a policy failed to run, 1 when blocked, else 0. */
int st_impact_exit_code(const st_impact *im);

void st_impact_text(FILE *out, const st_impact *im, int color);
void st_impact_markdown(FILE *out, const st_impact *im);
void st_impact_dot(FILE *out, const st_impact *im);

#endif
