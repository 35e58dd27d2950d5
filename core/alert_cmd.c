/*
 * alert_cmd.c - command deliveries: uv_spawn with the alert's JSON on
 * stdin (a pipe closed once the body is written, so the command sees end
 * of file), stdout and stderr on /dev/null, and a timer that kills the
 * command (SIGKILL: a command stuck past its timeout is not asked twice)
 * when it runs too long.
 *
 * Exit 0 is delivered; a non-zero exit, a signal, the timeout, or a
 * command that cannot be started is retried. The delivery is freed when
 * its three handles (process, pipe, timer) are all closed.
 */
#include "alert_int.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void on_closed(uv_handle_t *h) {
  st_delivery *d = h->data;
  st_alerter *a = d->a;
  if (--d->handles == 0) st_alert_delivery_free(d);
  st_alert_handle_closed(a);
}

static void close_one(uv_handle_t *h) {
  if (!uv_is_closing(h)) uv_close(h, on_closed);
}

static void close_all(st_delivery *d) {
  close_one((uv_handle_t *)&d->in);
  close_one((uv_handle_t *)&d->kill);
  close_one((uv_handle_t *)&d->proc);
}

/* The body is written (or could not be: the command is gone): close
 * stdin so that the command sees the end of it. */
static void on_written(uv_write_t *w, int status) {
  (void)status;
  st_delivery *d = w->data;
  close_one((uv_handle_t *)&d->in);
}

static void on_timeout(uv_timer_t *t) {
  st_delivery *d = t->data;
  d->timed_out = 1;
  uv_process_kill(&d->proc, SIGKILL);
}

static void judge(st_delivery *d, int64_t status, int sig) {
  char why[96];
  if (d->timed_out) {
    snprintf(why, sizeof why, "timed out after %g s (killed)",
             d->a->o.timeout);
    st_alert_finish(d, ST_OUTCOME_RETRY, -1, -1, why, NULL);
  } else if (sig) {
    snprintf(why, sizeof why, "killed by signal %d", sig);
    st_alert_finish(d, ST_OUTCOME_RETRY, -1, -1, why, NULL);
  } else if (status != 0) {
    snprintf(why, sizeof why, "exit status %lld", (long long)status);
    st_alert_finish(d, ST_OUTCOME_RETRY, (long)status, -1, why, NULL);
  } else {
    st_alert_finish(d, ST_OUTCOME_DELIVERED, 0, -1, NULL, NULL);
  }
}

static void on_child_exit(uv_process_t *p, int64_t status, int sig) {
  st_delivery *d = p->data;
  st_alerter *a = d->a;
  d->exited = 1;
  uv_timer_stop(&d->kill);
  if (!d->abandoned) judge(d, status, sig);
  close_all(d);
  if (!d->abandoned) st_alert_pump(a);
}

static void init_handles(st_delivery *d) {
  st_alerter *a = d->a;
  uv_pipe_init(a->loop, &d->in, 0);
  uv_timer_init(a->loop, &d->kill);
  d->in.data = d->kill.data = d->proc.data = d->write.data = d;
  d->handles = 3;                /* the process handle too: uv_spawn inits it */
  a->handles += 3;
}

void st_alert_cmd_start(st_delivery *d) {
  st_alerter *a = d->a;
  init_handles(d);
  uv_stdio_container_t stdio[3];
  stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
  stdio[0].data.stream = (uv_stream_t *)&d->in;
  stdio[1].flags = stdio[2].flags = UV_IGNORE;
  uv_process_options_t po;
  memset(&po, 0, sizeof po);
  po.exit_cb = on_child_exit;
  po.file = d->target->argv[0];
  po.args = d->target->argv;
  po.stdio = stdio;
  po.stdio_count = 3;
  int rc = uv_spawn(a->loop, &d->proc, &po);
  if (rc != 0) {
    char why[256];
    snprintf(why, sizeof why, "cannot run %s: %s", d->target->argv[0],
             uv_strerror(rc));
    st_alert_finish(d, ST_OUTCOME_RETRY, -1, -1, why, NULL);
    close_all(d);
    return;
  }
  uv_timer_start(&d->kill, on_timeout, (uint64_t)(a->o.timeout * 1000.0), 0);
  uv_buf_t buf = uv_buf_init(d->body, (unsigned)d->len);
  if (uv_write(&d->write, (uv_stream_t *)&d->in, &buf, 1, on_written) != 0)
    close_one((uv_handle_t *)&d->in);
}

/* Stopping: the command is killed, and its exit records nothing. */
void st_alert_cmd_abandon(st_delivery *d) {
  if (!d->exited) uv_process_kill(&d->proc, SIGKILL);
}
