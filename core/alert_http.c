/*
 * alert_http.c - webhook deliveries: libcurl's multi interface driven by
 * the libuv loop, no thread per request.
 *
 * curl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION: one
 * uv_poll_t per socket, found again through curl_multi_assign) and when to
 * call it back (CURLMOPT_TIMERFUNCTION: one uv_timer_t); we tell it what
 * happened with curl_multi_socket_action and collect finished transfers
 * with curl_multi_info_read. A poll handle is freed only in its close
 * callback, since curl may drop a socket from inside the very
 * socket_action that a poll callback of that socket is running.
 */
#include "alert_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

struct st_alert_sock {
  uv_poll_t poll;
  curl_socket_t fd;
  st_alerter *a;
  st_alert_sock *prev, *next;
};

static void check_done(st_alerter *a);

/* {=== Sockets and the curl timer ====================================== */

static void on_sock_closed(uv_handle_t *h) {
  st_alert_sock *s = h->data;
  st_alerter *a = s->a;
  free(s);
  st_alert_handle_closed(a);
}

static void sock_close(st_alert_sock *s) {
  st_alerter *a = s->a;
  if (s->prev) s->prev->next = s->next;
  else a->socks = s->next;
  if (s->next) s->next->prev = s->prev;
  if (a->multi) curl_multi_assign(a->multi, s->fd, NULL);
  uv_close((uv_handle_t *)&s->poll, on_sock_closed);
}

static void on_poll(uv_poll_t *p, int status, int events) {
  st_alert_sock *s = p->data;
  st_alerter *a = s->a;
  int flags = 0;
  if (status < 0) flags = CURL_CSELECT_ERR;
  if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  int running;
  curl_multi_socket_action(a->multi, s->fd, flags, &running);
  check_done(a);
}

static st_alert_sock *sock_open(st_alerter *a, curl_socket_t fd) {
  st_alert_sock *s = st_xcalloc(1, sizeof *s);
  if (uv_poll_init_socket(a->loop, &s->poll, fd) != 0) {
    free(s);
    return NULL;
  }
  s->poll.data = s;
  s->fd = fd;
  s->a = a;
  s->next = a->socks;
  if (a->socks) a->socks->prev = s;
  a->socks = s;
  a->handles++;
  curl_multi_assign(a->multi, fd, s);
  return s;
}

static int on_curl_socket(CURL *e, curl_socket_t fd, int what, void *userp,
                          void *socketp) {
  (void)e;
  st_alerter *a = userp;
  st_alert_sock *s = socketp;
  if (what == CURL_POLL_REMOVE) {
    if (s) sock_close(s);
    return 0;
  }
  if (a->stopped) return 0;       /* curl is being torn down */
  if (!s && !(s = sock_open(a, fd))) return -1;
  int ev = 0;
  if (what & CURL_POLL_IN) ev |= UV_READABLE;
  if (what & CURL_POLL_OUT) ev |= UV_WRITABLE;
  return uv_poll_start(&s->poll, ev, on_poll) == 0 ? 0 : -1;
}

static void on_curl_timeout(uv_timer_t *t) {
  st_alerter *a = t->data;
  int running;
  curl_multi_socket_action(a->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  check_done(a);
}

/* curl may not be called from here, so a 0 ms timeout runs on the next
 * loop iteration rather than now. */
static int on_curl_timer(CURLM *m, long ms, void *userp) {
  (void)m;
  st_alerter *a = userp;
  if (a->stopped || ms < 0) uv_timer_stop(&a->curl_timer);
  else uv_timer_start(&a->curl_timer, on_curl_timeout, (uint64_t)ms, 0);
  return 0;
}

int st_alert_http_init(st_alerter *a, char *err, size_t errlen) {
  a->multi = curl_multi_init();
  if (!a->multi)
    return st_errf(err, errlen, ST_EIO, "libcurl: cannot make a multi handle");
  curl_multi_setopt(a->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
  curl_multi_setopt(a->multi, CURLMOPT_SOCKETDATA, a);
  curl_multi_setopt(a->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
  curl_multi_setopt(a->multi, CURLMOPT_TIMERDATA, a);
  uv_timer_init(a->loop, &a->curl_timer);
  a->curl_timer.data = a;
  a->handles++;
  return ST_OK;
}

/* }=== */

/* {=== Requests ========================================================= */

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
  (void)p; (void)ud;
  return size * n;                /* the answer's body is not ours to keep */
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
  st_delivery *d = ud;
  size_t len = size * n;
  static const char key[] = "retry-after:";
  if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
    d->retry_after[0] = 0;        /* a new response (after a 100) */
  } else if (len > sizeof key - 1 && strncasecmp(p, key, sizeof key - 1) == 0) {
    size_t v = len - (sizeof key - 1);
    if (v >= sizeof d->retry_after) v = sizeof d->retry_after - 1;
    memcpy(d->retry_after, p + sizeof key - 1, v);
    d->retry_after[v] = 0;
  }
  return len;
}

static struct curl_slist *add_header(struct curl_slist *l, const char *fmt,
                                     const char *v) {
  char line[256];
  snprintf(line, sizeof line, fmt, v);
  return curl_slist_append(l, line);
}

/* The request's headers: JSON, the Standard Webhooks three, and no
 * "Expect: 100-continue" (a receiver that ignores it costs a second). */
static struct curl_slist *webhook_headers(const st_delivery *d, double now) {
  char id[32], ts[32], sig[ST_WEBHOOK_SIGLEN];
  long long stamp = (long long)now;
  snprintf(id, sizeof id, "msg_%lld", (long long)d->id);
  snprintf(ts, sizeof ts, "%lld", stamp);
  struct curl_slist *l = NULL;
  l = add_header(l, "%s", "Content-Type: application/json");
  l = add_header(l, "webhook-id: %s", id);
  l = add_header(l, "webhook-timestamp: %s", ts);
  if (d->target->secret) {
    st_webhook_sign(d->target->secret, d->target->secret_len, id, stamp,
                    d->body, d->len, sig, sizeof sig);
    l = add_header(l, "webhook-signature: %s", sig);
  }
  return add_header(l, "%s", "Expect:");
}

static void set_options(st_delivery *d, CURL *e) {
  long ms = (long)(d->a->o.timeout * 1000.0);
  curl_easy_setopt(e, CURLOPT_URL, d->target->url);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "steward");
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, d->body);
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)d->len);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, d->headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, d);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, d->errbuf);
  curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)d);
}

static void release(st_delivery *d) {
  if (d->easy) curl_easy_cleanup(d->easy);
  curl_slist_free_all(d->headers);
  st_alert_delivery_free(d);
}

void st_alert_http_start(st_delivery *d, double now) {
  st_alerter *a = d->a;
  d->headers = webhook_headers(d, now);
  d->easy = curl_easy_init();
  if (d->easy) set_options(d, d->easy);
  if (!d->easy || curl_multi_add_handle(a->multi, d->easy) != CURLM_OK) {
    st_alert_finish(d, ST_OUTCOME_RETRY, -1, -1,
                    "libcurl could not start the request", NULL);
    release(d);
  }
}

/* What a finished transfer means (alert.h): 2xx delivered; a network
 * error, a timeout, 429 or 5xx retried; any other status failed. */
static void complete(st_delivery *d, CURLcode rc) {
  long code = 0;
  curl_easy_getinfo(d->easy, CURLINFO_RESPONSE_CODE, &code);
  if (rc != CURLE_OK) {
    st_alert_finish(d, ST_OUTCOME_RETRY, -1, -1, curl_easy_strerror(rc),
                    d->errbuf);
    return;
  }
  char why[32];
  snprintf(why, sizeof why, "HTTP %ld", code);
  if (code >= 200 && code < 300) {
    st_alert_finish(d, ST_OUTCOME_DELIVERED, code, -1, NULL, NULL);
  } else if (code == 429 || (code >= 500 && code < 600)) {
    double after = -1;
    if (st_alert_retry_after(d->retry_after, st_alert_now(), &after) != 0)
      after = -1;
    st_alert_finish(d, ST_OUTCOME_RETRY, code, after, why, NULL);
  } else {
    st_alert_finish(d, ST_OUTCOME_FAILED, code, -1, why, NULL);
  }
}

/* Every transfer curl reports done: read what the message says before
 * removing the handle (the message dies with it), then judge it. */
static void check_done(st_alerter *a) {
  CURLMsg *m;
  int left, any = 0;
  while (a->multi && (m = curl_multi_info_read(a->multi, &left))) {
    if (m->msg != CURLMSG_DONE) continue;
    CURL *e = m->easy_handle;
    CURLcode rc = m->data.result;
    char *priv = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
    st_delivery *d = (st_delivery *)(void *)priv;
    curl_multi_remove_handle(a->multi, e);
    complete(d, rc);
    release(d);
    any = 1;
  }
  if (any) st_alert_pump(a);
}

void st_alert_http_abandon(st_delivery *d) {
  curl_multi_remove_handle(d->a->multi, d->easy);
  release(d);
}

static void on_timer_closed(uv_handle_t *h) { st_alert_handle_closed(h->data); }

/* Drops our watch on every socket first (so curl's goodbyes during the
 * cleanup find no pointer of ours), then curl itself, then the timer. */
void st_alert_http_stop(st_alerter *a) {
  while (a->socks) sock_close(a->socks);
  curl_multi_cleanup(a->multi);
  a->multi = NULL;
  uv_timer_stop(&a->curl_timer);
  uv_close((uv_handle_t *)&a->curl_timer, on_timer_closed);
}

/* }=== */
