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
 * Ownership: the alerter borrows the loop and the store (the loop thread's
 * connection) and copies the targets. Threading: loop thread only.
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

typedef struct {
  double base_delay;             /* seconds; default 1 */
  double max_delay;              /* seconds; default 3600 */
  int max_attempts;              /* default 25 */
  double timeout;                /* per attempt, seconds; default 10 */
} st_alert_opts;

typedef struct {
  size_t delivered, failed, retried;   /* since start */
} st_alert_stats;

typedef struct st_alerter st_alerter;

int st_alerter_new(uv_loop_t *loop, st_store *store,
                   const st_alert_target *targets, size_t ntargets,
                   const st_alert_opts *o, st_alerter **out, char *err,
                   size_t errlen);

/* New pending alerts may be due: look now (and then on the next due
 * time, by a timer). */
void st_alerter_kick(st_alerter *a);

void st_alerter_stats(const st_alerter *a, st_alert_stats *s);

/* Stops starting deliveries and abandons those in flight (they stay
 * pending in the store); `closed` is called when every handle is closed,
 * then free with st_alerter_free. */
void st_alerter_stop(st_alerter *a, void (*closed)(void *ud), void *ud);
void st_alerter_free(st_alerter *a);

/* "whsec_<base64>" → its key bytes (*key, caller frees). ST_EINPUT when it
 * has no prefix or the base64 is bad. */
int st_webhook_secret_decode(const char *whsec, unsigned char **key,
                             size_t *len, char *err, size_t errlen);

/* The Standard Webhooks signature header value into out:
 * "v1,<base64 HMAC-SHA256(key, id "." timestamp "." body)>". */
void st_webhook_sign(const unsigned char *key, size_t keylen, const char *id,
                     long long timestamp, const char *body, size_t len,
                     char *out, size_t outlen);

#endif
