/*
 * alert.c - see alert.h: targets, what to start when, outcomes, stop.
 *
 * The pump is the one place deliveries start: it asks the store for what
 * is due (at most max_in_flight, oldest first), skips what is already in
 * flight (still pending in the store until its attempt ends), starts what
 * fits, then arms the due timer for the store's next due time. Anything
 * due that it left (in flight, or no slot) is rechecked soon rather than
 * at once, so a slow delivery never makes the timer spin; a completion
 * pumps again anyway. Transports are alert_http.c and alert_cmd.c.
 */
#include "alert_int.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "timeutil.h"
#include "util.h"

#define DEFAULT_IN_FLIGHT 16

double st_alert_now(void) {
  uv_timeval64_t tv;
  uv_gettimeofday(&tv);
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* How soon to look again at something due that could not start. */
static double recheck_delay(const st_alerter *a) {
  double d = a->o.base_delay < 1.0 ? a->o.base_delay : 1.0;
  return d < 0.01 ? 0.01 : d;
}

/* {=== Targets ========================================================== */

static int check_target(const st_alert_target *t, size_t i, char *err,
                        size_t errlen) {
  const char *name = t->name ? t->name : "";
  if (!t->url == !t->command)
    return st_errf(err, errlen, ST_EINPUT,
                   "alert target %zu (%s): needs exactly one of a webhook "
                   "URL and a command", i, name);
  if (t->url && strncmp(t->url, "http://", 7) != 0 &&
      strncmp(t->url, "https://", 8) != 0)
    return st_errf(err, errlen, ST_EINPUT,
                   "alert target %zu (%s): webhook URL \"%s\" is not http "
                   "or https", i, name, t->url);
  if (t->command && !t->command[0])
    return st_errf(err, errlen, ST_EINPUT,
                   "alert target %zu (%s): the command is empty", i, name);
  return ST_OK;
}

static void copy_target(st_alert_tgt *dst, const st_alert_target *src) {
  dst->name = st_xstrdup(src->name ? src->name : "");
  dst->url = src->url ? st_xstrdup(src->url) : NULL;
  if (src->secret) {
    dst->secret = st_xmalloc(src->secret_len ? src->secret_len : 1);
    memcpy(dst->secret, src->secret, src->secret_len);
    dst->secret_len = src->secret_len;
  }
  if (src->command) {
    size_t n = 0;
    while (src->command[n]) n++;
    dst->argv = st_xcalloc(n + 1, sizeof *dst->argv);
    for (size_t i = 0; i < n; i++) dst->argv[i] = st_xstrdup(src->command[i]);
  }
}

static void free_targets(st_alert_tgt *t, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(t[i].name);
    free(t[i].url);
    free(t[i].secret);
    for (size_t k = 0; t[i].argv && t[i].argv[k]; k++) free(t[i].argv[k]);
    free(t[i].argv);
  }
  free(t);
}

/* }=== */

/* {=== Life cycle ======================================================= */

static void fill_defaults(st_alert_opts *o) {
  if (o->base_delay <= 0) o->base_delay = 1;
  if (o->max_delay <= 0) o->max_delay = 3600;
  if (o->max_attempts <= 0) o->max_attempts = 25;
  if (o->timeout <= 0) o->timeout = 10;
  if (o->max_in_flight <= 0) o->max_in_flight = DEFAULT_IN_FLIGHT;
  if (!o->store_ops) o->store_ops = &st_alert_store_real;
}

static void on_handle_closed(uv_handle_t *h) {
  st_alert_handle_closed(h->data);
}

void st_alert_handle_closed(st_alerter *a) {
  a->handles--;
  if (a->stopped && a->handles == 0 && a->closed) {
    void (*cb)(void *) = a->closed;
    a->closed = NULL;
    cb(a->closed_ud);
  }
}

static void on_due(uv_timer_t *t) { st_alert_pump(t->data); }

int st_alerter_new(uv_loop_t *loop, st_store *store,
                   const st_alert_target *targets, size_t ntargets,
                   const st_alert_opts *o, st_alerter **out, char *err,
                   size_t errlen) {
  for (size_t i = 0; i < ntargets; i++)
    if (check_target(&targets[i], i, err, errlen) != ST_OK) return ST_EINPUT;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return st_errf(err, errlen, ST_EIO, "libcurl failed to initialise");
  signal(SIGPIPE, SIG_IGN);
  st_alerter *a = st_xcalloc(1, sizeof *a);
  a->loop = loop;
  a->store = store;
  if (o) a->o = *o;
  fill_defaults(&a->o);
  a->ops = a->o.store_ops;
  a->targets = st_xcalloc(ntargets ? ntargets : 1, sizeof *a->targets);
  a->ntargets = ntargets;
  for (size_t i = 0; i < ntargets; i++) copy_target(&a->targets[i], &targets[i]);
  if (st_alert_http_init(a, err, errlen) != ST_OK) {
    free_targets(a->targets, a->ntargets);   /* no handle is open yet */
    free(a);
    curl_global_cleanup();
    return ST_EIO;
  }
  uv_timer_init(loop, &a->due);
  a->due.data = a;
  a->handles++;
  *out = a;
  return ST_OK;
}

void st_alerter_stats(const st_alerter *a, st_alert_stats *s) {
  *s = a->stats;
}

void st_alerter_stop(st_alerter *a, void (*closed)(void *ud), void *ud) {
  if (a->stopped) return;
  a->stopped = 1;
  a->closed = closed;
  a->closed_ud = ud;
  while (a->flight) {
    st_delivery *d = a->flight;
    a->flight = d->next;
    a->stats.in_flight--;
    d->abandoned = 1;
    if (d->easy) st_alert_http_abandon(d);
    else st_alert_cmd_abandon(d);
  }
  st_alert_http_stop(a);
  uv_close((uv_handle_t *)&a->due, on_handle_closed);
}

void st_alerter_free(st_alerter *a) {
  if (!a) return;
  free_targets(a->targets, a->ntargets);
  free(a);
  curl_global_cleanup();
}

void st_alert_delivery_free(st_delivery *d) {
  free(d->body);
  free(d);
}

/* }=== */

/* {=== Outcomes ========================================================= */

static const char *const STATUS_WORD[] = {"delivered", "retry", "failed"};

static void log_attempt(const st_delivery *d, const char *status, long code,
                        double next, const char *error, const char *detail) {
  cJSON *o = st_log_begin("alert");
  cJSON_AddNumberToObject(o, "alert", (double)d->id);
  st_log_str(o, "target", d->target ? d->target->name : "");
  cJSON_AddStringToObject(o, "status", status);
  cJSON_AddNumberToObject(o, "attempt", d->attempt);
  st_log_str(o, "error", error);
  if (code >= 0)
    cJSON_AddNumberToObject(o, d->target && d->target->argv ? "exit_status"
                                                            : "http_status",
                            (double)code);
  if (detail && *detail) st_log_str(o, "detail", detail);
  if (next > 0) {
    char ts[40];
    st_time_format(next, ts, sizeof ts);
    cJSON_AddStringToObject(o, "next_attempt", ts);
  }
  st_log_event(o);
}

static void unlink_flight(st_delivery *d) {
  st_alerter *a = d->a;
  for (st_delivery **p = &a->flight; *p; p = &(*p)->next)
    if (*p == d) {
      *p = d->next;
      a->stats.in_flight--;
      return;
    }
}

/* When a retryable attempt should be tried again; Retry-After wins over
 * the backoff, both capped at max_delay. */
static double retry_delay(const st_alerter *a, int attempt,
                          double retry_after) {
  if (retry_after >= 0)
    return retry_after < a->o.max_delay ? retry_after : a->o.max_delay;
  return st_alert_backoff(&a->o, attempt);
}

void st_alert_finish(st_delivery *d, st_alert_outcome out, long code,
                     double retry_after, const char *error,
                     const char *detail) {
  st_alerter *a = d->a;
  unlink_flight(d);
  if (out == ST_OUTCOME_RETRY && d->attempt >= a->o.max_attempts)
    out = ST_OUTCOME_FAILED;     /* the last attempt allowed */
  double now = st_alert_now(), next = 0;
  st_alert_status status = ST_ALERT_FAILED;
  if (out == ST_OUTCOME_DELIVERED) {
    status = ST_ALERT_DELIVERED;
    a->stats.delivered++;
  } else if (out == ST_OUTCOME_RETRY) {
    status = ST_ALERT_PENDING;
    next = now + retry_delay(a, d->attempt, retry_after);
    a->stats.retried++;
  } else {
    a->stats.failed++;
  }
  log_attempt(d, STATUS_WORD[out], code, next, error, detail);
  char err[ST_ERRLEN];
  if (a->ops->alert_attempt(a->store, d->id, status, next, error, err,
                            sizeof err) != ST_OK) {
    /* Still pending in the store as before, so it would be due again at
     * once: hold off rather than deliver it in a tight loop. */
    cJSON *o = st_log_begin("alert_store_error");
    cJSON_AddNumberToObject(o, "alert", (double)d->id);
    st_log_str(o, "error", err);
    st_log_event(o);
    a->hold_until = now + (a->o.base_delay > 1 ? a->o.base_delay : 1);
  }
}

/* }=== */

/* {=== Starting ========================================================= */

static int in_flight(const st_alerter *a, int64_t id) {
  for (const st_delivery *d = a->flight; d; d = d->next)
    if (d->id == id) return 1;
  return 0;
}

static void start_one(st_alerter *a, const st_alert *al, double now) {
  st_delivery *d = st_xcalloc(1, sizeof *d);
  d->a = a;
  d->id = al->id;
  d->attempt = al->attempts + 1;
  d->body = st_xstrdup(al->body ? al->body : "");
  d->len = strlen(d->body);
  d->next = a->flight;
  a->flight = d;
  a->stats.in_flight++;
  if (al->target < 0 || (size_t)al->target >= a->ntargets) {
    char why[64];
    snprintf(why, sizeof why, "unknown alert target %d", al->target);
    st_alert_finish(d, ST_OUTCOME_FAILED, -1, -1, why, NULL);
    st_alert_delivery_free(d);
    return;
  }
  d->target = &a->targets[al->target];
  if (d->target->url) st_alert_http_start(d, now);
  else st_alert_cmd_start(d);
}

static void pump_once(st_alerter *a) {
  double now = st_alert_now();
  size_t max = (size_t)a->o.max_in_flight;
  if (a->stopped || now < a->hold_until || a->stats.in_flight >= max) return;
  st_alert *v = NULL;
  size_t n = 0;
  char err[ST_ERRLEN];
  if (a->ops->alerts_due(a->store, now, max, &v, &n, err, sizeof err) !=
      ST_OK) {
    cJSON *o = st_log_begin("alert_store_error");
    st_log_str(o, "error", err);
    st_log_event(o);
    a->hold_until = now + recheck_delay(a);
    return;
  }
  for (size_t i = 0; i < n && !a->stopped && a->stats.in_flight < max; i++)
    if (!in_flight(a, v[i].id)) start_one(a, &v[i], now);
  a->ops->alerts_free(v, n);
}

static void arm_due(st_alerter *a) {
  if (a->stopped) return;
  double next = a->ops->alert_next_due(a->store);
  if (next < 0) {
    uv_timer_stop(&a->due);
    return;
  }
  double now = st_alert_now(), delay = next - now;
  if (now < a->hold_until) {
    if (delay < a->hold_until - now) delay = a->hold_until - now;
  } else if (delay <= 0) {
    delay = recheck_delay(a);    /* due, but in flight or no slot */
  }
  uv_update_time(a->loop);       /* the timer counts from the loop's time */
  uv_timer_start(&a->due, on_due, (uint64_t)ceil(delay * 1000.0), 0);
}

void st_alert_pump(st_alerter *a) {
  if (a->pumping) {              /* a delivery ended while starting others */
    a->repump = 1;
    return;
  }
  a->pumping = 1;
  do {
    a->repump = 0;
    pump_once(a);
  } while (a->repump && !a->stopped);
  a->pumping = 0;
  arm_due(a);
}

void st_alerter_kick(st_alerter *a) { st_alert_pump(a); }

/* }=== */
