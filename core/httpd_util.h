/*
 * httpd_util.h - the parts of the HTTP server (httpd.c) that hold no
 * connection state: percent-decoding, query parameters, header look-up,
 * reason phrases, response bytes, default limits, and the listening
 * socket. Internal to httpd.c (the public ones are declared in httpd.h);
 * kept apart so each file stays small.
 *
 * Ownership: every char * returned is the caller's to free(); a listening
 * descriptor is the caller's to close.
 * Threading: reentrant, no globals; st_http_ignore_sigpipe changes the
 * process's signal disposition (idempotent).
 */
#ifndef ST_HTTPD_UTIL_H
#define ST_HTTPD_UTIL_H

#include <stddef.h>
#include <sys/socket.h>

/* The percent-decoded copy of a request path of len bytes, or NULL when
 * it holds an invalid escape or %00. Caller frees. */
char *st_http_path_decode(const char *s, size_t len);

/* A whole response: status line, Date, Content-Length (not for 1xx, 204,
 * 304), Content-Type when given, Connection (keep-alive or close), extra
 * ("Name: value\r\n" lines, verbatim), the blank line, and the body unless
 * with_body is 0 (HEAD) or the status has none. Its length in *out_len;
 * caller frees. */
char *st_http_response(int status, const char *content_type, const char *body,
                       size_t len, const char *extra, int keep, int with_body,
                       size_t *out_len);

/* 127.0.0.0/8, ::1, ::ffff:127.x.y.z, or a Unix socket's peer. */
int st_http_addr_is_loopback(const struct sockaddr_storage *a);

/* A listening socket on host:port (host numeric or resolved with
 * getaddrinfo), or -1 with err ("HOST:PORT: why"). Bound here rather than
 * with uv_tcp_bind, so a failure leaves no libuv handle to close. The
 * caller owns the descriptor. */
int st_http_listen_fd(const char *host, int port, char *err, size_t errlen);

/* Sets SIGPIPE to be ignored unless the program installed a handler:
 * libuv writes with write(2), so a peer that resets mid-response would
 * kill the process; the write's EPIPE is handled instead. */
void st_http_ignore_sigpipe(void);

/* The port a bound socket listens on (0 when unknown). */
int st_http_bound_port(int fd);

#endif
