/*
 * policy.h - policy packs: load, validate, hold the definitions.
 *
 * A policy is a Lua file returning {id, title, severity, enforcement,
 * layer, subjects, check, params, limits}; a pack is a directory of them
 * (searched recursively; *_test.lua files are tests, not policies). `layer`
 * is optional: a policy without one loads, and its findings carry none.
 * Loading runs each file once in a sandbox of its own (host.h) to read and
 * check its table; what is kept is the definition: source, metadata,
 * effective parameters and limits. Evaluation is the runner's (runner.h),
 * which builds each policy's state from its source per thread; the state
 * that loaded a policy is kept as a spare that the first runner adopts, so
 * a one-shot CLI run executes each policy file once.
 *
 * A file that hits a limit while it loads is kept, named by its path, with
 * load_kill set: every evaluation reports it as a policy that failed to run
 * (exit 3) while the others still report.
 *
 * Ownership: an st_policyset owns its definitions and spare states.
 * Threading: loading and st_policyset_params are single-threaded; after
 * that the set is read-only but for `spare`, which is taken with an atomic
 * exchange, so any number of runners on any threads may share it.
 */
#ifndef ST_POLICY_H
#define ST_POLICY_H

#include <stdatomic.h>
#include <stddef.h>

#include <cJSON.h>

#include "finding.h"
#include "obs.h"
#include "registry.h"
#include "sandbox.h"

typedef struct {
  char *file, *source;       /* path and text, kept to rebuild the state */
  char *id, *title;
  int severity, enforcement;
  int layer;                 /* st_layer; ST_LAYER_NONE when not declared */
  int subjects_kind;         /* st_kind, or -1 when subjects is a function */
  st_limits limits;          /* the policy's own, over the run's */
  cJSON *params;             /* effective parameters (object) */
  int load_kill;             /* st_errkind when loading hit a limit: the
                              * policy stays, named by its file, and each
                              * evaluation reports that it failed to run */
  _Atomic(st_sandbox *) spare;  /* the state that loaded it, until a runner
                                 * adopts it */
} st_policy;

typedef struct {
  st_policy *v;
  size_t n, cap;
  st_limits limits;          /* run-wide limits */
  char *stdlib_dir;
  double load_now;           /* the clock policy files load under */
  struct st_coverage *coverage;  /* passed to every sandbox; may be NULL */
} st_policyset;

/* load_now is the clock the policy files' chunks see while they load. */
void st_policyset_init(st_policyset *s, const char *stdlib_dir,
                       double load_now, const st_limits *limits);
void st_policyset_free(st_policyset *s);

/* Loads one policy file, or every policy under a directory. Errors (syntax,
 * a bad table, a duplicate id) return ST_EINPUT with "FILE: what" or
 * "FILE:LINE: what". A file that hits a limit while it runs is kept, named
 * by its path, with load_kill set: each evaluation reports it as a policy
 * that failed to run. */
int st_policyset_load(st_policyset *s, const char *path, char *err,
                      size_t errlen);
/* Loads a policy from text; name is used as its file name in messages. */
int st_policyset_load_text(st_policyset *s, const char *name,
                           const char *text, size_t len, char *err,
                           size_t errlen);

/* Applies user parameters: {"policy.id": {"param": value}}. An unknown
 * policy or parameter is ST_EINPUT. Borrows overrides. */
int st_policyset_params(st_policyset *s, const cJSON *overrides, char *err,
                        size_t errlen);

st_policy *st_policyset_find(const st_policyset *s, const char *id);

/* The limits a policy's calls run under: the set's, overridden by those
 * the policy declares. */
st_limits st_policy_limits(const st_policyset *s, const st_policy *p);

/* Builds a state for p from its source under `now`: a host sandbox that has
 * run the policy file, with its table stored in the state (pushed again by
 * st_policy_push_table). Returns ST_OK with *out set, or an error with
 * *out the failed sandbox (killed or not; the caller frees it, may be NULL)
 * and err naming the file. */
int st_policy_build_state(const st_policyset *s, const st_policy *p,
                          double now, st_sandbox **out, char *err,
                          size_t errlen);

/* Pushes the policy table of a state built by st_policy_build_state.
 * [-0, +1] */
void st_policy_push_table(lua_State *L);

/* A raw string field of the table at idx, or NULL; valid while the table
 * holds it. [-0, +0] */
const char *st_policy_raw_string(lua_State *L, int idx, const char *key);

#endif
