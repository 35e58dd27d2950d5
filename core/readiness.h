/*
 * readiness.h - `steward readiness`: the five readiness criteria and the
 * five sequencing steps of one workflow, with why.
 *
 * The judgement itself lives in the stdlib (steward.readiness and
 * steward.sequencing), shared with the readiness and sequencing policies,
 * so the command and `steward check` cannot disagree. This module runs
 * those functions in a sandbox of its own over the loaded registry, with
 * the parameters of the loaded policies (defaults and --params), and
 * returns their rows as JSON.
 * Ownership: the result is a new cJSON tree the caller frees. Threading:
 * single-threaded.
 */
#ifndef ST_READINESS_H
#define ST_READINESS_H

#include <stdio.h>

#include <cJSON.h>

#include "obs.h"
#include "policy.h"
#include "registry.h"

/* {"workflow", "stage", "criteria":[{id, ok, why, path?}], "steps":[{step,
 * name, ok, why, required}], "required": N, "ready": bool} for node, or
 * NULL with err filled when the stdlib functions fail. */
cJSON *st_readiness_run(const st_registry *reg, const st_obsset *obs,
                        const st_policyset *set, uint32_t node, char *err,
                        size_t errlen);

/* The rows as a terminal report. */
void st_readiness_text(FILE *out, const cJSON *r);

#endif
