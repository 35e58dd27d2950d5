/* httpd_util.c - see httpd_util.h (and httpd.h for the public functions). */
#include "httpd_util.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "httpd.h"
#include "util.h"

void st_http_limits_default(st_http_limits *l) {
  if (!l->max_body) l->max_body = 8u << 20;
  if (!l->max_header) l->max_header = 16u << 10;
  if (!l->max_connections) l->max_connections = 256;
  if (l->header_timeout <= 0) l->header_timeout = 10;
  if (l->body_timeout <= 0) l->body_timeout = 30;
  if (l->idle_timeout <= 0) l->idle_timeout = 60;
}

static int hex(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* The byte %XX at s (s[0] == '%') stands for, or -1 when s does not hold
 * a valid escape of a non-NUL byte within len. */
static int escape_at(const char *s, size_t len) {
  if (len < 3) return -1;
  int hi = hex(s[1]), lo = hex(s[2]);
  if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return -1;
  return hi * 16 + lo;
}

char *st_http_path_decode(const char *s, size_t len) {
  char *out = st_xmalloc(len + 1);
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '%') {
      out[n++] = s[i];
      continue;
    }
    int b = escape_at(s + i, len - i);
    if (b < 0) {
      free(out);
      return NULL;
    }
    out[n++] = (char)b;
    i += 2;
  }
  out[n] = '\0';
  return out;
}

/* Form decoding for a query part: '+' is a space, a valid %XX its byte,
 * anything else as written. Caller frees. */
static char *form_decode(const char *s, size_t len) {
  char *out = st_xmalloc(len + 1);
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    int b = s[i] == '%' ? escape_at(s + i, len - i) : -1;
    if (b >= 0) {
      out[n++] = (char)b;
      i += 2;
    } else {
      out[n++] = s[i] == '+' ? ' ' : s[i];
    }
  }
  out[n] = '\0';
  return out;
}

char *st_http_query_get(const st_http_req *r, const char *name) {
  const char *p = r->query ? r->query : "";
  while (*p) {
    size_t n = strcspn(p, "&");
    if (!n) { /* "a=1&&b=2" */
      p++;
      continue;
    }
    const char *eq = memchr(p, '=', n);
    size_t klen = eq ? (size_t)(eq - p) : n;
    char *key = form_decode(p, klen);
    int match = strcmp(key, name) == 0;
    free(key);
    if (match) return eq ? form_decode(eq + 1, n - klen - 1) : st_xstrdup("");
    p += n;
    if (*p) p++;
  }
  return NULL;
}

const char *st_http_header_get(const st_http_req *r, const char *name) {
  for (size_t i = 0; i < r->nheaders; i++)
    if (strcasecmp(r->headers[i].name, name) == 0) return r->headers[i].value;
  return NULL;
}

const char *st_http_reason(int status) {
  static const struct {
    int status;
    const char *reason;
  } reasons[] = {
      {100, "Continue"}, {200, "OK"}, {201, "Created"}, {202, "Accepted"},
      {204, "No Content"}, {301, "Moved Permanently"}, {302, "Found"},
      {304, "Not Modified"}, {400, "Bad Request"}, {401, "Unauthorized"},
      {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
      {406, "Not Acceptable"}, {408, "Request Timeout"}, {409, "Conflict"},
      {410, "Gone"}, {411, "Length Required"}, {412, "Precondition Failed"},
      {413, "Payload Too Large"}, {414, "URI Too Long"},
      {415, "Unsupported Media Type"}, {417, "Expectation Failed"},
      {422, "Unprocessable Entity"}, {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"}, {501, "Not Implemented"},
      {502, "Bad Gateway"}, {503, "Service Unavailable"},
      {504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"},
  };
  for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++)
    if (reasons[i].status == status) return reasons[i].reason;
  return "Unknown";
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate), spelled out
 * here because strftime's names follow the locale. */
static void http_date(char *out, size_t n) {
  static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed",
                                  "Thu", "Fri", "Sat"};
  static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr",
                                     "May", "Jun", "Jul", "Aug",
                                     "Sep", "Oct", "Nov", "Dec"};
  /* Formatted once per second per thread: every response carries it. */
  static _Thread_local time_t last = -1;
  static _Thread_local char text[40];
  time_t t = time(NULL);
  if (t != last) {
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
             days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    last = t;
  }
  snprintf(out, n, "%s", text);
}

char *st_http_response(int status, const char *content_type, const char *body,
                       size_t len, const char *extra, int keep, int with_body,
                       size_t *out_len) {
  int bodiless = status < 200 || status == 204 || status == 304;
  char date[40];
  http_date(date, sizeof date);
  st_buf b;
  st_buf_init(&b);
  st_grow((void **)&b.data, &b.cap, len + 256, 1); /* one copy of the body */
  st_buf_printf(&b, "HTTP/1.1 %d %s\r\nDate: %s\r\n", status,
                st_http_reason(status), date);
  if (!bodiless) st_buf_printf(&b, "Content-Length: %zu\r\n", len);
  if (content_type) st_buf_printf(&b, "Content-Type: %s\r\n", content_type);
  st_buf_printf(&b, "Connection: %s\r\n", keep ? "keep-alive" : "close");
  if (extra) st_buf_puts(&b, extra);
  st_buf_puts(&b, "\r\n");
  if (with_body && !bodiless && len) st_buf_add(&b, body, len);
  *out_len = b.len;
  return st_buf_take(&b);
}

/* {=== Sockets ========================================================== */

int st_http_addr_is_loopback(const struct sockaddr_storage *a) {
  if (a->ss_family == AF_INET) {
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)a;
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  if (a->ss_family == AF_INET6) {
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)a;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0xff, 0xff};
    const unsigned char *b = v6->sin6_addr.s6_addr;
    return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr) ||
           (memcmp(b, mapped, 12) == 0 && b[12] == 127);
  }
  return a->ss_family == AF_UNIX;
}

int st_http_listen_fd(const char *host, int port, char *err, size_t errlen) {
  char service[16];
  snprintf(service, sizeof service, "%d", port);
  struct addrinfo hints, *ai = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  int g = getaddrinfo(host, service, &hints, &ai);
  if (g != 0) {
    st_errf(err, errlen, ST_EIO, "%s:%d: %s", host, port, gai_strerror(g));
    return -1;
  }
  int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  if (fd >= 0)
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
      listen(fd, 511) != 0) {
    st_errf(err, errlen, ST_EIO, "%s:%d: %s", host, port,
            uv_strerror(uv_translate_sys_error(errno)));
    if (fd >= 0) close(fd);
    fd = -1;
  }
  freeaddrinfo(ai);
  return fd;
}

void st_http_ignore_sigpipe(void) {
  struct sigaction sa;
  if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
  }
}

int st_http_bound_port(int fd) {
  struct sockaddr_storage a;
  socklen_t alen = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &alen) != 0) return 0;
  if (a.ss_family == AF_INET)
    return ntohs(((struct sockaddr_in *)&a)->sin_port);
  if (a.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
  return 0;
}

/* }=== */
