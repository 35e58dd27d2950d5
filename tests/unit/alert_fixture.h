/*
 * alert_fixture.h - what tests/unit/test_alert.c runs the alerter against:
 * a fake store (an array behind st_alert_store_ops, so the test never
 * needs store.c), a test HTTP receiver on 127.0.0.1 in a thread of the
 * test (plain blocking sockets, a scripted answer per request), and a
 * libuv loop run until a condition holds.
 *
 * Like t.h, everything here is static, for the one file that includes it.
 * Ownership: the fixture F owns its loop and alerter between setup() and
 * teardown(); a receiver is the caller's, from rcv_start to rcv_stop.
 * Threading: the receiver's thread shares only what its mutex guards;
 * everything else is the main thread's.
 */
#ifndef ST_ALERT_FIXTURE_H
#define ST_ALERT_FIXTURE_H

#include "alert.h"
#include "log.h"
#include "util.h"
#include "t.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cJSON.h>
#include <curl/curl.h>

/* libcurl (and OpenSSL under it) set up once for the binary, so that each
 * alerter's init and cleanup pair does not redo it and the leak checker
 * sees everything released at the end. */
__attribute__((constructor)) static void curl_up(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}
__attribute__((destructor)) static void curl_down(void) {
  curl_global_cleanup();
}

static double now_wall(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* {=== The fake store =================================================== */

#define MAXROWS 16
#define MAXHIST 16

typedef struct {
  int64_t id;
  int target, attempts;
  char body[512];
  st_alert_status status;
  double next;
  char error[256];
} row;

typedef struct {
  int64_t id;
  st_alert_status status;
  double next, at;                   /* at: when the alerter recorded it */
  char error[256];
} attempt_rec;

struct st_store {
  row rows[MAXROWS];
  size_t n;
  attempt_rec hist[MAXHIST];
  size_t nhist;
  int fail_due;                      /* alerts_due answers ST_EIO */
};

static void fake_add(st_store *s, int64_t id, int target, const char *body,
                     double next) {
  row *r = &s->rows[s->n++];
  memset(r, 0, sizeof *r);
  r->id = id;
  r->target = target;
  snprintf(r->body, sizeof r->body, "%s", body);
  r->next = next;
}

static row *fake_row(st_store *s, int64_t id) {
  for (size_t i = 0; i < s->n; i++)
    if (s->rows[i].id == id) return &s->rows[i];
  return NULL;
}

static int fake_due(st_store *s, double now, size_t max, st_alert **out,
                    size_t *n, char *err, size_t errlen) {
  if (s->fail_due) return st_errf(err, errlen, ST_EIO, "disk on fire");
  st_alert *v = st_xcalloc(MAXROWS, sizeof *v);
  size_t k = 0;
  for (size_t i = 0; i < s->n && k < max; i++) {
    row *r = &s->rows[i];
    if (r->status != ST_ALERT_PENDING || r->next > now) continue;
    v[k].id = r->id;
    v[k].target = r->target;
    v[k].attempts = r->attempts;
    v[k].body = st_xstrdup(r->body);
    k++;
  }
  *out = v;
  *n = k;
  return ST_OK;
}

static void fake_free(st_alert *v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i].body);
  free(v);
}

static int fake_attempt(st_store *s, int64_t id, st_alert_status status,
                        double next, const char *error, char *err,
                        size_t errlen) {
  row *r = fake_row(s, id);
  if (!r) return st_errf(err, errlen, ST_EINPUT, "no alert %lld",
                         (long long)id);
  r->attempts++;
  r->status = status;
  r->next = next;
  snprintf(r->error, sizeof r->error, "%s", error ? error : "");
  if (s->nhist < MAXHIST) {
    attempt_rec *h = &s->hist[s->nhist++];
    h->id = id;
    h->status = status;
    h->next = next;
    h->at = now_wall();
    snprintf(h->error, sizeof h->error, "%s", error ? error : "");
  }
  return ST_OK;
}

static double fake_next_due(st_store *s) {
  double best = -1;
  for (size_t i = 0; i < s->n; i++)
    if (s->rows[i].status == ST_ALERT_PENDING &&
        (best < 0 || s->rows[i].next < best))
      best = s->rows[i].next;
  return best;
}

static const st_alert_store_ops FAKE_OPS = {
  fake_due, fake_free, fake_attempt, fake_next_due,
};

/* }=== */

/* {=== The test HTTP receiver =========================================== */

typedef struct {
  int status;                        /* 0: hang until the client goes */
  const char *extra;                 /* more header lines, or "" */
} reply;

#define MAXREQ 8

typedef struct {
  int fd, port;
  reply script[4];                   /* the last one repeats */
  int nscript;
  pthread_t thread;
  pthread_mutex_t mu;
  int stop, count;
  char head[MAXREQ][2048];
  char body[MAXREQ][1024];
  double at[MAXREQ];
} receiver;

static int rcv_count(receiver *r) {
  pthread_mutex_lock(&r->mu);
  int n = r->count;
  pthread_mutex_unlock(&r->mu);
  return n;
}

static int rcv_stopping(receiver *r) {
  pthread_mutex_lock(&r->mu);
  int s = r->stop;
  pthread_mutex_unlock(&r->mu);
  return s;
}

/* Waits up to ms for fd to be readable; 1 when it is. */
static int readable(int fd, int ms) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, ms) > 0;
}

/* Reads one request (headers, then Content-Length bytes of body). */
static int read_request(receiver *r, int c, char *head, size_t headcap,
                        char *body, size_t bodycap) {
  char buf[4096];
  size_t len = 0;
  char *end = NULL;
  while (!end && len < sizeof buf - 1) {
    if (!readable(c, 100)) {
      if (rcv_stopping(r)) return -1;
      continue;
    }
    ssize_t got = recv(c, buf + len, sizeof buf - 1 - len, 0);
    if (got <= 0) return -1;
    len += (size_t)got;
    buf[len] = 0;
    end = strstr(buf, "\r\n\r\n");
  }
  if (!end) return -1;
  size_t hl = (size_t)(end - buf) + 4;
  snprintf(head, headcap, "%.*s", (int)hl, buf);
  const char *cl = strcasestr(head, "\r\ncontent-length:");
  size_t want = cl ? (size_t)strtoul(cl + 17, NULL, 10) : 0;
  size_t have = len - hl;
  if (want >= bodycap) return -1;
  memcpy(body, buf + hl, have);
  while (have < want) {
    ssize_t got = recv(c, body + have, want - have, 0);
    if (got <= 0) return -1;
    have += (size_t)got;
  }
  body[want] = 0;
  return 0;
}

static void serve_one(receiver *r, int c) {
  pthread_mutex_lock(&r->mu);
  int i = r->count < MAXREQ ? r->count : MAXREQ - 1;
  reply rp = r->script[r->count < r->nscript ? r->count : r->nscript - 1];
  pthread_mutex_unlock(&r->mu);
  char head[2048], body[1024];
  if (read_request(r, c, head, sizeof head, body, sizeof body) != 0) return;
  pthread_mutex_lock(&r->mu);
  memcpy(r->head[i], head, sizeof head);
  memcpy(r->body[i], body, sizeof body);
  r->at[i] = now_wall();
  r->count++;
  pthread_mutex_unlock(&r->mu);
  if (rp.status == 0) {              /* hang: until the client hangs up */
    char b[256];
    while (!rcv_stopping(r))
      if (readable(c, 50) && recv(c, b, sizeof b, 0) <= 0) break;
    return;
  }
  char out[512];
  int n = snprintf(out, sizeof out,
                   "HTTP/1.1 %d Scripted\r\nContent-Length: 2\r\n"
                   "Connection: close\r\n%s\r\nok", rp.status, rp.extra);
  send(c, out, (size_t)n, 0);
}

static void *receiver_main(void *ud) {
  receiver *r = ud;
  while (!rcv_stopping(r)) {
    if (!readable(r->fd, 50)) continue;
    int c = accept(r->fd, NULL, NULL);
    if (c < 0) continue;
    serve_one(r, c);
    close(c);
  }
  return NULL;
}

/* A listening socket on 127.0.0.1 with a port the kernel picked. */
static int listen_any(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t sl = sizeof sa;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0 ||
      getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(sa.sin_port);
  return fd;
}

static void rcv_start(receiver *r, const reply *script, int n) {
  memset(r, 0, sizeof *r);
  pthread_mutex_init(&r->mu, NULL);
  memcpy(r->script, script, (size_t)n * sizeof *script);
  r->nscript = n;
  r->fd = listen_any(&r->port);
  pthread_create(&r->thread, NULL, receiver_main, r);
}

static void rcv_stop(receiver *r) {
  pthread_mutex_lock(&r->mu);
  r->stop = 1;
  pthread_mutex_unlock(&r->mu);
  pthread_join(r->thread, NULL);
  close(r->fd);
  pthread_mutex_destroy(&r->mu);
}

/* The value of header `name` in a recorded request head, or "" . */
static const char *header_of(const char *head, const char *name, char *out,
                             size_t outlen) {
  char key[64];
  snprintf(key, sizeof key, "\r\n%s:", name);
  const char *p = strcasestr(head, key);
  out[0] = 0;
  if (!p) return out;
  p += strlen(key);
  while (*p == ' ') p++;
  size_t n = strcspn(p, "\r");
  snprintf(out, outlen, "%.*s", (int)n, p);
  return out;
}

/* }=== */

/* {=== The loop ========================================================= */

typedef struct {
  uv_loop_t loop;
  st_store store;
  st_alerter *a;
  int closed;
  size_t max_in_flight_seen;
  FILE *log;
} fixture;

static fixture F;

typedef int (*cond_fn)(void);

typedef struct {
  cond_fn cond;
  double deadline;
  int met;
} waiter;

static void on_tick(uv_timer_t *t) {
  waiter *w = t->data;
  if (F.a) {
    st_alert_stats s;
    st_alerter_stats(F.a, &s);
    if (s.in_flight > F.max_in_flight_seen) F.max_in_flight_seen = s.in_flight;
  }
  if (w->cond()) w->met = 1;
  if (w->met || now_wall() > w->deadline) uv_stop(&F.loop);
}

/* Runs the loop until cond() holds (1) or secs pass (0). */
static int run_until(cond_fn cond, double secs) {
  waiter w = {cond, now_wall() + secs, 0};
  uv_timer_t t;
  uv_timer_init(&F.loop, &t);
  t.data = &w;
  uv_timer_start(&t, on_tick, 2, 2);
  uv_run(&F.loop, UV_RUN_DEFAULT);
  uv_close((uv_handle_t *)&t, NULL);
  uv_run(&F.loop, UV_RUN_NOWAIT);
  return w.met;
}

static int never(void) { return 0; }

static void setup(const st_alert_target *targets, size_t n,
                  const st_alert_opts *o_in) {
  memset(&F, 0, sizeof F);
  uv_loop_init(&F.loop);
  F.log = tmpfile();
  st_log_set_stream(F.log);
  st_alert_opts o;
  memset(&o, 0, sizeof o);
  if (o_in) o = *o_in;
  o.store_ops = &FAKE_OPS;
  char err[256];
  if (st_alerter_new(&F.loop, &F.store, targets, n, &o, &F.a, err,
                     sizeof err) != ST_OK)
    T_FAILF("st_alerter_new: %s", err);
}

static void on_closed(void *ud) { *(int *)ud = 1; }

/* Stops the alerter, runs the loop until it says it is closed, and checks
 * that it left no handle behind. */
static void teardown(void) {
  st_alerter_stop(F.a, on_closed, &F.closed);
  T_EQ_INT(F.closed, 0);             /* never from inside the call */
  uv_run(&F.loop, UV_RUN_DEFAULT);
  T_EQ_INT(F.closed, 1);
  st_alerter_free(F.a);
  F.a = NULL;
  T_EQ_INT(uv_loop_close(&F.loop), 0);
  st_log_set_stream(NULL);
  fclose(F.log);
}

static int row1_done(void) {
  row *r = fake_row(&F.store, 1);
  return r && r->status != ST_ALERT_PENDING;
}

static int one_attempt(void) { return F.store.nhist >= 1; }

static void check_stats(size_t delivered, size_t failed, size_t retried) {
  st_alert_stats s;
  st_alerter_stats(F.a, &s);
  T_EQ_INT(s.delivered, delivered);
  T_EQ_INT(s.failed, failed);
  T_EQ_INT(s.retried, retried);
  T_EQ_INT(s.in_flight, 0);
}

static void check_hist(size_t i, st_alert_status status, const char *error) {
  if (i >= F.store.nhist) {
    T_FAILF("attempt %zu was never recorded", i + 1);
    return;
  }
  T_EQ_INT(F.store.hist[i].status, status);
  T_EQ_STR(F.store.hist[i].error, error);
}

/* The delay attempt i chose, as recorded: next minus when it recorded. */
static double hist_delay(size_t i) {
  return F.store.hist[i].next - F.store.hist[i].at;
}

#define T_NEAR(a, want, below, above) do { double t_v_ = (a); \
    if (t_v_ < (want) - (below) || t_v_ > (want) + (above)) \
      T_FAILF("%s == %.4f, expected %.4f (-%.3f/+%.3f)", #a, t_v_, \
              (double)(want), (double)(below), (double)(above)); } while (0)

/* }=== */

#endif
