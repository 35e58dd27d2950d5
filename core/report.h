/*
 * report.h - the result of a run, and its findings as text or JSON.
 *
 * An st_report is what st_session_check (session.h) produces: the findings
 * (sorted, waivers applied), their summary and the registry they concern.
 * Text groups findings by subject, most severe first within a subject, and
 * colours severities only when writing to a terminal. JSON is
 * {"findings":[{policy, subject, severity, enforcement, layer, message,
 * path, evidence, key, identity, error?, waived_by?}], "summary":{...,
 * "by_layer": {technical, process, governance, none}}}; text ends with the
 * counts, then open findings by layer, then what blocks.
 *
 * Ownership: a report owns its findings, and its registry when owns_registry
 * is set (a run on a changed copy); free with st_report_free. The writers
 * borrow what they print and allocate only transiently. Threading: no
 * globals.
 */
#ifndef ST_REPORT_H
#define ST_REPORT_H

#include <stdio.h>

#include "finding.h"

typedef enum { ST_FMT_TEXT, ST_FMT_JSON } st_format;

typedef struct {
  size_t findings, waived, errors, policies, subjects;
  size_t blocking;                  /* mandatory, >= fail_on, not waived */
  size_t by_severity[ST_SEV_COUNT];
  size_t by_layer[ST_LAYER_COUNT];  /* open (not waived) findings, by
                                     * st_layer; [ST_LAYER_NONE]: no layer */
  int fail_on;
} st_summary;

struct st_registry;

typedef struct {
  st_findings findings;             /* sorted; waivers applied */
  st_summary summary;
  size_t failed;                    /* policy runs that failed */
  int stopped;                      /* ST_STOP_* (runner.h): the run ended
                                     * early and is not complete */
  const struct st_registry *registry;   /* what the run evaluated */
  int owns_registry;                /* registry is the report's to free */
} st_report;

void st_report_init(st_report *r);
void st_report_free(st_report *r);

/* Counts; whether a finding blocks is st_finding_blocks (finding.h). */
void st_summarize(const st_findings *f, int fail_on, size_t policies,
                  st_summary *s);

/* 3 when a policy failed to run, 1 when a finding blocks, else 0. */
int st_exit_code(const st_summary *s);

/* A finding as a JSON object (a new tree; caller frees). */
cJSON *st_finding_json(const st_finding *f);

void st_report_text(FILE *out, const st_findings *f, const st_summary *s,
                    int color);
void st_report_json(FILE *out, const st_findings *f, const st_summary *s);

#endif
