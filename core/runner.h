/*
 * runner.h - one thread's Lua states for a policy set: evaluation.
 *
 * A policy set (policy.h) holds definitions only: sources, metadata,
 * parameters, limits; it is read-only once loaded. A runner holds what
 * evaluation changes: one sandbox per policy, built from the policy's
 * source on first use (or adopted from the one that loaded it), rebuilt
 * after a kill, and reused for every later run, so a policy's state is
 * created once per thread, not once per run. A killed state is discarded
 * and rebuilt at once, so a runner never holds a dead state.
 *
 * Evaluating a policy binds the registry and observations to its state,
 * builds ctx (host.h), collects its subjects and calls check(node, ctx) for
 * each under the sandbox limits. A runtime error in check is a finding for
 * that subject (error "runtime") and the run goes on; a kill (instructions,
 * memory, deadline) is one finding naming the limit and how far the policy
 * got, after which the state is rebuilt and the policy's run stops.
 *
 * Ownership: st_runner_init borrows the set, which must outlive the runner;
 * the runner owns its sandboxes; free with st_runner_free. Findings are
 * appended to the caller's list. Threading: a runner belongs to one thread
 * at a time; any number of runners may evaluate one set (and one registry)
 * at once.
 */
#ifndef ST_RUNNER_H
#define ST_RUNNER_H

#include <stdatomic.h>
#include <stddef.h>

#include "finding.h"
#include "obs.h"
#include "policy.h"
#include "registry.h"

typedef struct st_runner {
  const st_policyset *set;
  struct st_sandbox **sb;    /* per policy of set, NULL until first use */
  size_t n;
  int stopped;               /* ST_STOP_*: why the last evaluation stopped
                              * before its end */
} st_runner;

/* Why a run stopped early: its deadline passed, or it was cancelled (the
 * daemon is shutting down). */
enum { ST_STOP_NONE, ST_STOP_DEADLINE, ST_STOP_CANCEL };

/* What one evaluation sees. */
typedef struct {
  const st_registry *reg;
  const st_obsset *obs;      /* may be NULL */
  double now;                /* ctx.now and os.time */
  double deadline;           /* st_mono_now() seconds for the whole run; 0:
                              * none. Calls are bounded by what is left. */
  const atomic_int *cancel;  /* non-zero: stop at the next subject; NULL */
} st_run_input;

void st_runner_init(st_runner *r, const st_policyset *set);
void st_runner_free(st_runner *r);

/* Evaluates policy number i of the set, appending findings to out. Returns
 * 1 if it failed to run (an error or a kill), else 0. When the run's
 * deadline passes or it is cancelled, stops between subjects (or ends the
 * call by the deadline) and sets r->stopped; what it found so far is kept
 * but is not a complete result. */
int st_runner_eval(st_runner *r, size_t i, const st_run_input *in,
                   st_findings *out);

/* Evaluates every policy in order; returns how many failed to run. */
size_t st_runner_eval_all(st_runner *r, const st_run_input *in,
                          st_findings *out);

#endif
