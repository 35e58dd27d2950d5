/*
 * session.h - the one way to run steward: open a session, then check.
 *
 * A session is what check, impact, readiness and serve share: a loaded
 * registry, a loaded policy set (built-in packs, extra packs, parameters)
 * and the observations named at open. st_session_open loads all of it from
 * an options struct (paths or in-memory buffers), never from argv, and never
 * prints: every error comes back as a code and a message "FILE:LINE:COL:
 * what" in the caller's buffer.
 *
 * st_session_check is the single pipeline: choose the policies, evaluate
 * them (on the run's registry: the session's, or a private copy with a
 * change set applied), add the loader's findings, apply waivers, sort, and
 * summarize with the blocking rule of finding.h. What varies per run is in
 * st_run_opts: the clock, the policy selection, the observations (any
 * indexed set the caller holds, such as a daemon's snapshot), the change
 * set, the severity that blocks, and the Lua states to evaluate with.
 *
 * Ownership: st_session_open returns a session the caller frees with
 * st_session_close. A report (report.h) filled by st_session_check owns its
 * findings and, when a change set was applied, the registry it evaluated;
 * free it with st_report_free. Observations passed in st_run_opts are
 * borrowed for the call.
 *
 * Threading: after st_session_open returns, the session is read-only: its
 * registry, policy definitions, parameters and observations are never
 * written again, so several threads may call st_session_check on one session
 * at once, each with its own st_runner (runner.h) in run_opts. A run that
 * passes no runner uses the session's own, which one thread at a time may
 * hold (a mutex; a second concurrent caller gets a temporary one).
 */
#ifndef ST_SESSION_H
#define ST_SESSION_H

#include <stdatomic.h>
#include <stddef.h>

#include <cJSON.h>

#include "obs.h"
#include "policy.h"
#include "registry.h"
#include "report.h"
#include "runner.h"

/* A file's contents in memory, or a path: `text` wins when not NULL.
 * `name` labels messages ("<stdin>", "POST /v1/check"). */
typedef struct {
  const char *path;
  const char *text;
  size_t len;
  const char *name;
} st_input;

typedef struct {
  st_input registry;              /* a file or a directory (path only) */
  const char *home;               /* where stdlib/ and policies/ live;
                                   * NULL: st_session_home() */
  int builtin;                    /* load home/policies */
  const char *const *policies;    /* extra packs: files or directories */
  size_t npolicies;
  st_input params;                /* {"policy.id": {...}}; none if both
                                   * path and text are NULL */
  const st_input *observations;   /* JSON Lines, loaded once at open */
  size_t nobservations;
  const st_input *policy_sources; /* policy files held in memory (name and
                                   * text), loaded after the packs */
  size_t npolicy_sources;
  int keep_going;                 /* dangling references become findings */
  st_limits limits;               /* run-wide per-call defaults */
  double now;                     /* the clock policy files load under */
  struct st_coverage *coverage;   /* lines run, for steward test; NULL */
} st_session_opts;

typedef struct st_session st_session;

typedef struct {
  double now;                     /* the evaluation clock, epoch seconds */
  int fail_on;                    /* st_severity; ST_SEV_COUNT: none */
  const char *const *select;      /* policy ids or globs; NULL: every policy */
  size_t nselect;
  const st_obsset *obs;           /* NULL: the session's observations */
  const cJSON *change;            /* merge patch or JSON Patch; NULL: none */
  const char *change_name;        /* labels change errors */
  st_runner *runner;              /* NULL: the session's own */
  double timeout;                 /* seconds for the whole run; 0: none */
  const atomic_int *cancel;       /* set non-zero to stop the run; NULL */
} st_run_opts;

/* Where the stdlib and built-in policies are: STEWARD_HOME, else the
 * binary's directory when it holds stdlib/ (a source tree), else
 * ../share/steward beside it (an installed tree). Caller frees. */
char *st_session_home(void);

/* Loads everything opts names. Returns ST_OK with *out set, or ST_EINPUT /
 * ST_EIO with err filled and *out NULL. */
int st_session_open(const st_session_opts *opts, st_session **out, char *err,
                    size_t errlen);

/* Sessions are counted references: st_session_retain adds one (a run that
 * outlives a reload keeps its session), st_session_close drops one and
 * frees the session with the last. Both are thread-safe. */
st_session *st_session_retain(st_session *s);
void st_session_close(st_session *s);

/* A number no other session of this process has had: a key for caches
 * that must not outlive the session (a worker's states). */
unsigned long long st_session_serial(const st_session *s);

/* What a run used, as bytes to store and hash (the caller frees):
 * the registry as one canonical JSON document (st_registry_export), and
 * the policy set as {"policies": [{"file", "source"}], "params": {id:
 * params}, "limits": {...}, "keep_going": bool}. st_session_open_blobs
 * opens a session from the two again (replay). */
char *st_session_registry_blob(const st_session *s, size_t *len);
char *st_session_policy_blob(const st_session *s, size_t *len);
int st_session_open_blobs(const char *home, const char *registry,
                          size_t registry_len, const char *policies,
                          size_t policies_len, st_session **out, char *err,
                          size_t errlen);

/* Runs the pipeline into rep (initialised here; free with st_report_free
 * whatever the result). Returns ST_OK, or ST_EINPUT when the change set
 * cannot be applied or leaves an invalid registry, or a selection matches
 * no policy. Policies that fail to run are findings (rep->failed), not an
 * error. */
int st_session_check(const st_session *s, const st_run_opts *o,
                     st_report *rep, char *err, size_t errlen);

/* The pipeline in halves, for evaluators other than one runner (pool.h):
 * st_session_begin checks the selection, applies the change set and fills
 * *in with what evaluation sees (rep->registry is set); the caller then
 * evaluates every policy i for which st_session_selects(s, o, i) holds into
 * rep->findings (adding failures to rep->failed, the number evaluated to
 * *ran, and any stop to rep->stopped); st_session_finish adds the loader's
 * findings, applies waivers, sorts and summarizes. */
int st_session_begin(const st_session *s, const st_run_opts *o,
                     st_report *rep, st_run_input *in, char *err,
                     size_t errlen);
int st_session_selects(const st_session *s, const st_run_opts *o, size_t i);
void st_session_finish(const st_session *s, const st_run_opts *o,
                       st_report *rep, size_t ran);

/* The ids of the policies a selection names, in set order (what a run
 * evaluates); *out is an array the caller frees (the strings are the
 * session's). */
size_t st_session_selected(const st_session *s, const char *const *select,
                           size_t nselect, const char ***out);

/* Read-only parts, for the commands built on a session. */
const st_registry *st_session_registry(const st_session *s);
const st_policyset *st_session_policies(const st_session *s);
const st_obsset *st_session_observations(const st_session *s);
const char *st_session_stdlib(const st_session *s);
const st_limits *st_session_limits(const st_session *s);

/* A private copy of the session's registry with change applied (export,
 * patch, load). Returns ST_OK with *out a registry the caller frees with
 * st_registry_free and free(), or ST_EINPUT naming change_name, the
 * operation and the path. */
int st_session_apply_change(const st_session *s, const cJSON *change,
                            const char *change_name, st_registry **out,
                            char *err, size_t errlen);

#endif
