/*
 * readiness.h - `steward readiness`: the three layers, the five readiness
 * criteria and the five sequencing steps of one workflow, with why.
 *
 * The judgement itself lives in the stdlib (steward.readiness and
 * steward.sequencing), shared with the readiness and sequencing policies,
 * so the command and `steward check` cannot disagree. This module runs
 * those functions in a sandbox of its own over the loaded registry, with
 * the parameters of the loaded policies (defaults and --params), and
 * returns their rows as JSON. The sandbox and its ctx come from host.h, as
 * every policy's do. The layers (steward.layers) are judged from the
 * workflow's findings in one run of every loaded policy, the run `steward
 * check` makes, so each layer's failing policies are the ones check
 * reports on the workflow.
 * Ownership: the result is a new cJSON tree the caller frees. Threading:
 * single-threaded.
 */
#ifndef ST_READINESS_H
#define ST_READINESS_H

#include <stdio.h>

#include <cJSON.h>

#include "obs.h"
#include "session.h"

typedef struct {
  double now;
  const st_obsset *obs;      /* NULL: the session's */
} st_readiness_opts;

/* {"workflow", "stage", "layers":[{layer, complete, failing:[id],
 * waived:[id]}], "criteria":[{id, ok, why, path?, waived_by?}],
 * "steps":[{step, name, ok, why, required}], "required": N, "ready": bool}
 * for node of the session's registry, or NULL with err filled when the
 * stdlib functions fail. A failing criterion whose policy a waiver accepts
 * for this workflow is shown as waived and does not make it unready. */
cJSON *st_readiness_run(const st_session *s, const st_readiness_opts *o,
                        uint32_t node, char *err, size_t errlen);

/* The rows as a terminal report. */
void st_readiness_text(FILE *out, const cJSON *r);

#endif
