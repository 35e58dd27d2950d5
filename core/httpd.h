/*
 * httpd.h - an HTTP/1.1 server on a libuv loop, parsing with http-parser.
 *
 * The daemon's API (serve) is built on this and nothing else: it accepts
 * connections, parses requests with Node's http-parser (Debian's
 * libhttp-parser), enforces the configured limits, and hands each complete
 * request to one handler. It knows no routes and no JSON.
 *
 * Connections are keep-alive by default (HTTP/1.1; HTTP/1.0 only with
 * "Connection: keep-alive"). Pipelined requests are answered in order: a
 * connection has at most one request at the handler at a time; bytes that
 * arrive meanwhile wait, parsed after the response is written. A handler
 * may respond at once or later (after work on another thread): the request
 * stays valid until st_httpd_respond is called for it, exactly once.
 *
 * Limits (st_http_limits) and what breaking them answers, after which the
 * connection is closed:
 *   a body larger than max_body (by Content-Length or as it arrives)  413
 *   request line and headers larger than max_header bytes            431
 *   headers not complete header_timeout s after the request's first
 *   byte, or the body not complete body_timeout s after the headers  408
 *   a connection past max_connections (answered, then closed)         503
 *   bytes http-parser refuses                                          400
 * Chunked request bodies are accepted (http-parser decodes them; max_body
 * counts the decoded bytes).
 * An idle keep-alive connection is closed after idle_timeout s, a new one
 * that sends nothing after header_timeout s, and one whose response cannot
 * be written (the peer reads nothing) after idle_timeout s. A peer that
 * half-closes its side gets the responses it asked for, then the close.
 * A connection that ends with a response (an error, "Connection: close")
 * is shut down for writing and read until the peer closes (at most 2 s),
 * so the peer reads the response instead of a reset.
 * No input crashes, hangs or leaks: every connection ends by a timeout at
 * the latest.
 *
 * Ownership: the server owns its connections and requests. A request's
 * strings belong to it and live until st_httpd_respond returns; the handler
 * copies what it keeps. Bodies passed to st_httpd_respond are copied.
 * Threading: everything runs on the loop's thread, including
 * st_httpd_respond (a worker thread hands its result back to the loop, e.g.
 * with uv_async_send, and responds there).
 */
#ifndef ST_HTTPD_H
#define ST_HTTPD_H

#include <stddef.h>

#include <uv.h>

typedef struct {
  size_t max_body;           /* bytes; default 8 MiB */
  size_t max_header;         /* bytes of request line + headers; 16 KiB */
  unsigned max_connections;  /* open at once; default 256 */
  double header_timeout;     /* seconds; default 10 */
  double body_timeout;       /* seconds; default 30 */
  double idle_timeout;       /* seconds between requests; default 60 */
} st_http_limits;

/* Fills zero fields with the defaults above. */
void st_http_limits_default(st_http_limits *l);

typedef struct {
  const char *name;          /* lowercased */
  const char *value;
} st_http_header;

typedef struct st_http_req {
  const char *method;        /* "GET", "POST", … */
  const char *target;        /* as sent: "/v1/runs?suite=x" */
  const char *path;          /* percent-decoded path, no query: "/v1/runs" */
  const char *query;         /* raw query after '?', or "" */
  const st_http_header *headers; /* in order; chunked trailers dropped */
  size_t nheaders;
  const char *body;          /* NUL-terminated for convenience; may hold NULs */
  size_t body_len;
  int peer_is_loopback;      /* 127.0.0.0/8 or ::1 */
  double started;            /* uv_hrtime seconds at the request's first byte */
  void *conn;                /* the server's; opaque */
} st_http_req;

/* The value of a header (case-insensitive name), or NULL. */
const char *st_http_header_get(const st_http_req *r, const char *name);

/* The percent-decoded value of the first query parameter `name` ('+' is a
 * space; the name is decoded too before comparing), "" for "name" without
 * '=', or NULL when absent. An invalid escape and %00 are kept as written,
 * so the value is a plain C string. Caller frees. */
char *st_http_query_get(const st_http_req *r, const char *name);

typedef void (*st_http_handler)(st_http_req *req, void *ud);

/* Called once per response, after it is written (or the connection died
 * first, status then as answered): for logs and metrics. That includes the
 * server's own answers (400, 408, 413, 431, 503), whose request holds what
 * was parsed before the error ("" for what was not). `route` is NULL
 * unless the handler set one with st_httpd_set_route. */
typedef void (*st_http_done)(const st_http_req *req, int status,
                             double seconds, const char *route, void *ud);

typedef struct st_httpd st_httpd;

/* Listens on host:port (port 0: a free port; st_httpd_port tells which);
 * host is a numeric address or a name getaddrinfo resolves. host NULL
 * listens nowhere: connections come only from st_httpd_adopt. `done` may
 * be NULL. SIGPIPE, when it has its default action, is set to be ignored
 * (process-wide: a peer resetting mid-response must not kill the process;
 * the write fails with EPIPE instead). Returns ST_OK with *out (free with
 * st_httpd_free after st_httpd_stop's `closed`), or ST_EIO with err
 * ("127.0.0.1:8787: address already in use") and nothing to free (in the
 * rare case libuv refuses a socket that bound, the loop releases it when
 * it next runs). */
int st_httpd_start(uv_loop_t *loop, const char *host, int port,
                   const st_http_limits *limits, st_http_handler handler,
                   st_http_done done, void *ud, st_httpd **out, char *err,
                   size_t errlen);

/* The port listened on. */
int st_httpd_port(const st_httpd *s);

/* Labels the request for st_http_done (a route pattern, "/v1/runs/{id}"),
 * so metrics group by route, not by id. The string must be static. */
void st_httpd_set_route(st_http_req *req, const char *route);

/* Answers req: status, a Content-Type (NULL for none), the body (copied),
 * and extra header lines (each "Name: value\r\n", or NULL). Adds Date,
 * Content-Length and Connection. After this, req is gone. If the
 * connection closed meanwhile, the response is dropped and req still freed.
 * Must be called on the loop thread. */
void st_httpd_respond(st_http_req *req, int status, const char *content_type,
                      const char *body, size_t len, const char *extra_headers);

/* Serves fd, an already connected stream socket (a socketpair end, for
 * tests and the fuzz harness), as if accepted: the server owns and closes
 * it. A Unix socket's peer counts as loopback. ST_EIO when fd is unusable
 * or the server is stopping (fd is closed then too). */
int st_httpd_adopt(st_httpd *s, int fd);

/* Stops accepting and closes idle connections and those with a request
 * still arriving; connections with a request at the handler close once it
 * is answered. `closed` is called (from a libuv callback, never from
 * st_httpd_stop itself) when the listener and the last connection are
 * closed and every request given to the handler has been answered; then
 * free with st_httpd_free. */
void st_httpd_stop(st_httpd *s, void (*closed)(void *ud), void *ud);
void st_httpd_free(st_httpd *s);

/* Connections open now (for metrics and tests). */
unsigned st_httpd_connections(const st_httpd *s);

/* The reason phrase of a status ("Not Found"). */
const char *st_http_reason(int status);

#endif
