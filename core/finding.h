/*
 * finding.h - a finding: what a policy (or the loader) found wrong, where.
 *
 * A finding is {policy, subject, severity, enforcement, layer, message,
 * path, evidence, key, error} (docs/registry.md, "Findings and their
 * identity"); `error` is set when the finding records a policy that failed
 * to run rather than a rule that failed, and `layer` is its policy's (none
 * for the loader's).
 *
 * Identity: a finding is the same finding across runs when its (policy,
 * subject, path, key) are equal, where key is what the policy passed to
 * ctx.fail and "" when it passed none. Never the message, so a number that
 * changes inside a message does not make a new finding. Impact's diff, the
 * daemon's new/resolved and first_seen, alerts and SARIF fingerprints all
 * use st_finding_identity_cmp or st_finding_fingerprint, defined here once.
 *
 * Whether a finding blocks (st_finding_blocks) is also defined here once:
 * check, impact, readiness and serve ask this function.
 *
 * Ownership: an st_findings list owns every string and evidence tree in it;
 * st_findings_add copies its string arguments and takes ownership of the
 * evidence. Threading: a list belongs to one thread at a time; the functions
 * on a single finding only read it.
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

/* The layer of an AI integration a policy judges (docs/policies.md, "The
 * three layers"); ST_LAYER_NONE for a policy that declares none and for
 * the loader's own findings. */
typedef enum {
  ST_LAYER_NONE, ST_LAYER_TECHNICAL, ST_LAYER_PROCESS, ST_LAYER_GOVERNANCE,
  ST_LAYER_COUNT
} st_layer;

typedef enum {
  ST_ERRK_NONE, ST_ERRK_RUNTIME, ST_ERRK_INSTRUCTIONS, ST_ERRK_MEMORY,
  ST_ERRK_DEADLINE
} st_errkind;

typedef struct {
  char *policy, *subject, *message, *path;  /* path may be NULL */
  cJSON *evidence;                          /* may be NULL */
  uint8_t severity, enforcement, error;
  uint8_t layer;                            /* st_layer of its policy */
  char *waiver;                             /* accepting waiver id, or NULL */
  char *key;          /* what the policy passed as ctx.fail's key; NULL is
                       * the empty key */
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
const char *st_layer_name(int l);           /* NULL for ST_LAYER_NONE */
int st_layer_parse(const char *s);          /* -1 if unknown */

void st_findings_init(st_findings *f);
void st_findings_free(st_findings *f);
/* Appends a finding; copies the strings, takes ownership of evidence.
 * Returns the new finding (valid until the next add). */
st_finding *st_findings_add(st_findings *f, const char *policy,
                            const char *subject, int severity,
                            int enforcement, const char *message,
                            const char *path, cJSON *evidence);
/* Appends a deep copy of every finding of src to dst. */
void st_findings_copy(st_findings *dst, const st_findings *src);
/* Moves every finding of src to the end of dst; src is left empty. */
void st_findings_move(st_findings *dst, st_findings *src);
/* Sorts by subject, then policy, then message, then path, then key: the
 * order reports use (total, so every run prints the same bytes). */
void st_findings_sort(st_findings *f);

/* True when f blocks at fail_on: its policy is mandatory (soft or hard), its
 * severity is at least fail_on, it is not waived and it is not a policy that
 * failed to run (that is exit 3, not 1). fail_on ST_SEV_COUNT: nothing
 * blocks (--fail-on none). */
int st_finding_blocks(const st_finding *f, int fail_on);

/* Orders findings by identity (policy, subject, path, key); 0 when they are
 * the same finding. */
int st_finding_identity_cmp(const st_finding *a, const st_finding *b);

#define ST_FINGERPRINT_LEN 32
/* The identity as 32 lowercase hex digits (the first 128 bits of SHA-256 of
 * policy, subject, path and key, each followed by a NUL byte), written
 * NUL-terminated into out[ST_FINGERPRINT_LEN + 1]. Stable across versions:
 * stored fingerprints and SARIF partialFingerprints depend on it. */
void st_finding_fingerprint(const st_finding *f,
                            char out[ST_FINGERPRINT_LEN + 1]);

#endif
