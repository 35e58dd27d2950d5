/* pool.c - see pool.h. */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Workers are ordinary threads with a big stack: a sandbox call may use
 * up to ST_CSTACK_LIMIT of C stack (sandbox.h), plus the host's frames. */
#define WORKER_STACK ((size_t)16 << 20)

typedef struct job {
  st_pool_fn fn;
  void *arg;
  struct job *next;
} job;

struct st_pool_worker {
  st_pool *pool;
  unsigned index;
  pthread_t thread;
  unsigned long long serial;     /* whose session `runner` is for; 0: none */
  st_runner runner;
};

struct st_pool {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  job *head, *tail;
  int stopping;
  unsigned n;
  st_pool_worker *workers;
};

st_runner *st_pool_runner(st_pool_worker *w, const st_session *s) {
  unsigned long long serial = st_session_serial(s);
  if (w->serial != serial) {
    if (w->serial) st_runner_free(&w->runner);
    st_runner_init(&w->runner, st_session_policies(s));
    w->serial = serial;
  }
  return &w->runner;
}

unsigned st_pool_worker_index(const st_pool_worker *w) { return w->index; }
unsigned st_pool_size(const st_pool *p) { return p->n; }

/* The next job, or NULL once the pool stops and the queue is empty. */
static job *take(st_pool *p) {
  pthread_mutex_lock(&p->lock);
  while (!p->head && !p->stopping) pthread_cond_wait(&p->wake, &p->lock);
  job *j = p->head;
  if (j) {
    p->head = j->next;
    if (!p->head) p->tail = NULL;
  }
  pthread_mutex_unlock(&p->lock);
  return j;
}

static void *work(void *arg) {
  st_pool_worker *w = arg;
  for (job *j; (j = take(w->pool));) {
    j->fn(w, j->arg);
    free(j);
  }
  if (w->serial) st_runner_free(&w->runner);
  return NULL;
}

st_pool *st_pool_new(unsigned n) {
  if (!n) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    n = cores > 0 ? (unsigned)cores : 1;
  }
  st_pool *p = st_xcalloc(1, sizeof *p);
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->wake, NULL);
  p->n = n;
  p->workers = st_xcalloc(n, sizeof *p->workers);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, WORKER_STACK);
  for (unsigned i = 0; i < n; i++) {
    p->workers[i].pool = p;
    p->workers[i].index = i;
    if (pthread_create(&p->workers[i].thread, &attr, work, &p->workers[i]))
      abort();              /* no thread: nothing can run; as st_xmalloc */
  }
  pthread_attr_destroy(&attr);
  return p;
}

void st_pool_submit(st_pool *p, st_pool_fn fn, void *arg) {
  job *j = st_xmalloc(sizeof *j);
  *j = (job){fn, arg, NULL};
  pthread_mutex_lock(&p->lock);
  if (p->tail) p->tail->next = j;
  else p->head = j;
  p->tail = j;
  pthread_cond_signal(&p->wake);
  pthread_mutex_unlock(&p->lock);
}

void st_pool_free(st_pool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  p->stopping = 1;
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->lock);
  for (unsigned i = 0; i < p->n; i++) pthread_join(p->workers[i].thread, NULL);
  pthread_mutex_destroy(&p->lock);
  pthread_cond_destroy(&p->wake);
  free(p->workers);
  free(p);
}

/* {=== A check spread over the workers ================================== */

/* One check in progress: workers take policy indices from `next` until
 * none is left; each policy's findings go to its own list, merged in
 * policy order at the end. */
typedef struct {
  const st_session *s;
  const st_run_opts *o;
  const st_run_input *in;
  st_findings *per_policy;
  size_t npolicies;
  atomic_size_t next;
  pthread_mutex_t lock;
  pthread_cond_t done;
  unsigned running;              /* shares not yet finished */
  size_t failed, ran;
  int stopped;
} shared_check;

static void check_share(st_pool_worker *w, void *arg) {
  shared_check *c = arg;
  st_runner *r = st_pool_runner(w, c->s);
  size_t failed = 0, ran = 0;
  int stopped = ST_STOP_NONE;
  for (size_t i; !stopped && (i = atomic_fetch_add(&c->next, 1)) <
                             c->npolicies;) {
    if (!st_session_selects(c->s, c->o, i)) continue;
    failed += (size_t)st_runner_eval(r, i, c->in, &c->per_policy[i]);
    stopped = r->stopped;
    ran++;
  }
  pthread_mutex_lock(&c->lock);
  c->failed += failed;
  c->ran += ran;
  if (stopped) c->stopped = stopped;
  if (--c->running == 0) pthread_cond_signal(&c->done);
  pthread_mutex_unlock(&c->lock);
}

int st_pool_check(st_pool *p, const st_session *s, const st_run_opts *o,
                  st_report *rep, char *err, size_t errlen) {
  st_run_input in;
  int rc = st_session_begin(s, o, rep, &in, err, errlen);
  if (rc) return rc;
  shared_check c;
  memset(&c, 0, sizeof c);
  c.s = s;
  c.o = o;
  c.in = &in;
  c.npolicies = st_session_policies(s)->n;
  c.per_policy = st_xcalloc(c.npolicies ? c.npolicies : 1,
                            sizeof *c.per_policy);
  atomic_init(&c.next, 0);
  pthread_mutex_init(&c.lock, NULL);
  pthread_cond_init(&c.done, NULL);
  c.running = p->n;
  for (unsigned k = 0; k < p->n; k++) st_pool_submit(p, check_share, &c);
  pthread_mutex_lock(&c.lock);
  while (c.running) pthread_cond_wait(&c.done, &c.lock);
  pthread_mutex_unlock(&c.lock);
  for (size_t i = 0; i < c.npolicies; i++)
    st_findings_move(&rep->findings, &c.per_policy[i]);
  free(c.per_policy);
  pthread_mutex_destroy(&c.lock);
  pthread_cond_destroy(&c.done);
  rep->failed = c.failed;
  rep->stopped = c.stopped;
  st_session_finish(s, o, rep, c.ran);
  return ST_OK;
}

/* }=== */
