/* httpd.c - see httpd.h.
 *
 * A connection moves through phases:
 *   IDLE    waiting for a request's first byte (timer: header_timeout on a
 *           new connection, idle_timeout between requests; silent close)
 *   HEAD    request line and headers arriving (header_timeout, then 408)
 *   BODY    body arriving (body_timeout, then 408)
 *   HANDLER the request is at the handler (no timer: the handler answers)
 *   WRITE   a response is being written (idle_timeout, then close)
 *   LINGER  the last response is written and our side shut down; bytes
 *           are read and dropped until the peer closes (LINGER_S at most)
 * One uv_timer per connection serves all of them.
 *
 * Input: bytes are read into one buffer per connection (in[in_off..in_len)
 * is not parsed yet). In IDLE, HEAD and BODY every byte read is parsed at
 * once, into the request being built (headers into an arena, the body into
 * a buffer, both bounded by the limits). At a request's end the parser is
 * paused, so bytes of the next (pipelined) request stay in the buffer until
 * the response is written; while they wait, reading stops once IN_MAX bytes
 * are buffered. The parser is also paused at the end of the headers, which
 * gives their exact size (http-parser stops one byte short there: the last
 * LF, consumed on resume).
 */
#include "httpd.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <http_parser.h>

#include "httpd_util.h"
#include "util.h"

#define IN_MAX (64 * 1024)      /* buffered unparsed bytes before we stop */
#define READ_CHUNK (16 * 1024)  /* free space offered to each read */
#define LINGER_S 2.0

enum phase { PH_IDLE, PH_HEAD, PH_BODY, PH_HANDLER, PH_WRITE, PH_LINGER,
             PH_CLOSED };
enum timer_kind { TK_FIRST, TK_IDLE, TK_HEAD, TK_BODY, TK_SEND, TK_LINGER };
enum event { EV_NONE, EV_HEAD, EV_MSG };

typedef struct conn conn;

typedef struct req {
  st_http_req pub;              /* first, so st_http_req * converts back */
  st_httpd *srv;
  conn *c;                      /* NULL once the connection is gone */
  st_buf target, arena, body;   /* arena: "name\0value\0" per header */
  size_t *hoff;                 /* per header: name and value offsets */
  size_t nh, hcap;
  int in_value;                 /* the last header piece was a value */
  int headers_done;             /* trailers (after a chunked body) ignored */
  st_http_header *hdrs;
  char *path, *query;
  const char *route;
  int status, keep_alive, head_only;
} req;

struct conn {
  union {
    uv_handle_t handle;
    uv_stream_t stream;
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  } io;
  uv_timer_t timer;
  uv_shutdown_t shut;
  st_httpd *srv;
  conn *prev, *next;
  http_parser parser;
  char *in;
  size_t in_off, in_len, in_cap;
  req *cur;             /* being parsed (HEAD, BODY) or at the handler */
  size_t head_bytes;    /* of the current request, fed in HEAD so far */
  enum phase phase;
  enum timer_kind tkind;
  enum event event;     /* what the parser paused for */
  int fail;             /* status a parser callback asks for (413) */
  int handles;          /* open uv handles: freed when 0 */
  unsigned reading : 1, eof : 1, closing : 1, quit : 1, loopback : 1,
      served : 1;       /* counted in nserved (not turned away) */
};

/* One write: the bytes, and for a response its request (done after). */
typedef struct {
  uv_write_t w;
  conn *c;
  req *q;
  char *data;
  int keep;             /* the connection stays open after this response */
} wreq;

struct st_httpd {
  uv_loop_t *loop;
  uv_tcp_t listener;
  st_http_limits lim;
  st_http_handler handler;
  st_http_done done;
  void *ud;
  conn *conns;
  unsigned nconns;      /* allocated connections, closing ones included */
  unsigned nserved;     /* those not turned away with 503 */
  size_t nreqs;         /* requests given to the handler, not answered */
  int port, stopping, listener_closed, closed_called;
  void (*closed)(void *ud);
  void *closed_ud;
};

static void conn_parse(conn *c);
static void conn_close(conn *c);
static void conn_fail(conn *c, int status);

static double now_s(void) { return (double)uv_hrtime() / 1e9; }

/* {=== Requests ========================================================= */

static req *req_new(conn *c) {
  req *q = st_xcalloc(1, sizeof *q);
  q->srv = c->srv;
  q->c = c;
  q->pub.method = q->pub.target = q->pub.path = q->pub.query = "";
  q->pub.body = "";
  q->pub.peer_is_loopback = c->loopback;
  q->pub.started = now_s();
  q->pub.conn = c;
  return q;
}

static void req_free(req *q) {
  st_buf_free(&q->target);
  st_buf_free(&q->arena);
  st_buf_free(&q->body);
  free(q->hoff);
  free(q->hdrs);
  free(q->path);
  free(q->query);
  free(q);
}

/* Reports the response to `done`, then frees q. */
static void req_done(req *q) {
  st_httpd *s = q->srv;
  if (s->done)
    s->done(&q->pub, q->status, now_s() - q->pub.started, q->route, s->ud);
  req_free(q);
}

/* Ends the current name or value in the arena; a name without a value
 * gets "". */
static void req_end_piece(req *q) {
  if (!q->nh) return;
  st_buf_putc(&q->arena, '\0');
  if (!q->in_value) {
    q->hoff[2 * q->nh - 1] = q->arena.len;
    st_buf_putc(&q->arena, '\0');
  }
}

static void req_header_piece(req *q, const char *at, size_t len, int value) {
  if (q->headers_done) return;
  if (!value && (q->in_value || !q->nh)) {
    req_end_piece(q);
    st_grow((void **)&q->hoff, &q->hcap, 2 * (q->nh + 1), sizeof *q->hoff);
    q->hoff[2 * q->nh] = q->arena.len;
    q->nh++;
    q->in_value = 0;
  } else if (value && !q->in_value) {
    st_buf_putc(&q->arena, '\0');
    q->hoff[2 * q->nh - 1] = q->arena.len;
    q->in_value = 1;
  }
  size_t from = q->arena.len;
  st_buf_add(&q->arena, at, len);
  if (!value) /* names are compared lowercased */
    for (size_t i = from; i < q->arena.len; i++)
      if (q->arena.data[i] >= 'A' && q->arena.data[i] <= 'Z')
        q->arena.data[i] = (char)(q->arena.data[i] - 'A' + 'a');
}

/* The headers as st_http_header, pointing into the arena (which no longer
 * grows). */
static void req_finish_headers(req *q) {
  req_end_piece(q);
  q->headers_done = 1;
  q->hdrs = st_xcalloc(q->nh ? q->nh : 1, sizeof *q->hdrs);
  for (size_t i = 0; i < q->nh; i++) {
    q->hdrs[i].name = q->arena.data + q->hoff[2 * i];
    q->hdrs[i].value = q->arena.data + q->hoff[2 * i + 1];
  }
  q->pub.headers = q->hdrs;
  q->pub.nheaders = q->nh;
}

/* Splits and decodes the target. 0 when it is not a valid one. */
static int req_set_target(req *q, int is_connect) {
  const char *t = q->target.data ? q->target.data : "";
  struct http_parser_url u;
  http_parser_url_init(&u);
  if (http_parser_parse_url(t, q->target.len, is_connect, &u) != 0) return 0;
  const char *p = "/";
  size_t plen = 1;
  if (u.field_set & (1 << UF_PATH)) {
    p = t + u.field_data[UF_PATH].off;
    plen = u.field_data[UF_PATH].len;
  }
  q->path = st_http_path_decode(p, plen);
  if (!q->path) return 0;
  if (u.field_set & (1 << UF_QUERY))
    q->query = st_xstrndup(t + u.field_data[UF_QUERY].off,
                           u.field_data[UF_QUERY].len);
  else
    q->query = st_xstrdup("");
  q->pub.target = t;
  q->pub.path = q->path;
  q->pub.query = q->query;
  return 1;
}

/* }=== */

/* {=== Parser callbacks ================================================= */

static int cb_url(http_parser *p, const char *at, size_t len) {
  conn *c = p->data;
  st_buf_add(&c->cur->target, at, len);
  return 0;
}

static int cb_field(http_parser *p, const char *at, size_t len) {
  conn *c = p->data;
  req_header_piece(c->cur, at, len, 0);
  return 0;
}

static int cb_value(http_parser *p, const char *at, size_t len) {
  conn *c = p->data;
  req_header_piece(c->cur, at, len, 1);
  return 0;
}

static int cb_headers_complete(http_parser *p) {
  conn *c = p->data;
  c->event = EV_HEAD;
  http_parser_pause(p, 1);
  return 0;
}

static int cb_body(http_parser *p, const char *at, size_t len) {
  conn *c = p->data;
  req *q = c->cur;
  if (len > c->srv->lim.max_body - q->body.len) {
    c->fail = 413;
    return -1;
  }
  st_buf_add(&q->body, at, len);
  return 0;
}

static int cb_message_complete(http_parser *p) {
  conn *c = p->data;
  c->event = EV_MSG;
  http_parser_pause(p, 1);
  return 0;
}

static const http_parser_settings SETTINGS = {
    .on_url = cb_url,
    .on_header_field = cb_field,
    .on_header_value = cb_value,
    .on_headers_complete = cb_headers_complete,
    .on_body = cb_body,
    .on_message_complete = cb_message_complete,
};

/* }=== */

/* {=== Timers and reading =============================================== */

static void on_timer(uv_timer_t *t) {
  conn *c = t->data;
  if (c->tkind == TK_HEAD || c->tkind == TK_BODY)
    conn_fail(c, 408);
  else
    conn_close(c);
}

static void conn_timer(conn *c, enum timer_kind k) {
  const st_http_limits *l = &c->srv->lim;
  double s = k == TK_HEAD || k == TK_FIRST ? l->header_timeout
           : k == TK_BODY                  ? l->body_timeout
           : k == TK_LINGER                ? LINGER_S
                                           : l->idle_timeout;
  c->tkind = k;
  uint64_t ms = (uint64_t)(s * 1000.0 + 0.5);
  uv_timer_start(&c->timer, on_timer, ms ? ms : 1, 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  conn *c = h->data;
  (void)suggested;
  if (c->in_off == c->in_len) {
    c->in_off = c->in_len = 0;
  } else if (c->in_off && c->in_cap - c->in_len < READ_CHUNK) {
    memmove(c->in, c->in + c->in_off, c->in_len - c->in_off);
    c->in_len -= c->in_off;
    c->in_off = 0;
  }
  if (c->in_cap - c->in_len < READ_CHUNK) { /* doubling: few reallocs */
    size_t cap = 2 * c->in_cap;
    c->in_cap = cap > c->in_len + READ_CHUNK ? cap : c->in_len + READ_CHUNK;
    c->in = st_xrealloc(c->in, c->in_cap);
  }
  *buf = uv_buf_init(c->in + c->in_len, (unsigned)(c->in_cap - c->in_len));
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf);

/* Reads while it makes sense: not after EOF or an error response, and,
 * while a request waits for its answer, only up to IN_MAX bytes ahead. */
static void conn_reading(conn *c) {
  if (c->closing) return;
  int want = !c->eof && !c->quit;
  if (c->phase == PH_HANDLER || c->phase == PH_WRITE)
    want = want && c->in_len - c->in_off < IN_MAX;
  if (want && !c->reading) {
    if (uv_read_start(&c->io.stream, on_alloc, on_read) != 0) {
      conn_close(c);
      return;
    }
    c->reading = 1;
  } else if (!want && c->reading) {
    uv_read_stop(&c->io.stream);
    c->reading = 0;
  }
}

/* The peer sent EOF. It may still read: what it asked for in full gets
 * answered (by conn_parse after each response), a request cut short gets
 * 400, and then the connection closes. */
static void conn_eof(conn *c) {
  c->eof = 1;
  c->reading = 0; /* libuv stops reading at EOF */
  if (c->phase == PH_LINGER) conn_close(c);
  else if (c->phase <= PH_BODY) conn_parse(c);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf) {
  conn *c = st->data;
  (void)buf;
  if (n == 0 || c->closing) return;
  if (n < 0) {
    if (n == UV_EOF) conn_eof(c);
    else conn_close(c);
    return;
  }
  if (c->phase == PH_LINGER) { /* dropped */
    c->in_off = c->in_len = 0;
    return;
  }
  c->in_len += (size_t)n;
  if (c->phase <= PH_BODY) conn_parse(c);
  else conn_reading(c);
}

/* }=== */

/* {=== Writing and closing ============================================== */

static void on_handle_closed(uv_handle_t *h);
static void server_maybe_closed(st_httpd *s);

/* Closes both handles; the connection is freed when both have closed.
 * A request at the handler is orphaned (st_httpd_respond frees it); one
 * still arriving is dropped; one being written is the write's (libuv
 * cancels pending writes before the close callback). */
static void conn_close(conn *c) {
  if (c->closing) return;
  c->closing = 1;
  if (c->cur) {
    if (c->phase == PH_HANDLER) c->cur->c = NULL;
    else req_free(c->cur);
    c->cur = NULL;
  }
  c->phase = PH_CLOSED;
  uv_close(&c->io.handle, on_handle_closed);
  uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

static void on_handle_closed(uv_handle_t *h) {
  conn *c = h->data;
  if (--c->handles) return;
  st_httpd *s = c->srv;
  if (c->prev) c->prev->next = c->next;
  else s->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  s->nconns--;
  if (c->served) s->nserved--;
  free(c->in);
  free(c);
  server_maybe_closed(s);
}

static void on_shutdown(uv_shutdown_t *sh, int status) {
  conn *c = sh->data;
  if (status < 0) conn_close(c);
}

/* The last response is written: shut down our side and read until the
 * peer closes, so it is not sent a reset while unread bytes are pending. */
static void conn_linger(conn *c) {
  if (c->eof) {
    conn_close(c);
    return;
  }
  c->phase = PH_LINGER;
  c->quit = 0;
  c->shut.data = c;
  if (uv_shutdown(&c->shut, &c->io.stream, on_shutdown) != 0) {
    conn_close(c);
    return;
  }
  conn_timer(c, TK_LINGER);
  conn_reading(c);
}

/* A response is written: close, or go on with what is buffered. */
static void conn_answered(conn *c, int keep) {
  if (!keep || c->srv->stopping) {
    conn_linger(c);
    return;
  }
  c->phase = PH_IDLE;
  conn_timer(c, TK_IDLE);
  conn_parse(c);
}

static void on_write(uv_write_t *w, int status) {
  wreq *r = w->data;
  conn *c = r->c;
  free(r->data);
  if (r->q) {
    req_done(r->q);
    if (status < 0 || c->closing) conn_close(c);
    else conn_answered(c, r->keep);
  } else if (status < 0) {
    conn_close(c);
  }
  free(r);
}

/* Queues len bytes of data (taken: freed after the write). q, when given,
 * is the request this answers; it is reported and freed after the write. */
static void conn_send(conn *c, char *data, size_t len, req *q, int keep) {
  wreq *r = st_xcalloc(1, sizeof *r);
  r->w.data = r;
  r->c = c;
  r->q = q;
  r->data = data;
  r->keep = keep;
  uv_buf_t b = uv_buf_init(data, (unsigned)len);
  if (uv_write(&r->w, &c->io.stream, &b, 1, on_write) != 0) {
    if (q) req_done(q);
    free(data);
    free(r);
    conn_close(c);
  }
}

/* Writes q's response; the connection is then kept or closed. */
static void conn_respond(conn *c, req *q, const char *ctype, const char *body,
                         size_t len, const char *extra, int keep) {
  size_t n;
  char *data = st_http_response(q->status, ctype, body, len, extra, keep,
                                !q->head_only, &n);
  c->phase = PH_WRITE;
  conn_timer(c, TK_SEND);
  conn_send(c, data, n, q, keep);
  conn_reading(c);
}

/* Answers with the server's own error and closes after. The request so
 * far (or an empty one) goes to `done` with it. */
static void conn_fail(conn *c, int status) {
  if (c->closing || c->phase >= PH_HANDLER) return;
  req *q = c->cur ? c->cur : req_new(c);
  c->cur = NULL;
  q->status = status;
  q->c = NULL;
  c->quit = 1;
  char body[64];
  int n = snprintf(body, sizeof body, "%s\n", st_http_reason(status));
  conn_respond(c, q, "text/plain; charset=utf-8", body, (size_t)n, NULL, 0);
}

/* }=== */

/* {=== Parsing ========================================================== */

static int conn_head_error(conn *c, size_t fed) {
  const http_parser *p = &c->parser;
  req *q = c->cur;
  if (c->head_bytes + fed + 1 > c->srv->lim.max_header) return 431;
  req_finish_headers(q);
  q->pub.method = http_method_str((enum http_method)p->method);
  q->head_only = p->method == HTTP_HEAD;
  if (p->http_major != 1 || p->http_minor > 1) return 400;
  if (!req_set_target(q, p->method == HTTP_CONNECT)) return 400;
  if (!(p->flags & F_CHUNKED) && p->content_length != ULLONG_MAX &&
      p->content_length > c->srv->lim.max_body)
    return 413;
  return 0;
}

/* The headers are in (fed: bytes of them the last execute consumed): check
 * them, then wait for the body. 0 when the connection failed. */
static int conn_headers(conn *c, size_t fed) {
  int err = conn_head_error(c, fed);
  if (err) {
    conn_fail(c, err);
    return 0;
  }
  const http_parser *p = &c->parser;
  int has_body = (p->flags & F_CHUNKED) ||
                 (p->content_length != ULLONG_MAX && p->content_length > 0);
  if (has_body && !(p->flags & F_CHUNKED))
    st_grow((void **)&c->cur->body.data, &c->cur->body.cap,
            (size_t)p->content_length + 1, 1);
  const char *expect = st_http_header_get(&c->cur->pub, "expect");
  if (has_body && expect && p->http_minor == 1 &&
      strcasecmp(expect, "100-continue") == 0) {
    static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
    conn_send(c, st_xstrdup(cont), sizeof cont - 1, NULL, 1);
    if (c->closing) return 0;
  }
  c->phase = PH_BODY;
  conn_timer(c, TK_BODY);
  return 1;
}

/* A whole request: to the handler, parsing stopped until it answers. */
static void conn_message(conn *c) {
  req *q = c->cur;
  q->keep_alive = http_should_keep_alive(&c->parser) && !c->parser.upgrade;
  q->pub.body = q->body.data ? q->body.data : "";
  q->pub.body_len = q->body.len;
  c->phase = PH_HANDLER;
  uv_timer_stop(&c->timer);
  c->srv->nreqs++;
  conn_reading(c);
  c->srv->handler(&q->pub, c->srv->ud);
}

static int parse_status(enum http_errno e) {
  return e == HPE_HEADER_OVERFLOW ? 431 : 400;
}

/* One http_parser_execute over what is buffered (in HEAD at most one byte
 * past max_header). 0 when parsing must stop for now. */
static int conn_parse_step(conn *c) {
  if (c->phase == PH_IDLE) {
    c->cur = req_new(c);
    c->head_bytes = 0;
    c->phase = PH_HEAD;
    conn_timer(c, TK_HEAD);
  }
  size_t n = c->in_len - c->in_off;
  size_t room = c->srv->lim.max_header - c->head_bytes;
  if (c->phase == PH_HEAD && n > room) n = room + 1;
  c->event = EV_NONE;
  size_t r = http_parser_execute(&c->parser, &SETTINGS, c->in + c->in_off, n);
  c->in_off += r;
  enum http_errno e = HTTP_PARSER_ERRNO(&c->parser);
  if (e == HPE_PAUSED) {
    http_parser_pause(&c->parser, 0);
    if (c->event == EV_HEAD) return conn_headers(c, r);
    if (c->event == EV_MSG) conn_message(c);
    return 0;
  }
  if (e != HPE_OK) {
    conn_fail(c, c->fail ? c->fail : parse_status(e));
    return 0;
  }
  if (c->phase == PH_HEAD) {
    c->head_bytes += r;
    if (c->head_bytes > c->srv->lim.max_header) {
      conn_fail(c, 431);
      return 0;
    }
  }
  return 1;
}

/* Parses what is buffered, up to the next complete request. */
static void conn_parse(conn *c) {
  while (c->phase <= PH_BODY && c->in_off < c->in_len)
    if (!conn_parse_step(c)) break;
  if (c->closing) return;
  if (c->in_off == c->in_len) {
    c->in_off = c->in_len = 0;
    if (c->phase == PH_IDLE) { /* nothing held between requests */
      free(c->in);
      c->in = NULL;
      c->in_cap = 0;
    }
  }
  if (c->eof && c->phase <= PH_BODY) {
    if (c->phase == PH_IDLE) conn_close(c);
    else conn_fail(c, 400);
    return;
  }
  conn_reading(c);
}

/* }=== */

/* {=== Responding ======================================================= */

void st_httpd_set_route(st_http_req *r, const char *route) {
  ((req *)r)->route = route;
}

void st_httpd_respond(st_http_req *r, int status, const char *content_type,
                      const char *body, size_t len,
                      const char *extra_headers) {
  req *q = (req *)r;
  st_httpd *s = q->srv;
  conn *c = q->c;
  q->status = status;
  s->nreqs--;
  if (!c) {
    req_done(q);
    server_maybe_closed(s);
    return;
  }
  c->cur = NULL;
  conn_respond(c, q, content_type, body, len, extra_headers,
               q->keep_alive && !s->stopping);
}

/* }=== */

/* {=== Connections ====================================================== */

/* A connection whose stream is a TCP socket or (pipe) a Unix one. */
static conn *conn_new(st_httpd *s, int pipe) {
  conn *c = st_xcalloc(1, sizeof *c);
  c->srv = s;
  if (pipe) uv_pipe_init(s->loop, &c->io.pipe, 0);
  else uv_tcp_init(s->loop, &c->io.tcp);
  c->io.handle.data = c;
  uv_timer_init(s->loop, &c->timer);
  c->timer.data = c;
  c->handles = 2;
  c->next = s->conns;
  if (s->conns) s->conns->prev = c;
  s->conns = c;
  s->nconns++;
  return c;
}

/* The connection is open: serve it, or turn it away when full. */
static void conn_begin(conn *c, int fd) {
  st_httpd *s = c->srv;
  struct sockaddr_storage peer;
  socklen_t plen = sizeof peer;
  memset(&peer, 0, sizeof peer);
  if (getpeername(fd, (struct sockaddr *)&peer, &plen) == 0)
    c->loopback = st_http_addr_is_loopback(&peer);
  http_parser_init(&c->parser, HTTP_REQUEST);
  c->parser.data = c;
  if (s->nserved >= s->lim.max_connections) {
    conn_fail(c, 503);
    return;
  }
  s->nserved++;
  c->served = 1;
  c->phase = PH_IDLE;
  conn_timer(c, TK_FIRST);
  conn_reading(c);
}

static void on_connection(uv_stream_t *server, int status) {
  st_httpd *s = server->data;
  if (status < 0 || s->stopping) return;
  conn *c = conn_new(s, 0);
  uv_os_fd_t fd;
  if (uv_accept(server, &c->io.stream) != 0 ||
      uv_fileno(&c->io.handle, &fd) != 0) {
    conn_close(c);
    return;
  }
  uv_tcp_nodelay(&c->io.tcp, 1);
  conn_begin(c, fd);
}

int st_httpd_adopt(st_httpd *s, int fd) {
  struct sockaddr_storage a;
  socklen_t alen = sizeof a;
  memset(&a, 0, sizeof a);
  if (s->stopping || getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
    close(fd);
    return ST_EIO;
  }
  int tcp = a.ss_family == AF_INET || a.ss_family == AF_INET6;
  conn *c = conn_new(s, !tcp);
  int rc = tcp ? uv_tcp_open(&c->io.tcp, fd) : uv_pipe_open(&c->io.pipe, fd);
  if (rc != 0) {
    close(fd);
    conn_close(c);
    return ST_EIO;
  }
  conn_begin(c, fd);
  return ST_OK;
}

unsigned st_httpd_connections(const st_httpd *s) { return s->nserved; }

/* }=== */

/* {=== The server ======================================================= */

static void free_server(uv_handle_t *h) { free(h->data); }

int st_httpd_start(uv_loop_t *loop, const char *host, int port,
                   const st_http_limits *limits, st_http_handler handler,
                   st_http_done done, void *ud, st_httpd **out, char *err,
                   size_t errlen) {
  int fd = -1;
  *out = NULL;
  if (host && (fd = st_http_listen_fd(host, port, err, errlen)) < 0) return ST_EIO;
  st_http_ignore_sigpipe();
  st_httpd *s = st_xcalloc(1, sizeof *s);
  s->loop = loop;
  if (limits) s->lim = *limits;
  st_http_limits_default(&s->lim);
  s->handler = handler;
  s->done = done;
  s->ud = ud;
  uv_tcp_init(loop, &s->listener);
  s->listener.data = s;
  if (fd >= 0) {
    int rc = uv_tcp_open(&s->listener, fd);
    if (rc == 0)
      rc = uv_listen((uv_stream_t *)&s->listener, 511, on_connection);
    if (rc != 0) { /* the handle exists now: the loop frees s with it */
      st_errf(err, errlen, ST_EIO, "%s:%d: %s", host, port, uv_strerror(rc));
      uv_close((uv_handle_t *)&s->listener, free_server);
      return ST_EIO;
    }
    s->port = st_http_bound_port(fd);
  }
  *out = s;
  return ST_OK;
}

int st_httpd_port(const st_httpd *s) { return s->port; }

static void server_maybe_closed(st_httpd *s) {
  if (s->stopping && s->listener_closed && !s->nconns && !s->nreqs &&
      !s->closed_called) {
    s->closed_called = 1;
    if (s->closed) s->closed(s->closed_ud);
  }
}

static void on_listener_closed(uv_handle_t *h) {
  st_httpd *s = h->data;
  s->listener_closed = 1;
  server_maybe_closed(s);
}

void st_httpd_stop(st_httpd *s, void (*closed)(void *ud), void *ud) {
  if (s->stopping) return;
  s->stopping = 1;
  s->closed = closed;
  s->closed_ud = ud;
  uv_close((uv_handle_t *)&s->listener, on_listener_closed);
  for (conn *c = s->conns; c; c = c->next)
    if (c->phase <= PH_BODY) conn_close(c);
}

void st_httpd_free(st_httpd *s) { free(s); }

/* }=== */
