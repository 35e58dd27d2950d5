/*
 * test_httpd.c - the HTTP/1.1 server (core/httpd.c) over real sockets:
 * keep-alive, pipelining (with an asynchronous first answer), bodies by
 * Content-Length and chunked, Expect: 100-continue, every limit (413, 431,
 * 408, 503) and malformed input (400), half-close, a client that vanishes
 * while its request is at the handler, stopping with a request in flight,
 * and the query, header and reason helpers.
 *
 * Each case runs the server on a libuv loop in the main thread (127.0.0.1,
 * port 0) and a client in a second thread that speaks raw HTTP over
 * blocking sockets with receive timeouts. The client writes what it got
 * into the fixture; the main thread checks it after both are done, so
 * t.h's checks run on one thread only.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "httpd.h"
#include "t.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define NGOT 16
#define GOTLEN 2048

typedef struct fx fx;
typedef void (*client_fn)(fx *f);

struct fx {
    uv_loop_t loop;
    uv_async_t async;
    uv_timer_t watchdog;
    st_httpd *srv;
    int port, v6, loopback;
    client_fn client;
    pthread_mutex_t mu;         /* guards the flags below */
    int finished, want_stop, want_release, held_set;
    int stopped, closed, handles_closed, hung;
    st_http_req *held;          /* a /hold request, answered on release */
    unsigned conns_at_release;
    char got[NGOT][GOTLEN];     /* written by the client thread */
    int ngot;
    int dones[64];              /* statuses seen by the done callback */
    int ndones;
    const char *last_route;
};

static fx F;

/* {=== Loop side ======================================================== */

static void echo(st_http_req *r)
{
    st_buf b;
    st_buf_init(&b);
    st_buf_printf(&b, "%s %s ?%s\n", r->method, r->path, r->query);
    for (size_t i = 0; i < r->nheaders; i++)
        st_buf_printf(&b, "%s=%s\n", r->headers[i].name, r->headers[i].value);
    st_buf_printf(&b, "[%zu]", r->body_len);
    st_buf_add(&b, r->body, r->body_len);
    st_httpd_set_route(r, "/echo");
    st_httpd_respond(r, 200, "text/plain", b.data, b.len, "X-Test: 1\r\n");
    st_buf_free(&b);
}

static void free_handle(uv_handle_t *h) { free(h); }

static void async_fire(uv_timer_t *t)
{
    echo(t->data);
    uv_close((uv_handle_t *)t, free_handle);
}

static void handler(st_http_req *r, void *ud)
{
    fx *f = ud;
    f->loopback = r->peer_is_loopback;
    if (strncmp(r->path, "/async", 6) == 0) {
        uv_timer_t *t = malloc(sizeof *t);
        uv_timer_init(&f->loop, t);
        t->data = r;
        uv_timer_start(t, async_fire, 50, 0);
    } else if (strncmp(r->path, "/hold", 5) == 0) {
        pthread_mutex_lock(&f->mu);
        f->held = r;
        f->held_set = 1;
        pthread_mutex_unlock(&f->mu);
    } else if (strcmp(r->path, "/big") == 0) {
        size_t n = 4u << 20;
        char *body = calloc(1, n);
        st_httpd_respond(r, 200, NULL, body, n, NULL);
        free(body);
    } else {
        echo(r);
    }
}

static void on_done(const st_http_req *r, int status, double seconds,
                    const char *route, void *ud)
{
    fx *f = ud;
    (void)r;
    (void)seconds;
    if (f->ndones < 64)
        f->dones[f->ndones++] = status;
    f->last_route = route;
}

static void close_fixture_handles(fx *f)
{
    if (f->handles_closed)
        return;
    f->handles_closed = 1;
    uv_close((uv_handle_t *)&f->async, NULL);
    uv_close((uv_handle_t *)&f->watchdog, NULL);
}

static void on_closed(void *ud)
{
    fx *f = ud;
    f->closed = 1;
    pthread_mutex_lock(&f->mu);
    int finished = f->finished;
    pthread_mutex_unlock(&f->mu);
    if (finished)
        close_fixture_handles(f);
}

static void on_async(uv_async_t *a)
{
    fx *f = a->data;
    pthread_mutex_lock(&f->mu);
    int finished = f->finished, stop = f->want_stop;
    int release = f->want_release && f->held;
    st_http_req *held = release ? f->held : NULL;
    if (release)
        f->held = NULL;
    pthread_mutex_unlock(&f->mu);
    if (held) {
        f->conns_at_release = st_httpd_connections(f->srv);
        echo(held);
    }
    if ((stop || finished) && !f->stopped) {
        f->stopped = 1;
        st_httpd_stop(f->srv, on_closed, f);
    }
    if (finished && f->closed)
        close_fixture_handles(f);
}

static void on_watchdog(uv_timer_t *t)
{
    fx *f = t->data;
    f->hung = 1;
    uv_stop(&f->loop);
}

static void *client_main(void *arg)
{
    fx *f = arg;
    f->client(f);
    pthread_mutex_lock(&f->mu);
    f->finished = 1;
    pthread_mutex_unlock(&f->mu);
    uv_async_send(&f->async);
    return NULL;
}

/* Runs client against a fresh server on host with these limits (NULL:
 * defaults). 0 when the server could not start. */
static int run_on(const char *host, const st_http_limits *lim,
                  client_fn client)
{
    fx *f = &F;
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    f->client = client;
    f->v6 = strchr(host, ':') != NULL;
    uv_loop_init(&f->loop);
    char err[256];
    if (st_httpd_start(&f->loop, host, 0, lim, handler, on_done, f, &f->srv,
                       err, sizeof err) != ST_OK) {
        uv_loop_close(&f->loop);
        return 0;
    }
    f->port = st_httpd_port(f->srv);
    uv_async_init(&f->loop, &f->async, on_async);
    f->async.data = f;
    uv_timer_init(&f->loop, &f->watchdog);
    f->watchdog.data = f;
    uv_timer_start(&f->watchdog, on_watchdog, 30000, 0);
    pthread_t th;
    pthread_create(&th, NULL, client_main, f);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    pthread_join(th, NULL);
    T_CHECK(!f->hung);
    T_CHECK(f->closed);
    if (f->hung)
        return 1;
    st_httpd_free(f->srv);
    T_EQ_INT(uv_loop_close(&f->loop), 0);
    pthread_mutex_destroy(&f->mu);
    return 1;
}

static void run(const st_http_limits *lim, client_fn client)
{
    T_CHECK(run_on("127.0.0.1", lim, client));
}

/* }=== */

/* {=== Client side ====================================================== */

typedef struct {
    int fd;
    size_t off, len;
    char head[GOTLEN];          /* the last response's head, Date masked */
    char buf[1 << 17];
} cl;

static void got(fx *f, const char *s)
{
    if (f->ngot < NGOT)
        snprintf(f->got[f->ngot++], GOTLEN, "%s", s);
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static cl *cl_open(fx *f)
{
    cl *c = calloc(1, sizeof *c);
    c->fd = socket(f->v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {3, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (f->v6) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)f->port);
        a6->sin6_addr = in6addr_loopback;
    } else {
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)f->port);
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    }
    if (connect(c->fd, (struct sockaddr *)&ss, sizeof ss) != 0)
        got(f, "connect failed");
    return c;
}

static void cl_free(cl *c)
{
    close(c->fd);
    free(c);
}

static void cl_sendn(cl *c, const char *s, size_t n)
{
    while (n) {
        ssize_t k = send(c->fd, s, n, MSG_NOSIGNAL);
        if (k <= 0)
            return;
        s += k;
        n -= (size_t)k;
    }
}

static void cl_send(cl *c, const char *s) { cl_sendn(c, s, strlen(s)); }

/* Reads more; what recv returned (0 at EOF, -1 on timeout). */
static ssize_t cl_fill(cl *c)
{
    if (c->off && c->len == sizeof c->buf) {
        memmove(c->buf, c->buf + c->off, c->len - c->off);
        c->len -= c->off;
        c->off = 0;
    }
    if (c->len == sizeof c->buf)
        return -1;
    ssize_t k = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (k > 0)
        c->len += (size_t)k;
    return k;
}

static void mask_date(char *head)
{
    char *d = strstr(head, "\r\nDate: ");
    if (!d)
        return;
    char *end = strstr(d + 2, "\r\n");
    d += 8;
    *d = '*';
    memmove(d + 1, end, strlen(end) + 1);
}

/* One response as "STATUS LINE\nBODY" into out, its head into c->head;
 * "EOF" or "TIMEOUT" when none came. head_only: a response to HEAD. */
static void cl_response(cl *c, char *out, size_t outn, int head_only)
{
    char *end;
    while (!(end = memmem(c->buf + c->off, c->len - c->off, "\r\n\r\n", 4))) {
        ssize_t k = cl_fill(c);
        if (k <= 0) {
            snprintf(out, outn, "%s", k == 0 ? "EOF" : "TIMEOUT");
            return;
        }
    }
    size_t hlen = (size_t)(end - (c->buf + c->off)) + 4;
    snprintf(c->head, sizeof c->head, "%.*s", (int)hlen, c->buf + c->off);
    mask_date(c->head);
    const char *clen = strstr(c->head, "\r\nContent-Length: ");
    size_t blen = clen && !head_only ? strtoul(clen + 18, NULL, 10) : 0;
    while (c->len - c->off < hlen + blen)
        if (cl_fill(c) <= 0)
            break;
    if (c->len - c->off < hlen + blen)
        blen = c->len - c->off - hlen;
    const char *line_end = strstr(c->head, "\r\n");
    snprintf(out, outn, "%.*s\n%.*s", (int)(line_end - c->head), c->head,
             (int)blen, c->buf + c->off + hlen);
    c->off += hlen + blen;
}

/* Records the next response. */
static void cl_got(fx *f, cl *c)
{
    char out[GOTLEN];
    cl_response(c, out, sizeof out, 0);
    got(f, out);
}

/* Records "closed" when the server closed the connection (nothing more
 * buffered, then EOF), else "open". */
static void cl_got_closed(fx *f, cl *c)
{
    if (c->off == c->len && cl_fill(c) == 0)
        got(f, "closed");
    else
        got(f, "open");
}

static void signal_loop(fx *f, int *flag)
{
    pthread_mutex_lock(&f->mu);
    *flag = 1;
    pthread_mutex_unlock(&f->mu);
    uv_async_send(&f->async);
}

/* Waits (up to 3 s) for the handler to hold a request. */
static void wait_held(fx *f)
{
    for (int i = 0; i < 600; i++) {
        pthread_mutex_lock(&f->mu);
        int set = f->held_set;
        pthread_mutex_unlock(&f->mu);
        if (set)
            return;
        nap_ms(5);
    }
}

/* }=== */

/* {=== Cases ============================================================ */

static void c_get(fx *f)
{
    cl *c = cl_open(f);
    cl_send(c, "GET /a%20b/%2Fc?q=%20&x HTTP/1.1\r\nHost: t\r\n\r\n");
    cl_got(f, c);
    got(f, c->head);
    cl_free(c);
}

static void test_simple_get(void)
{
    run(NULL, c_get);
    T_EQ_INT(F.ngot, 2);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /a b//c ?q=%20&x\nhost=t\n[0]");
    T_EQ_STR(F.got[1], "HTTP/1.1 200 OK\r\nDate: *\r\nContent-Length: 31\r\n"
                       "Content-Type: text/plain\r\nConnection: keep-alive\r\n"
                       "X-Test: 1\r\n\r\n");
    T_EQ_INT(F.ndones, 1);
    T_EQ_INT(F.dones[0], 200);
    T_EQ_STR(F.last_route, "/echo");
    T_EQ_INT(F.loopback, 1);
}

/* The same over IPv6 when the machine has ::1 (skipped otherwise). */
static void test_ipv6(void)
{
    if (!run_on("::1", NULL, c_get)) {
        fprintf(stderr, "test_ipv6: no ::1 here, skipped\n");
        return;
    }
    T_EQ_INT(F.ngot, 2);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /a b//c ?q=%20&x\nhost=t\n[0]");
    T_EQ_INT(F.loopback, 1);
}

static void c_keepalive(fx *f)
{
    cl *c = cl_open(f);
    cl_send(c, "GET /one HTTP/1.1\r\n\r\n");
    cl_got(f, c);
    cl_send(c, "GET /two HTTP/1.1\r\nConnection: close\r\n\r\n");
    cl_got(f, c);
    got(f, c->head);
    cl_got_closed(f, c);
    cl_free(c);
    c = cl_open(f);
    cl_send(c, "GET /ten HTTP/1.0\r\n\r\n");
    cl_got(f, c);
    cl_got_closed(f, c);
    cl_free(c);
}

static void test_keep_alive(void)
{
    run(NULL, c_keepalive);
    T_EQ_INT(F.ngot, 6);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /one ?\n[0]");
    T_EQ_STR(F.got[1], "HTTP/1.1 200 OK\nGET /two ?\nconnection=close\n[0]");
    T_CONTAINS(F.got[2], "\r\nConnection: close\r\n");
    T_EQ_STR(F.got[3], "closed");
    T_EQ_STR(F.got[4], "HTTP/1.1 200 OK\nGET /ten ?\n[0]");
    T_EQ_STR(F.got[5], "closed");
}

static void c_pipeline(fx *f)
{
    cl *c = cl_open(f);
    cl_send(c, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"
               "POST /3 HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
    cl_got(f, c);
    cl_got(f, c);
    cl_got(f, c);
    cl_send(c, "GET /async/1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"
               "GET /async/3 HTTP/1.1\r\n\r\nHEAD /4 HTTP/1.1\r\n\r\n");
    cl_got(f, c);
    cl_got(f, c);
    cl_got(f, c);
    char out[GOTLEN];
    cl_response(c, out, sizeof out, 1);
    got(f, out);
    got(f, c->head);
    cl_free(c);
}

static void test_pipelining(void)
{
    run(NULL, c_pipeline);
    T_EQ_INT(F.ngot, 8);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /1 ?\n[0]");
    T_EQ_STR(F.got[1], "HTTP/1.1 200 OK\nGET /2 ?\n[0]");
    T_EQ_STR(F.got[2], "HTTP/1.1 200 OK\nPOST /3 ?\ncontent-length=2\n[2]hi");
    T_EQ_STR(F.got[3], "HTTP/1.1 200 OK\nGET /async/1 ?\n[0]");
    T_EQ_STR(F.got[4], "HTTP/1.1 200 OK\nGET /2 ?\n[0]");
    T_EQ_STR(F.got[5], "HTTP/1.1 200 OK\nGET /async/3 ?\n[0]");
    T_EQ_STR(F.got[6], "HTTP/1.1 200 OK\n");
    T_CONTAINS(F.got[7], "\r\nContent-Length: 13\r\n");
}

/* Far more pipelined bytes than the server buffers while a request is at
 * the handler: it stops reading, then answers every one in order. */
static void c_flood(fx *f)
{
    enum { N = 6000 };
    cl *c = cl_open(f);
    cl_send(c, "GET /hold HTTP/1.1\r\n\r\n");
    wait_held(f);
    st_buf b;
    st_buf_init(&b);
    for (int i = 0; i < N; i++)
        st_buf_printf(&b, "GET /p%d HTTP/1.1\r\n\r\n", i);
    cl_sendn(c, b.data, b.len);
    st_buf_free(&b);
    signal_loop(f, &f->want_release);
    cl_got(f, c);
    char out[GOTLEN], want[64];
    int in_order = 1;
    for (int i = 0; i < N; i++) {
        cl_response(c, out, sizeof out, 0);
        snprintf(want, sizeof want, "HTTP/1.1 200 OK\nGET /p%d ?\n[0]", i);
        if (strcmp(out, want) != 0 && in_order) {
            in_order = 0;
            got(f, out);
        }
    }
    if (in_order)
        got(f, "all in order");
    cl_free(c);
}

static void test_pipelining_flood(void)
{
    run(NULL, c_flood);
    T_EQ_INT(F.ngot, 2);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /hold ?\n[0]");
    T_EQ_STR(F.got[1], "all in order");
    T_EQ_INT(F.ndones, 64);
}

static void c_bodies(fx *f)
{
    cl *c = cl_open(f);
    cl_send(c, "POST /p HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello");
    nap_ms(20);
    cl_send(c, " world");
    cl_got(f, c);
    cl_send(c, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
               "5\r\nhel");
    nap_ms(20);
    cl_send(c, "lo\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
    cl_got(f, c);
    cl_sendn(c, "POST /z HTTP/1.1\r\nContent-Length: 3\r\n\r\na\0b", 42);
    cl_got(f, c);
    cl_free(c);
}

static void test_bodies(void)
{
    run(NULL, c_bodies);
    T_EQ_INT(F.ngot, 3);
    T_EQ_STR(F.got[0],
             "HTTP/1.1 200 OK\nPOST /p ?\ncontent-length=11\n[11]hello world");
    T_EQ_STR(F.got[1], "HTTP/1.1 200 OK\nPOST /c ?\ntransfer-encoding=chunked\n"
                       "[11]hello world");
    T_EQ_STR(F.got[2], "HTTP/1.1 200 OK\nPOST /z ?\ncontent-length=3\n[3]a");
}

static void c_continue(fx *f)
{
    cl *c = cl_open(f);
    cl_send(c, "PUT /u HTTP/1.1\r\nExpect: 100-continue\r\n"
               "Content-Length: 4\r\n\r\n");
    cl_got(f, c);
    cl_send(c, "data");
    cl_got(f, c);
    cl_send(c, "PUT /u HTTP/1.1\r\nExpect: 100-continue\r\n"
               "Content-Length: 101\r\n\r\n");
    cl_got(f, c);
    cl_got_closed(f, c);
    cl_free(c);
}

static void test_expect_continue(void)
{
    st_http_limits lim = {.max_body = 100};
    run(&lim, c_continue);
    T_EQ_INT(F.ngot, 4);
    T_EQ_STR(F.got[0], "HTTP/1.1 100 Continue\n");
    T_EQ_STR(F.got[1], "HTTP/1.1 200 OK\nPUT /u ?\nexpect=100-continue\n"
                       "content-length=4\n[4]data");
    T_EQ_STR(F.got[2], "HTTP/1.1 413 Payload Too Large\nPayload Too Large\n");
    T_EQ_STR(F.got[3], "closed");
}

/* Sends one request on a connection of its own; records the answer and
 * whether the server closed after it. */
static void one_shot(fx *f, const char *req, size_t len)
{
    cl *c = cl_open(f);
    cl_sendn(c, req, len);
    cl_got(f, c);
    cl_got_closed(f, c);
    cl_free(c);
}

static void c_too_large(fx *f)
{
    static const char exact[] =
        "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n"
        "0123456789012345678901234567890123456789012345678901234567890123456789"
        "012345678901234567890123456789";
    cl *c = cl_open(f);
    cl_send(c, exact);
    cl_response(c, f->got[f->ngot++], 53, 0);
    cl_free(c);
    one_shot(f, "POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 40);
    static const char chunked[] =
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        "32\r\n01234567890123456789012345678901234567890123456789\r\n"
        "32\r\n01234567890123456789012345678901234567890123456789\r\n"
        "1\r\nx\r\n0\r\n\r\n";
    one_shot(f, chunked, sizeof chunked - 1);
}

static void test_413(void)
{
    st_http_limits lim = {.max_body = 100};
    run(&lim, c_too_large);
    T_EQ_INT(F.ngot, 5);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nPOST / ?\ncontent-length=100\n[100]012");
    T_EQ_STR(F.got[1], "HTTP/1.1 413 Payload Too Large\nPayload Too Large\n");
    T_EQ_STR(F.got[2], "closed");
    T_EQ_STR(F.got[3], "HTTP/1.1 413 Payload Too Large\nPayload Too Large\n");
    T_EQ_STR(F.got[4], "closed");
    T_EQ_INT(F.ndones, 3);
    T_EQ_INT(F.dones[1], 413);
    T_EQ_INT(F.dones[2], 413);
}

/* A request of exactly n bytes of request line and headers. */
static void sized_request(char *out, size_t n)
{
    const char *start = "GET / HTTP/1.1\r\nX: ";
    size_t fixed = strlen(start) + 4;
    snprintf(out, n + 1, "%s%0*d\r\n\r\n", start, (int)(n - fixed), 0);
}

static void c_431(fx *f)
{
    char req[2100];
    sized_request(req, 512);
    cl *c = cl_open(f);
    cl_send(c, req);
    cl_response(c, f->got[f->ngot++], 28, 0);
    cl_free(c);
    sized_request(req, 513);
    one_shot(f, req, 513);
    sized_request(req, 2000);
    one_shot(f, req, 2000);
    /* one byte at a time: the count goes across reads */
    sized_request(req, 600);
    c = cl_open(f);
    for (int i = 0; i < 600; i += 100) {
        cl_sendn(c, req + i, 100);
        nap_ms(5);
    }
    cl_got(f, c);
    cl_free(c);
}

static void test_431(void)
{
    st_http_limits lim = {.max_header = 512};
    run(&lim, c_431);
    T_EQ_INT(F.ngot, 6);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET / ?\nx=0");
    const char *e431 = "HTTP/1.1 431 Request Header Fields Too Large\n"
                       "Request Header Fields Too Large\n";
    T_EQ_STR(F.got[1], e431);
    T_EQ_STR(F.got[2], "closed");
    T_EQ_STR(F.got[3], e431);
    T_EQ_STR(F.got[4], "closed");
    T_EQ_STR(F.got[5], e431);
}

static void c_408(fx *f)
{
    cl *c = cl_open(f);
    double t0 = mono();
    cl_send(c, "GET / HTTP/1.1\r\nX: ");
    for (int i = 0; i < 30; i++) { /* slow loris: 1 byte per 50 ms */
        char ch = 'a';
        cl_sendn(c, &ch, 1);
        nap_ms(50);
        char peek;
        if (recv(c->fd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) == 1)
            break;
    }
    cl_got(f, c);
    double t = mono() - t0;
    got(f, t >= 0.29 && t < 2.5 ? "in time" : "late or early");
    cl_got_closed(f, c);
    cl_free(c);
    c = cl_open(f);
    t0 = mono();
    cl_send(c, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    cl_got(f, c);
    t = mono() - t0;
    got(f, t >= 0.29 && t < 2.5 ? "in time" : "late or early");
    cl_got_closed(f, c);
    cl_free(c);
}

static void test_408(void)
{
    st_http_limits lim = {.header_timeout = 0.3, .body_timeout = 0.3};
    run(&lim, c_408);
    T_EQ_INT(F.ngot, 6);
    T_EQ_STR(F.got[0], "HTTP/1.1 408 Request Timeout\nRequest Timeout\n");
    T_EQ_STR(F.got[1], "in time");
    T_EQ_STR(F.got[2], "closed");
    T_EQ_STR(F.got[3], "HTTP/1.1 408 Request Timeout\nRequest Timeout\n");
    T_EQ_STR(F.got[4], "in time");
    T_EQ_STR(F.got[5], "closed");
}

static void c_idle(fx *f)
{
    cl *c = cl_open(f);
    cl_send(c, "GET / HTTP/1.1\r\n\r\n");
    cl_got(f, c);
    double t0 = mono();
    cl_got_closed(f, c); /* idle_timeout: closed without a response */
    double t = mono() - t0;
    got(f, t >= 0.25 && t < 2.5 ? "in time" : "late or early");
    cl_free(c);
    c = cl_open(f); /* says nothing at all: header_timeout */
    cl_got_closed(f, c);
    cl_free(c);
}

static void test_idle_timeout(void)
{
    st_http_limits lim = {.idle_timeout = 0.3, .header_timeout = 0.3};
    run(&lim, c_idle);
    T_EQ_INT(F.ngot, 4);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET / ?\n[0]");
    T_EQ_STR(F.got[1], "closed");
    T_EQ_STR(F.got[2], "in time");
    T_EQ_STR(F.got[3], "closed");
}

static void c_503(fx *f)
{
    cl *a = cl_open(f);
    cl_send(a, "GET /a HTTP/1.1\r\n\r\n");
    cl_got(f, a);
    cl *b = cl_open(f);
    cl_got(f, b);
    cl_got_closed(f, b);
    cl_free(b);
    cl_send(a, "GET /a2 HTTP/1.1\r\n\r\n");
    cl_got(f, a);
    cl_free(a);
}

static void test_503(void)
{
    st_http_limits lim = {.max_connections = 1};
    run(&lim, c_503);
    T_EQ_INT(F.ngot, 4);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /a ?\n[0]");
    T_EQ_STR(F.got[1],
             "HTTP/1.1 503 Service Unavailable\nService Unavailable\n");
    T_EQ_STR(F.got[2], "closed");
    T_EQ_STR(F.got[3], "HTTP/1.1 200 OK\nGET /a2 ?\n[0]");
    T_EQ_INT(F.ndones, 3);
    T_EQ_INT(F.dones[1], 503);
}

static const char *const GARBAGE[] = {
    "\x00\x01GET / HTTP/1.1\r\n\r\n",
    "GET / HTTP/9.9\r\n\r\n",
    "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
    "GET /a%zz HTTP/1.1\r\n\r\n",
    "GET /a%00b HTTP/1.1\r\n\r\n",
    "GET /a%4 HTTP/1.1\r\n\r\n",
    "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\n",     /* then EOF: cut short */
};
#define NGARBAGE (sizeof GARBAGE / sizeof *GARBAGE)

static void c_garbage(fx *f)
{
    for (size_t i = 0; i < NGARBAGE; i++) {
        size_t len = i == 0 ? 20 : strlen(GARBAGE[i]);
        cl *c = cl_open(f);
        cl_sendn(c, GARBAGE[i], len);
        if (i == NGARBAGE - 1)
            shutdown(c->fd, SHUT_WR);
        char out[GOTLEN - 32];
        cl_response(c, out, sizeof out, 0);
        char closed = c->off == c->len && cl_fill(c) == 0 ? 'C' : 'O';
        snprintf(f->got[f->ngot++], GOTLEN, "%zu %c %s", i, closed, out);
        cl_free(c);
    }
}

static void test_400(void)
{
    run(NULL, c_garbage);
    T_EQ_INT(F.ngot, (int)NGARBAGE);
    char want[128];
    for (size_t i = 0; i < NGARBAGE && i < (size_t)F.ngot; i++) {
        snprintf(want, sizeof want, "%zu C HTTP/1.1 400 Bad Request\n"
                 "Bad Request\n", i);
        T_EQ_STR(F.got[i], want);
    }
    T_EQ_INT(F.ndones, (int)NGARBAGE);
}

static void c_half_close(fx *f)
{
    cl *c = cl_open(f);
    cl_send(c, "GET /async/x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\n\r\n");
    shutdown(c->fd, SHUT_WR);
    cl_got(f, c);
    cl_got(f, c);
    cl_got_closed(f, c);
    cl_free(c);
}

static void test_half_close(void)
{
    run(NULL, c_half_close);
    T_EQ_INT(F.ngot, 3);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /async/x ?\n[0]");
    T_EQ_STR(F.got[1], "HTTP/1.1 200 OK\nGET /y ?\n[0]");
    T_EQ_STR(F.got[2], "closed");
}

/* The client resets the connection while the handler holds its request;
 * the answer comes later, to nobody. */
static void c_vanish(fx *f)
{
    cl *c = cl_open(f);
    cl_send(c, "GET /hold HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
    wait_held(f);
    struct linger lg = {1, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    cl_free(c);
    nap_ms(100);
    signal_loop(f, &f->want_release);
    nap_ms(50);
    c = cl_open(f); /* reset while a large response is being written */
    cl_send(c, "GET /big HTTP/1.1\r\n\r\n");
    char some[1000];
    if (recv(c->fd, some, sizeof some, 0) <= 0)
        got(f, "no start of /big");
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    cl_free(c);
    nap_ms(50);
    c = cl_open(f);
    cl_send(c, "GET /after HTTP/1.1\r\n\r\n");
    cl_got(f, c);
    cl_free(c);
}

static void test_client_vanishes(void)
{
    run(NULL, c_vanish);
    T_EQ_INT(F.ngot, 1);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /after ?\n[0]");
    T_EQ_INT(F.conns_at_release, 0);
    T_EQ_INT(F.ndones, 3);
    T_EQ_INT(F.dones[0], 200);
    T_EQ_INT(F.dones[1], 200);
}

static int refused(fx *f)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)f->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    close(fd);
    return rc != 0;
}

static void c_stop(fx *f)
{
    cl *idle = cl_open(f);
    cl_send(idle, "GET /i HTTP/1.1\r\n\r\n");
    cl_got(f, idle);
    cl *part = cl_open(f);
    cl_send(part, "POST /part HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc");
    cl *c = cl_open(f);
    cl_send(c, "GET /hold HTTP/1.1\r\n\r\nGET /never HTTP/1.1\r\n\r\n");
    wait_held(f);
    signal_loop(f, &f->want_stop);
    nap_ms(100);
    cl_got_closed(f, idle);
    cl_got_closed(f, part);
    cl_free(part);
    got(f, refused(f) ? "refused" : "accepted");
    signal_loop(f, &f->want_release);
    cl_got(f, c);
    got(f, c->head);
    cl_got_closed(f, c);
    cl_free(c);
    cl_free(idle);
}

static void test_stop_in_flight(void)
{
    run(NULL, c_stop);
    T_EQ_INT(F.ngot, 7);
    T_EQ_STR(F.got[0], "HTTP/1.1 200 OK\nGET /i ?\n[0]");
    T_EQ_STR(F.got[1], "closed");
    T_EQ_STR(F.got[2], "closed");
    T_EQ_STR(F.got[3], "refused");
    T_EQ_STR(F.got[4], "HTTP/1.1 200 OK\nGET /hold ?\n[0]");
    T_CONTAINS(F.got[5], "\r\nConnection: close\r\n");
    T_EQ_STR(F.got[6], "closed");
    T_EQ_INT(F.ndones, 2);
}

/* }=== */

/* {=== Helpers without sockets ========================================== */

static void test_query_get(void)
{
    st_http_req r;
    memset(&r, 0, sizeof r);
    r.query = "a=1&b=x%20y+z&c&d=&a=2&e=%zz&f=%00&%61b=k%2B&&g=%e2%82%ac";
    static const char *const cases[][2] = {
        {"a", "1"}, {"b", "x y z"}, {"c", ""}, {"d", ""}, {"e", "%zz"},
        {"f", "%00"}, {"ab", "k+"}, {"g", "\xe2\x82\xac"}, {"h", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *v = st_http_query_get(&r, cases[i][0]);
        if (cases[i][1])
            T_EQ_STR(v, cases[i][1]);
        else
            T_CHECK(v == NULL);
        free(v);
    }
    r.query = "";
    T_CHECK(st_http_query_get(&r, "a") == NULL);
}

static void test_header_get_and_reason(void)
{
    st_http_header h[] = {{"content-type", "text/plain"}, {"x-a", "1"},
                          {"x-a", "2"}};
    st_http_req r;
    memset(&r, 0, sizeof r);
    r.headers = h;
    r.nheaders = 3;
    T_EQ_STR(st_http_header_get(&r, "Content-Type"), "text/plain");
    T_EQ_STR(st_http_header_get(&r, "X-A"), "1");
    T_CHECK(st_http_header_get(&r, "x-b") == NULL);
    T_EQ_STR(st_http_reason(404), "Not Found");
    T_EQ_STR(st_http_reason(431), "Request Header Fields Too Large");
    T_EQ_STR(st_http_reason(299), "Unknown");
}

static void test_limits_default(void)
{
    st_http_limits l = {.max_body = 5, .idle_timeout = 2};
    st_http_limits_default(&l);
    T_EQ_INT(l.max_body, 5);
    T_EQ_INT(l.max_header, 16384);
    T_EQ_INT(l.max_connections, 256);
    T_CHECK(l.header_timeout == 10 && l.body_timeout == 30 &&
            l.idle_timeout == 2);
}

static void test_start_error(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    st_httpd *a, *b = NULL;
    char err[256];
    T_EQ_INT(st_httpd_start(&loop, "127.0.0.1", 0, NULL, handler, NULL, NULL,
                            &a, err, sizeof err), ST_OK);
    int port = st_httpd_port(a);
    T_CHECK(port > 0);
    T_EQ_INT(st_httpd_start(&loop, "127.0.0.1", port, NULL, handler, NULL,
                            NULL, &b, err, sizeof err), ST_EIO);
    T_CHECK(b == NULL);
    char want[64];
    snprintf(want, sizeof want, "127.0.0.1:%d: address already in use", port);
    T_EQ_STR(err, want);
    T_EQ_INT(st_httpd_start(&loop, "192.0.2.1", 0, NULL, handler, NULL,
                            NULL, &b, err, sizeof err), ST_EIO);
    T_EQ_STR(err, "192.0.2.1:0: address not available");
    st_httpd_stop(a, NULL, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    st_httpd_free(a);
    T_EQ_INT(uv_loop_close(&loop), 0);
}

/* }=== */

T_SUITE(T_CASE(test_simple_get), T_CASE(test_ipv6), T_CASE(test_keep_alive),
        T_CASE(test_pipelining), T_CASE(test_pipelining_flood),
        T_CASE(test_bodies), T_CASE(test_expect_continue), T_CASE(test_413),
        T_CASE(test_431), T_CASE(test_408), T_CASE(test_idle_timeout),
        T_CASE(test_503), T_CASE(test_400), T_CASE(test_half_close),
        T_CASE(test_client_vanishes), T_CASE(test_stop_in_flight),
        T_CASE(test_query_get), T_CASE(test_header_get_and_reason),
        T_CASE(test_limits_default), T_CASE(test_start_error))
