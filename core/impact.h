/*
 * impact.h - what a change would do, before it rolls out (`steward impact`).
 *
 * Both sides run through the session's one pipeline (session.h): the
 * registry as loaded, and a private copy with the change set (RFC 7386
 * merge patch or RFC 6902 JSON Patch, patch.h) applied, with the same
 * policies, observations and clock. Their findings are diffed by finding
 * identity (finding.h). The evaluation is full on both sides: the diff is
 * then exactly what two `steward check` runs would give, including findings
 * upstream of the change (a new feeds edge changes the fan-out of the
 * models above it).
 *
 * Touched nodes are those added, removed, or whose fields changed. The
 * blast radius is every node a touched node reaches by the lineage rules of
 * blast.h, in the graph after the change and, for what the change
 * disconnects, before it; each affected node has its distance, its reach
 * (direct, downstream or possible), the path it was reached by, its owner
 * and review flags. Only touched nodes and direct or downstream ones can
 * make the verdict `review`; a possible one is shown, not judged.
 * Whether a node is sensitive (a reason for the `review` verdict) is the
 * packs' judgement, made in Lua by steward.impact with the policies'
 * parameters, never decided here.
 *
 * Ownership: st_impact owns both reports (and with them the changed
 * registry) and the JSON result; free with st_impact_free. The session is
 * borrowed. Threading: one impact per thread; the session may be shared.
 */
#ifndef ST_IMPACT_H
#define ST_IMPACT_H

#include <stdio.h>

#include <cJSON.h>

#include "obs.h"
#include "report.h"
#include "session.h"

typedef enum { ST_VERDICT_CLEAR, ST_VERDICT_REVIEW, ST_VERDICT_BLOCKED } st_verdict;

/* What the packs judge of a node (im->flags). */
enum {
  ST_FLAG_STAKES = 1,          /* stakes that need a human in the loop */
  ST_FLAG_IRREVERSIBLE = 2,    /* decision.reversible is false */
  ST_FLAG_SENSITIVE = 4        /* a change reaching it needs review */
};

typedef struct {
  st_report before, after;     /* each side's findings and registry */
  unsigned char *flags;        /* per node of `after`: ST_FLAG_* */
  unsigned char *reach;        /* per node of `after`: st_reach (blast.h) */
  int removed_sensitive;       /* the change removes a sensitive node */
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
  const st_obsset *obs;        /* NULL: the session's */
  int depth;                   /* bound on the blast radius; 0: none */
} st_impact_opts;

/* Evaluates `change` against the session's registry. Returns ST_OK, or
 * ST_EINPUT with err naming the change file, the operation and the path
 * when the change cannot be applied or leaves an invalid registry. On
 * error *im is still freed by st_impact_free. */
int st_impact_run(st_impact *im, const st_session *s, const cJSON *change,
                  const st_impact_opts *o, char *err, size_t errlen);
void st_impact_free(st_impact *im);

const char *st_verdict_name(st_verdict v);
/* 3 when a policy failed to run, 1 when blocked, else 0. */
int st_impact_exit_code(const st_impact *im);

void st_impact_text(FILE *out, const st_impact *im, int color);
void st_impact_markdown(FILE *out, const st_impact *im);
void st_impact_dot(FILE *out, const st_impact *im);

#endif
