/*
 * obs.h - observations: what happened over time, read from JSON Lines.
 *
 * Each line is one JSON object with `at` (an RFC 3339 date or time) and a
 * subject (`subject`, or `model` for usage records). Kinds: a metric (no
 * `kind`: `metric` and a numeric `value`), `usage` (`model`, `caller`,
 * `count`), `incident` (`subject`, `severity`), `override` (`subject`,
 * `count`, `of`), `run` (`subject`, `status` complete|fail|abort, optional
 * `duration_s`), `schema` (`dataset`, and `version` or `fields`); other
 * kinds are kept as they are. Lines are validated as they are read and
 * every error names FILE:LINE:COL.
 *
 * Records are held in their own st_doc and indexed by (subject, time), so a
 * policy's question "the psi of lead-scorer over the last 90 days" is a
 * binary search plus a scan of exactly the answer.
 * Ownership: st_obsset owns everything; free with st_obs_free. Threading:
 * loading is single-threaded; a loaded set is read-only and may be shared.
 */
#ifndef ST_OBS_H
#define ST_OBS_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "doc.h"

typedef struct {
  double at;                 /* epoch seconds */
  uint32_t subject;          /* atom in the set's doc */
  uint32_t metric;           /* atom of `metric`, or of `kind` ("usage"…) */
  uint32_t seq;              /* input order, to keep sorting stable */
  uint8_t is_kind;           /* metric holds the record's `kind` */
  st_val value;              /* the whole record */
} st_obs;

typedef struct {
  st_doc doc;
  st_obs *v;
  size_t n, cap;
  int sorted;
} st_obsset;

void st_obs_init(st_obsset *s);
void st_obs_free(st_obsset *s);

/* Reads a JSON Lines file into the set. Returns ST_OK, or ST_EINPUT/ST_EIO
 * with err "FILE:LINE:COL: what"; on error the set keeps the lines of the
 * files read before this one. */
int st_obs_load(st_obsset *s, const char *path, char *err, size_t errlen);

/* The same for JSON Lines held in memory (len bytes, not necessarily
 * NUL-terminated); name labels errors. All of it or nothing of it. */
int st_obs_load_text(st_obsset *s, const char *name, const char *text,
                     size_t len, char *err, size_t errlen);

/* Parses one line (no newline). name/lineno only shape error messages. */
int st_obs_add_line(st_obsset *s, const char *line, size_t len,
                    const char *name, int lineno, char *err, size_t errlen);

/* What a valid record says: its time, subject (`model` for usage,
 * `dataset` for schema), kind
 * (NULL for a metric record) and metric (or kind). The strings point into
 * the checked cJSON object. */
typedef struct {
  double at;
  const char *subject, *kind, *metric;
} st_obs_fields;

/* Checks a parsed record exactly as st_obs_add_line does (fields, types,
 * kinds, repeated keys) without keeping it; line/len is its text, for the
 * error's column. Returns ST_OK with *f filled, or ST_EINPUT. */
int st_obs_check(const cJSON *o, const char *line, size_t len,
                 const char *name, int lineno, st_obs_fields *f, char *err,
                 size_t errlen);

/* Sorts by (subject, time, input order); call after the last add. */
void st_obs_index(st_obsset *s);

/* The records of subject in time order: [*first, *first + count). */
size_t st_obs_range(const st_obsset *s, const char *subject, size_t *first);

#endif
