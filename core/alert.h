/*
 * alert.h - delivering the daemon's alerts: signed webhooks and commands.
 *
 * Alerts are made in the store (store.h) in the same transaction as the
 * run that found them, as pending rows; this module only delivers them, so
 * nothing acknowledged is lost: an alert that cannot be delivered now is
 * still pending after a restart, and is retried then.
 *
 * A webhook target POSTs the alert's JSON body, signed in the Standard
 * Webhooks style: headers `webhook-id` (the alert's id, "msg_<id>"),
 * `webhook-timestamp` (epoch seconds) and `webhook-signature`
 * ("v1,<base64 of HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>"), where
 * the secret is configured as "whsec_" plus the base64 of its bytes. Sent
 * with libcurl's multi interface, driven by the libuv loop (no thread per
 * request). A 2xx is delivered; a network error, timeout, 429 or 5xx is
 * retried with exponential backoff (base_delay × 2^(attempts-1), at most
 * max_delay), or after Retry-After (seconds or an HTTP date) when the
 * answer gives one; any other status fails for good. After max_attempts
 * the alert is failed for good (kept in the store, counted in metrics).
 * A command target gets the JSON on stdin; exit 0 is delivered, anything
 * else (or still running after the timeout, then killed) is retried.
 *
 * Deliveries: at most max_in_flight at once; after a kick, a completion or
 * the timer, the alerter takes the due alerts from the store, starts what
 * fits, and arms one timer for the store's next due time. An attempt is
 * recorded in the store only when it ends: an attempt cut short (stop, a
 * crash) leaves the alert pending as it was, so it is delivered again
 * later (receivers deduplicate by webhook-id). A webhook follows no
 * redirects and speaks only http and https; its response body is ignored.
 * A command's stdout and stderr go to /dev/null (stderr is the log).
 * Retry-After is capped at max_delay, as is the backoff. Every attempt is
 * logged (log.h) as event "alert" with alert, target, status ("delivered",
 * "retry" or "failed"), attempt and error.
 *
 * Ownership: the alerter borrows the loop and the store (the loop thread's
 * connection) and copies the targets. st_alerter_new ignores SIGPIPE
 * process-wide (and initialises libcurl, released by st_alerter_free):
 * a command that exits without reading its stdin must not kill the daemon.
 * Threading: loop thread only.
 */
#ifndef ST_ALERT_H
#define ST_ALERT_H

#include <stddef.h>

#include <uv.h>

#include "store.h"

typedef struct {
  const char *name;              /* for logs and metrics */
  const char *url;               /* a webhook, or NULL */
  const unsigned char *secret;   /* decoded key bytes; NULL: unsigned */
  size_t secret_len;
  const char *const *command;    /* argv (NULL-terminated), or NULL */
} st_alert_target;

/* The store functions the alerter calls, as a table so that tests can put
 * a fake store behind it. st_alert_store_real calls store.h's functions
 * (core/alert_store.c). */
typedef struct {
  int (*alerts_due)(st_store *s, double now, size_t max, st_alert **out,
                    size_t *n, char *err, size_t errlen);
  void (*alerts_free)(st_alert *v, size_t n);
  int (*alert_attempt)(st_store *s, int64_t id, st_alert_status status,
                       double next_attempt, const char *error, char *err,
                       size_t errlen);
  double (*alert_next_due)(st_store *s);
} st_alert_store_ops;

extern const st_alert_store_ops st_alert_store_real;

/* Zero fields take the defaults. */
typedef struct {
  double base_delay;             /* seconds; default 1 */
  double max_delay;              /* seconds; default 3600 */
  int max_attempts;              /* default 25 */
  double timeout;                /* per attempt, seconds; default 10 */
  int max_in_flight;             /* deliveries at once; default 16 */
  const st_alert_store_ops *store_ops;   /* NULL: st_alert_store_real */
} st_alert_opts;

typedef struct {
  size_t delivered, failed, retried;   /* attempts since start, by outcome */
  size_t in_flight;                    /* deliveries running now */
} st_alert_stats;

typedef struct st_alerter st_alerter;

/* Checks and copies the targets (each needs exactly one of url, an http
 * or https URL, and command, a non-empty argv); o may be NULL. Returns
 * ST_OK and *out (the caller's: st_alerter_stop, then st_alerter_free once
 * `closed` was called), or ST_EINPUT with err naming the target. Nothing
 * is delivered before the first st_alerter_kick. */
int st_alerter_new(uv_loop_t *loop, st_store *store,
                   const st_alert_target *targets, size_t ntargets,
                   const st_alert_opts *o, st_alerter **out, char *err,
                   size_t errlen);

/* New pending alerts may be due: look now (and then on the next due
 * time, by a timer). */
void st_alerter_kick(st_alerter *a);

void st_alerter_stats(const st_alerter *a, st_alert_stats *s);

/* Stops starting deliveries and abandons those in flight (they stay
 * pending in the store; a command still running is killed); `closed` is
 * called (from the loop, never from inside this call) when every handle is
 * closed, then free with st_alerter_free. */
void st_alerter_stop(st_alerter *a, void (*closed)(void *ud), void *ud);
void st_alerter_free(st_alerter *a);

/* "whsec_<base64>" → its key bytes (*key, caller frees). ST_EINPUT when it
 * has no prefix or the base64 is bad. */
int st_webhook_secret_decode(const char *whsec, unsigned char **key,
                             size_t *len, char *err, size_t errlen);

/* The Standard Webhooks signature header value into out (at least
 * ST_WEBHOOK_SIGLEN bytes; shorter is truncated):
 * "v1,<base64 HMAC-SHA256(key, id "." timestamp "." body)>", where id is
 * the webhook-id header's value ("msg_<id>"). */
#define ST_WEBHOOK_SIGLEN 48   /* "v1," + 44 base64 characters + NUL */
void st_webhook_sign(const unsigned char *key, size_t keylen, const char *id,
                     long long timestamp, const char *body, size_t len,
                     char *out, size_t outlen);

/* The delay before the next attempt after `attempt` (1 for the first)
 * failed with a retryable error: base_delay × 2^(attempt-1), at most
 * max_delay (o's defaults as in st_alert_opts; o may be NULL). */
double st_alert_backoff(const st_alert_opts *o, int attempt);

/* A Retry-After value, delta seconds ("120") or an HTTP date, as seconds
 * from now (a date in the past: 0). Returns 0 and *delay, or -1 when value
 * is neither. */
int st_alert_retry_after(const char *value, double now, double *delay);

#endif
