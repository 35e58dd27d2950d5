/*
 * pool.h - the worker pool: threads that evaluate, each with its own Lua
 * states, over sessions they share read-only.
 *
 * A job is a function called on one worker thread with that worker. A
 * worker keeps one runner (runner.h) per session it has evaluated for, keyed
 * by the session's serial, so a policy's state is built once per worker,
 * not once per job; a worker that meets a new session (after a reload)
 * drops the runner of the old one. Jobs run in the order submitted, on
 * whichever worker is free.
 *
 * st_pool_check is the parallel form of st_session_check: the selected
 * policies are dealt out to the workers, each evaluates its share with its
 * own runner, and the findings are merged and sorted exactly as one runner
 * would have produced them (byte-identical reports whatever the number of
 * workers).
 *
 * Ownership: the pool owns its threads and their runners; job arguments
 * are the submitter's. Threading: st_pool_submit and st_pool_check may be
 * called from any thread; st_pool_runner only from the job it was given
 * to. st_pool_free waits for queued jobs to finish.
 */
#ifndef ST_POOL_H
#define ST_POOL_H

#include "runner.h"
#include "session.h"

typedef struct st_pool st_pool;
typedef struct st_pool_worker st_pool_worker;
typedef void (*st_pool_fn)(st_pool_worker *w, void *arg);

/* A pool of n workers (0: one per online core). */
st_pool *st_pool_new(unsigned n);
void st_pool_free(st_pool *p);
unsigned st_pool_size(const st_pool *p);

void st_pool_submit(st_pool *p, st_pool_fn fn, void *arg);

/* The worker's runner for session s. */
st_runner *st_pool_runner(st_pool_worker *w, const st_session *s);

/* The worker's number, 0 .. size - 1 (for per-worker resources such as a
 * store connection). */
unsigned st_pool_worker_index(const st_pool_worker *w);

/* st_session_check with the evaluation spread over the pool's workers;
 * o->runner is ignored. Returns as st_session_check does. */
int st_pool_check(st_pool *p, const st_session *s, const st_run_opts *o,
                  st_report *rep, char *err, size_t errlen);

#endif
