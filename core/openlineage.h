/*
 * openlineage.h - OpenLineage events into observations: what
 * `steward import openlineage` prints and what the daemon's
 * POST /api/v1/lineage stores. docs/openlineage.md has the mapping table.
 *
 * Events follow the OpenLineage spec 2-0-2: RunEvent (run, job, eventType
 * START, RUNNING, COMPLETE, ABORT, FAIL or OTHER), JobEvent (job, no run)
 * and DatasetEvent (dataset), each with eventTime, producer and schemaURL;
 * jobs and datasets are named by namespace and name and carry facets. An
 * input is JSON Lines, one JSON array of events, or one event object.
 * Every event is checked before anything is made of the input: a
 * malformed one is an error "NAME:LINE:COL: /pointer: what", and nothing
 * of that input counts. Facets steward reads (listed in
 * docs/openlineage.md) are checked; any other facet is ignored.
 *
 * What comes out, as observation records (obs.h): `run` for every run's
 * terminal event (COMPLETE, FAIL, ABORT; once per run), with its duration
 * when its START was seen; `usage` for every model the run declares (a
 * `steward_model` job or run facet, or an input that maps to a registered
 * model), once per run, at its end; `schema` for every dataset whose
 * `schema`, `version` or `steward_schema` facet an event carries.
 *
 * Mapping (st_ol_map): a job or dataset (namespace, name) is a registry id
 * by the `openlineage` field of a workflow (jobs), dataset or model
 * (datasets), or by a map file, else it keeps "namespace/name". A map
 * file is JSON: {"jobs": [{namespace, name, id}], "datasets": [...],
 * "models": [{namespace, name, id} for a dataset that is a model, or
 * {name, id} for a name a steward_model facet gives]}.
 *
 * Runs span inputs (a START in one request, its COMPLETE in the next), so
 * what is known of each run lives in an st_ol_state: its start, the models
 * it declared, whether it ended. The daemon persists the runs an input
 * changed and gives the state a loader for runs it has not seen.
 *
 * Ownership: a map and a state are the caller's (st_ol_map_free,
 * st_ol_state_free); the map borrows nothing from the registry it was
 * built from. Records are appended to the caller's cJSON array.
 * Threading: none shared; a map is read-only once built and may be used by
 * several conversions, one at a time per state.
 */
#ifndef ST_OPENLINEAGE_H
#define ST_OPENLINEAGE_H

#include <stddef.h>
#include <stdio.h>

#include <cJSON.h>

#include "registry.h"

typedef struct st_ol_map st_ol_map;
typedef struct st_ol_state st_ol_state;

/* Builds the mapping from the registry's `openlineage` and `mlflow_name`
 * fields (reg may be NULL) and a map file's text (NULL for none; name
 * labels its errors). Two entries mapping one job or dataset to different
 * ids are an error naming where. Returns ST_OK and *out, or ST_EINPUT. */
int st_ol_map_new(const st_registry *reg, const char *map_name,
                  const char *map_text, size_t map_len, st_ol_map **out,
                  char *err, size_t errlen);

/* The same with the map file read from path (NULL: none). ST_EIO when it
 * cannot be read. */
int st_ol_map_load(const st_registry *reg, const char *map_path,
                   st_ol_map **out, char *err, size_t errlen);
void st_ol_map_free(st_ol_map *m);

/* Looks a run up in the caller's durable state: ST_OK with *state the
 * run's JSON as st_ol_state_changed gave it (malloc'd; the state frees
 * it) or NULL when unknown; ST_EIO with err on failure. */
typedef int (*st_ol_load_fn)(void *ud, const char *run_id, char **state,
                             char *err, size_t errlen);

/* A new state; load may be NULL (only what this state saw is known).
 * With suggest, jobs and datasets that are not registered are collected
 * for st_ol_suggest. */
st_ol_state *st_ol_state_new(st_ol_load_fn load, void *ud, int suggest);
void st_ol_state_free(st_ol_state *s);

/* Converts one input: checks every event, then appends the records they
 * make to out (a cJSON array), in eventTime order (input order among
 * equal times), and *events the number of events read. ST_EINPUT with err
 * "NAME:LINE:COL: ..." for a malformed event, ST_EIO when the loader
 * fails; either way out and the state are as they were. */
int st_ol_convert(const st_ol_map *m, st_ol_state *s, const char *name,
                  const char *text, size_t len, cJSON *out, size_t *events,
                  char *err, size_t errlen);

/* The runs the conversions since the last call changed, to persist: n
 * pairs (run id, its state as JSON), each string malloc'd for the caller
 * to free with the arrays. Clears the changed marks. */
size_t st_ol_state_changed(st_ol_state *s, char ***run_ids, char ***states);

/* The registry fragment of everything seen and not registered (a state
 * made with suggest): {"$comment", "suggestions": {"owners", "datasets",
 * "models", "workflows"}}. Not a registry file: steward refuses to load
 * it, so it is never merged by accident. A new tree the caller frees. */
cJSON *st_ol_suggest(const st_ol_state *s, const st_ol_map *m);

/* `steward import openlineage FILE... [--registry DIR] [--map FILE]
 * [--suggest FILE]`: argv past "openlineage". Prints the records as JSON
 * Lines on out, errors on err; returns the exit code (0, or 2 for a
 * usage or input error, after which nothing was printed on out). */
int st_ol_import_main(int argc, char **argv, FILE *out, FILE *err);

#endif
