/*
 * policy.h - policy packs: load, validate, evaluate, collect findings.
 *
 * A policy is a Lua file returning {id, title, severity, enforcement,
 * subjects, check, params, limits}; a pack is a directory of them (searched
 * recursively; *_test.lua files are tests, not policies). Each policy is
 * loaded into its own sandbox, once; its table stays there and is read with
 * raw access only. Evaluating a policy binds the registry to its state,
 * builds ctx ({fail, graph, now, params, observations, policy}) and calls
 * check(node, ctx) for each subject under the sandbox limits.
 *
 * A runtime error in check is a finding for that subject (error "runtime")
 * and the run goes on; a kill (instructions, memory, deadline) is one
 * finding naming the limit and how far the policy got, after which the
 * state is rebuilt from the policy's source and the policy's run stops.
 *
 * Ownership: an st_policyset owns its policies, their sandboxes and sources.
 * Threading: a policy is evaluated by one thread at a time; different
 * policies may be evaluated on different threads at once.
 */
#ifndef ST_POLICY_H
#define ST_POLICY_H

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
  int subjects_kind;         /* st_kind, or -1 when subjects is a function */
  st_limits limits;          /* the policy's own, over the run's */
  cJSON *params;             /* effective parameters (object) */
  st_sandbox *sb;
  int table_ref;             /* the policy table in its state's registry */
  int load_kill;             /* st_errkind when loading hit a limit: the
                              * policy stays, named by its file, and each
                              * evaluation reports that it failed to run */
  size_t fail_bytes;         /* what this run's findings hold, roughly */
} st_policy;

typedef struct {
  st_policy *v;
  size_t n, cap;
  st_limits limits;          /* run-wide limits */
  char *stdlib_dir;
  double now;
  struct st_coverage *coverage;  /* passed to every sandbox; may be NULL */
} st_policyset;

void st_policyset_init(st_policyset *s, const char *stdlib_dir, double now,
                       const st_limits *limits);
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

/* Evaluates every policy against reg (and obs, which may be NULL), adding
 * findings to out. Returns the number of policies that failed to run
 * (errors and kills), so the caller can exit 3. */
size_t st_policyset_eval(st_policyset *s, const st_registry *reg,
                         const st_obsset *obs, st_findings *out);

/* Evaluates one policy; returns 1 if it failed to run, else 0. */
int st_policy_eval(st_policyset *s, st_policy *p, const st_registry *reg,
                   const st_obsset *obs, st_findings *out);

st_policy *st_policyset_find(st_policyset *s, const char *id);

/* Pushes {policy id → effective params} of the set. [-0, +1, m] */
void st_policyset_push_params(lua_State *L, const st_policyset *s);
/* Pushes ctx.params_of: a function reading the map at stack index map.
 * [-0, +1, m] */
void st_policyset_push_params_of(lua_State *L, int map);

#endif
