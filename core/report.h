/*
 * report.h - findings as text or JSON, and the exit code they imply.
 *
 * Text groups findings by subject, most severe first within a subject, and
 * colours severities only when writing to a terminal. JSON is
 * {"findings":[{policy, subject, severity, enforcement, message, path,
 * evidence, error?, waived_by?}], "summary":{...}}. Reports borrow the
 * findings; they write to a FILE and allocate only transiently.
 * Threading: no globals.
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
  int fail_on;
} st_summary;

/* Counts; a finding blocks when its policy is mandatory (soft or hard), its
 * severity is at least fail_on and no waiver accepts it. */
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
