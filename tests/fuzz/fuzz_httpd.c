/*
 * fuzz_httpd.c - libFuzzer harness for the HTTP server (httpd.c): arbitrary
 * bytes from a client, on one connection, through the whole server.
 *
 * Input: the first byte chooses how the run goes, the rest is what the
 * client sends.
 *   bits 0-1  how the handler answers: 0 at once, 1 always later (from a
 *             0 ms uv_timer), 2 every other request later, 3 at once with
 *             a 256 KiB body (writes that take several turns)
 *   bit 2     small limits (max_header 256, max_body 64) instead of the
 *             defaults
 *   bit 3     stop the server when the first request reaches the handler
 *   bit 4     the client closes right after sending instead of half-closing
 *             and reading to the end
 *   bits 5-7  the client's writes: 1, 2, 3, 7, 16, 61, 512 bytes each, or
 *             all at once (bytes reach the parser split differently)
 * The connection is a socketpair given to st_httpd_adopt (no TCP, no
 * ports); the client is a uv_pipe_t on the same loop, so a run is one
 * thread and needs no real time (no timeout is reached). A run ends when
 * the client is done and closed, then the server has no connection left
 * and is stopped, and the stop's `closed` came; every handle is closed and freed, which ASan's leak check
 * and uv_loop_close (must return 0) confirm.
 *
 * Checked: what the server writes starts with "HTTP/1.1 "; each request's
 * body is NUL-terminated at body_len and within max_body, header names
 * are lowercase, path and query are non-NULL. A failed check aborts.
 *
 * Built by `make fuzz`; tests/unit/test_fuzz_regressions.c includes this
 * file with ST_FUZZ_NO_MAIN and calls fuzz_httpd_one on stored inputs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <uv.h>

#include "httpd.h"
#include "util.h"

typedef struct {
    uv_loop_t loop;
    uv_pipe_t client;
    uv_write_t wr;
    uv_shutdown_t shut;
    uv_idle_t idle;
    st_httpd *srv;
    st_http_limits lim;
    const uint8_t *data;
    size_t size, off, chunk;
    int mode, stop_first, full_close;
    int client_closed, stopping, closed;
    unsigned reqs;
    char out[9];                /* the first bytes the server wrote */
    size_t nout;
    char rbuf[4096];
} fuzz_httpd_run;

static void fuzz_httpd_check_req(fuzz_httpd_run *f, const st_http_req *r)
{
    if (!r->method || !r->path || !r->query || !r->target || !r->body)
        abort();
    if (r->body[r->body_len] != '\0' || r->body_len > f->lim.max_body)
        abort();
    for (size_t i = 0; i < r->nheaders; i++)
        for (const char *p = r->headers[i].name; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                abort();
}

static void fuzz_httpd_answer(st_http_req *r, int big)
{
    char *q = st_http_query_get(r, "a");
    const char *host = st_http_header_get(r, "Host");
    st_buf b;
    st_buf_init(&b);
    st_buf_printf(&b, "%s %s %s %s %zu", r->method, r->path, q ? q : "-",
                  host ? host : "-", r->body_len);
    free(q);
    if (big)
        for (int i = 0; i < 256; i++)
            st_buf_add(&b, r->body, r->body_len < 1024 ? r->body_len : 1024);
    st_httpd_set_route(r, "/fuzz");
    st_httpd_respond(r, r->body_len ? 201 : 200, "text/plain", b.data, b.len,
                     "X-Fuzz: 1\r\n");
    st_buf_free(&b);
}

static void fuzz_httpd_free_handle(uv_handle_t *h) { free(h); }

static void fuzz_httpd_later(uv_timer_t *t)
{
    fuzz_httpd_answer(t->data, 0);
    uv_close((uv_handle_t *)t, fuzz_httpd_free_handle);
}

static void fuzz_httpd_closed(void *ud)
{
    fuzz_httpd_run *f = ud;
    f->closed = 1;
}

static void fuzz_httpd_stop(fuzz_httpd_run *f)
{
    if (f->stopping)
        return;
    f->stopping = 1;
    st_httpd_stop(f->srv, fuzz_httpd_closed, f);
}

static void fuzz_httpd_handler(st_http_req *r, void *ud)
{
    fuzz_httpd_run *f = ud;
    fuzz_httpd_check_req(f, r);
    f->reqs++;
    if (f->stop_first)
        fuzz_httpd_stop(f);
    if (f->mode == 1 || (f->mode == 2 && (f->reqs & 1))) {
        uv_timer_t *t = st_xmalloc(sizeof *t);
        uv_timer_init(&f->loop, t);
        t->data = r;
        uv_timer_start(t, fuzz_httpd_later, 0, 0);
    } else {
        fuzz_httpd_answer(r, f->mode == 3);
    }
}

/* Each loop turn once the client is gone: stop the server when it holds
 * no connection any more (an idle handle, because nothing else may wake
 * the loop then). */
static void fuzz_httpd_tick(uv_idle_t *h)
{
    fuzz_httpd_run *f = h->data;
    if (st_httpd_connections(f->srv) == 0) {
        fuzz_httpd_stop(f);
        uv_close((uv_handle_t *)h, NULL);
    }
}

static void fuzz_httpd_client_closed(uv_handle_t *h)
{
    fuzz_httpd_run *f = h->data;
    f->client_closed = 1;
    uv_idle_init(&f->loop, &f->idle);
    f->idle.data = f;
    uv_idle_start(&f->idle, fuzz_httpd_tick);
}

static void fuzz_httpd_alloc(uv_handle_t *h, size_t n, uv_buf_t *buf)
{
    fuzz_httpd_run *f = h->data;
    (void)n;
    *buf = uv_buf_init(f->rbuf, sizeof f->rbuf);
}

static void fuzz_httpd_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    fuzz_httpd_run *f = s->data;
    if (n < 0) {
        if (!uv_is_closing((uv_handle_t *)s))
            uv_close((uv_handle_t *)s, fuzz_httpd_client_closed);
        return;
    }
    for (ssize_t i = 0; i < n && f->nout < sizeof f->out; i++)
        f->out[f->nout++] = buf->base[i];
    if (f->nout && memcmp(f->out, "HTTP/1.1 ", f->nout) != 0)
        abort();
}

static void fuzz_httpd_send_next(fuzz_httpd_run *f);

static void fuzz_httpd_written(uv_write_t *w, int status)
{
    fuzz_httpd_run *f = w->data;
    if (status < 0) { /* the server closed first */
        if (!uv_is_closing((uv_handle_t *)&f->client))
            uv_close((uv_handle_t *)&f->client, fuzz_httpd_client_closed);
        return;
    }
    fuzz_httpd_send_next(f);
}

static void fuzz_httpd_shut(uv_shutdown_t *s, int status)
{
    (void)s;
    (void)status;
}

/* Writes the next piece, or ends the client's side. */
static void fuzz_httpd_send_next(fuzz_httpd_run *f)
{
    if (uv_is_closing((uv_handle_t *)&f->client))
        return;
    if (f->off < f->size) {
        size_t n = f->size - f->off < f->chunk ? f->size - f->off : f->chunk;
        uv_buf_t b = uv_buf_init((char *)f->data + f->off, (unsigned)n);
        f->off += n;
        f->wr.data = f;
        if (uv_write(&f->wr, (uv_stream_t *)&f->client, &b, 1,
                     fuzz_httpd_written) != 0)
            uv_close((uv_handle_t *)&f->client, fuzz_httpd_client_closed);
        return;
    }
    if (f->full_close) {
        uv_close((uv_handle_t *)&f->client, fuzz_httpd_client_closed);
    } else {
        f->shut.data = f;
        if (uv_shutdown(&f->shut, (uv_stream_t *)&f->client,
                        fuzz_httpd_shut) != 0)
            uv_close((uv_handle_t *)&f->client, fuzz_httpd_client_closed);
    }
}

static void fuzz_httpd_setup(fuzz_httpd_run *f, uint8_t cfg)
{
    static const size_t chunks[8] = {1, 2, 3, 7, 16, 61, 512, SIZE_MAX};
    f->mode = cfg & 3;
    f->stop_first = (cfg >> 3) & 1;
    f->full_close = (cfg >> 4) & 1;
    f->chunk = chunks[(cfg >> 5) & 7];
    if (cfg & 4) {
        f->lim.max_header = 256;
        f->lim.max_body = 64;
    }
    f->lim.header_timeout = f->lim.body_timeout = f->lim.idle_timeout = 5;
    st_http_limits_default(&f->lim);
}

static int fuzz_httpd_one(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    fuzz_httpd_run *f = st_xcalloc(1, sizeof *f);
    fuzz_httpd_setup(f, data[0]);
    f->data = data + 1;
    f->size = size - 1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        abort();
    uv_loop_init(&f->loop);
    char err[256];
    if (st_httpd_start(&f->loop, NULL, 0, &f->lim, fuzz_httpd_handler, NULL,
                       f, &f->srv, err, sizeof err) != ST_OK ||
        st_httpd_adopt(f->srv, sv[0]) != ST_OK)
        abort();
    uv_pipe_init(&f->loop, &f->client, 0);
    f->client.data = f;
    uv_pipe_open(&f->client, sv[1]);
    uv_read_start((uv_stream_t *)&f->client, fuzz_httpd_alloc,
                  fuzz_httpd_read);
    fuzz_httpd_send_next(f);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    if (!f->closed || uv_loop_close(&f->loop) != 0)
        abort();
    st_httpd_free(f->srv);
    free(f);
    return 0;
}

#ifndef ST_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_httpd_one(data, size);
}
#endif
