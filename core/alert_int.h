/*
 * alert_int.h - what the alerter's own files share, and nothing else may
 * use: alert.c (targets, the due timer, outcomes, stop), alert_http.c
 * (webhooks on libcurl's multi interface, driven by the loop) and
 * alert_cmd.c (commands).
 *
 * A delivery is one attempt at one alert. It is on the alerter's in-flight
 * list from its start until its outcome is recorded (st_alert_finish) or
 * it is abandoned by a stop; the transport that started it frees it once
 * its handles are closed.
 *
 * Ownership: the alerter owns its deliveries and targets; a delivery owns
 * its copy of the alert's body. Threading: loop thread only.
 */
#ifndef ST_ALERT_INT_H
#define ST_ALERT_INT_H

#include <curl/curl.h>

#include "alert.h"

typedef struct {
  char *name, *url;
  unsigned char *secret;
  size_t secret_len;
  char **argv;                 /* NULL-terminated, or NULL for a webhook */
} st_alert_tgt;

typedef enum {
  ST_OUTCOME_DELIVERED, ST_OUTCOME_RETRY, ST_OUTCOME_FAILED
} st_alert_outcome;

typedef struct st_delivery st_delivery;
struct st_delivery {
  st_alerter *a;
  st_delivery *next;           /* the in-flight list */
  int64_t id;
  const st_alert_tgt *target;
  int attempt;                 /* this one's number, from 1 */
  char *body;
  size_t len;
  int abandoned;               /* stopped: record nothing */
  /* webhooks */
  CURL *easy;
  struct curl_slist *headers;
  char errbuf[CURL_ERROR_SIZE];
  char retry_after[64];        /* the last response's Retry-After, or "" */
  /* commands */
  uv_process_t proc;
  uv_pipe_t in;
  uv_timer_t kill;
  uv_write_t write;
  int handles;                 /* of the three above, not yet closed */
  int exited, timed_out;
};

typedef struct st_alert_sock st_alert_sock;

struct st_alerter {
  uv_loop_t *loop;
  st_store *store;
  const st_alert_store_ops *ops;
  st_alert_opts o;             /* defaults filled in */
  st_alert_tgt *targets;
  size_t ntargets;
  uv_timer_t due;              /* the store's next due time */
  st_delivery *flight;
  st_alert_stats stats;
  int stopped, pumping, repump;
  double hold_until;           /* no new deliveries before (store trouble) */
  size_t handles;              /* open uv handles, for `closed` */
  void (*closed)(void *ud);
  void *closed_ud;
  CURLM *multi;
  uv_timer_t curl_timer;
  st_alert_sock *socks;        /* sockets curl asked us to watch */
};

/* alert.c */
double st_alert_now(void);           /* wall clock, epoch seconds */
/* Records d's outcome in the store, counts and logs it, and takes d off the
 * in-flight list; `code` is the HTTP status or exit status (-1: none),
 * retry_after the server's wish in seconds (-1: none), detail more for the
 * log (or NULL). Does not free d and does not start anything. */
void st_alert_finish(st_delivery *d, st_alert_outcome out, long code,
                     double retry_after, const char *error,
                     const char *detail);
/* Starts what is due and fits, then arms the due timer. */
void st_alert_pump(st_alerter *a);
/* A handle the alerter counted is closed (calls `closed` after a stop
 * when it was the last). */
void st_alert_handle_closed(st_alerter *a);
/* Frees a delivery's own memory (its transport released the rest). */
void st_alert_delivery_free(st_delivery *d);

/* alert_http.c */
int st_alert_http_init(st_alerter *a, char *err, size_t errlen);
/* Starts d's request; when it cannot, finishes and frees d at once. */
void st_alert_http_start(st_delivery *d, double now);
void st_alert_http_abandon(st_delivery *d);   /* removes and frees d */
void st_alert_http_stop(st_alerter *a);       /* after every abandon */

/* alert_cmd.c */
/* Spawns d's command; when it cannot, finishes d at once (freed when its
 * handles are closed, as always). */
void st_alert_cmd_start(st_delivery *d);
void st_alert_cmd_abandon(st_delivery *d);    /* kills; freed when closed */

#endif
