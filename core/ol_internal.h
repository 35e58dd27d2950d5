/*
 * ol_internal.h - what the files of the OpenLineage importer share:
 * openlineage.c (reading inputs, checking events), ol_convert.c (the
 * records events make), ol_state.c (what is known of each run), ol_map.c
 * (the mapping to registry ids), ol_suggest.c (the fragment of what is not
 * registered) and ol_cmd.c (the command line). Nothing else includes it.
 *
 * Keyed tables are an st_doc used as a string interner: atoms are dense
 * from 0, so an array indexed by atom holds each key's value.
 *
 * Ownership: a map owns its ids; a state owns its runs and what it saw.
 * Threading: as openlineage.h.
 */
#ifndef ST_OL_INTERNAL_H
#define ST_OL_INTERNAL_H

#include "doc.h"
#include "openlineage.h"

/* {=== The mapping (ol_map.c) =========================================== */

/* What an OpenLineage name resolved to: an id the caller frees, whether
 * it names a registered entry (or, without a registry, a mapped one), and
 * whether that entry is a model. */
typedef struct {
  char *id;
  int registered;
  int is_model;
} ol_ref;

/* A job (namespace, name): a workflow's openlineage field, a map file's
 * jobs entry, else "namespace/name". */
ol_ref ol_map_job(const st_ol_map *m, const char *ns, const char *name);

/* A dataset: a dataset's or model's openlineage field, a map file's
 * datasets or models entry, else "namespace/name". */
ol_ref ol_map_dataset(const st_ol_map *m, const char *ns, const char *name);

/* A model named by a steward_model facet: a registered model id, a
 * model's mlflow_name, a map file's models entry without namespace, else
 * the name itself. */
ol_ref ol_map_model(const st_ol_map *m, const char *name);

/* Whether id is a registered owner (for suggested owners). */
int ol_map_is_owner(const st_ol_map *m, const char *id);

/* }=== */

/* {=== What a state knows (openlineage.c, read by ol_suggest.c) ========= */

typedef struct {
  char *model, *version, *via;     /* version may be NULL */
} ol_use;

typedef struct {
  char *job;                 /* the job's id, NULL until an event names it */
  double started;            /* epoch seconds of its START; < 0: unknown */
  int ended;                 /* its terminal event was seen */
  int changed;               /* since the last st_ol_state_changed */
  ol_use *uses;
  size_t nuses, uses_cap;
} ol_run;

/* A list of distinct strings, in the order first added. */
typedef struct {
  char **v;
  size_t n, cap;
} ol_strs;

void ol_strs_add(ol_strs *l, const char *s);
void ol_strs_free(ol_strs *l);

/* A job or dataset that is not registered, as far as events said. */
typedef struct {
  char *id, *ns, *name;
  int is_job;
  size_t events;
  char *first_at, *last_at;  /* eventTime as written */
  double first, last;
  cJSON *job_type;           /* the jobType facet's fields, or NULL */
  cJSON *owners;             /* the ownership facet's owners, or NULL */
  cJSON *fields;             /* the latest schema facet's fields, or NULL */
  char *version;             /* the latest version seen, or NULL */
  ol_strs reads, writes, uses;   /* jobs: ids of inputs, outputs, models */
} ol_seen;

struct st_ol_state {
  st_ol_load_fn load;
  void *ud;
  int suggest;
  st_doc run_keys;           /* run ids */
  ol_run **runs;             /* by atom of run_keys; NULL: not looked up */
  size_t runs_cap;
  st_doc seen_keys;          /* "J" or "D" and the id */
  ol_seen *seen;             /* by atom of seen_keys */
  size_t seen_cap;
};

/* }=== */

/* {=== Events (openlineage.c) =========================================== */

typedef enum { EV_RUN, EV_JOB, EV_DATASET } ev_kind;

/* eventType; absent reads as OTHER, as the spec allows. */
enum { T_START, T_RUNNING, T_COMPLETE, T_ABORT, T_FAIL, T_OTHER };

/* One event of an input: its tree, and where its text is, so an error can
 * say a line and a column. */
typedef struct {
  cJSON *j;                  /* owned */
  const char *src;           /* the text positions are found in */
  size_t srclen;
  char prefix[32];           /* the event's pointer within src: "" or "/3" */
  int lineno;                /* JSON Lines: its line (src is the line) */
  size_t seq;                /* input order */
  double at;
  ev_kind kind;
  int type;
} event;

typedef struct {
  const char *name;
  event *v;
  size_t n, cap;
  char *err;
  size_t errlen;
} batch;

/* Reads JSON Lines, one array or one object into b (b->name, err and
 * errlen set by the caller), and checks every event. ST_EINPUT with err
 * naming the event's line, column and pointer. */
int ol_read(batch *b, const char *text, size_t len);
void ol_batch_free(batch *b);

/* facets/name, unless absent, not an object, or {"_deleted": true}. */
const cJSON *ol_facet(const cJSON *facets, const char *name);

/* }=== */

/* {=== Runs (ol_state.c) ================================================ */

/* Looks run id up (the caller's loader the first time); ST_EIO when the
 * loader fails. */
int ol_run_lookup(st_ol_state *s, const char *id, char *err, size_t errlen);
/* The run's state, once looked up; else NULL. */
ol_run *ol_run_of(st_ol_state *s, const char *id);
/* Adds a model the run uses (once per model; a version said later fills
 * in one not said before). */
void ol_use_add(ol_run *r, const char *model, const char *version,
                const char *via);

/* }=== */

#endif
