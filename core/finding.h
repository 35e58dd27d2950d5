/*
 * finding.h - a finding: what a policy (or the loader) found wrong, where.
 *
 * A finding is {policy, subject, severity, enforcement, message, path,
 * evidence, error}, as the reports show it; `error` is set when the
 * finding records a policy that failed to run rather than a rule that
 * failed.
 * Ownership: an st_findings list owns every string and evidence tree in it;
 * st_findings_add copies its string arguments and takes ownership of the
 * evidence. Threading: a list belongs to one thread at a time.
 */
#ifndef ST_FINDING_H
#define ST_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

typedef enum {
  ST_SEV_INFO, ST_SEV_LOW, ST_SEV_MEDIUM, ST_SEV_HIGH, ST_SEV_CRITICAL,
  ST_SEV_COUNT
} st_severity;

typedef enum { ST_ENF_ADVISORY, ST_ENF_SOFT, ST_ENF_HARD } st_enforcement;

typedef enum {
  ST_ERRK_NONE, ST_ERRK_RUNTIME, ST_ERRK_INSTRUCTIONS, ST_ERRK_MEMORY,
  ST_ERRK_DEADLINE
} st_errkind;

typedef struct {
  char *policy, *subject, *message, *path;  /* path may be NULL */
  cJSON *evidence;                          /* may be NULL */
  uint8_t severity, enforcement, error;
  char *waiver;                             /* accepting waiver id, or NULL */
  char *key;          /* identity across runs (impact's diff); NULL means
                       * the message is the key */
} st_finding;

typedef struct {
  st_finding *v;
  size_t n, cap;
} st_findings;

const char *st_severity_name(int s);
int st_severity_parse(const char *s);       /* -1 if unknown */
const char *st_enforcement_name(int e);
int st_enforcement_parse(const char *s);    /* -1 if unknown */
const char *st_errkind_name(int k);

void st_findings_init(st_findings *f);
void st_findings_free(st_findings *f);
/* Appends a finding; copies the strings, takes ownership of evidence.
 * Returns the new finding (valid until the next add). */
st_finding *st_findings_add(st_findings *f, const char *policy,
                            const char *subject, int severity,
                            int enforcement, const char *message,
                            const char *path, cJSON *evidence);
/* Moves every finding of src to the end of dst; src is left empty. */
void st_findings_move(st_findings *dst, st_findings *src);
/* Sorts by subject, then policy, then message: the order reports use. */
void st_findings_sort(st_findings *f);

#endif
