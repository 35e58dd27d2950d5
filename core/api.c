/*
 * api.c - the daemon's HTTP API: routes, who may call what, and the shared
 * answer helpers of api.h. The endpoints themselves are in api_read.c and
 * api_eval.c; docs/serve.md documents each.
 *
 * Who may do what: write endpoints (observations, lineage, run now,
 * check, impact) need a bearer token with the right scope, always; a
 * webhook that signs its deliveries (MLflow) is checked by its signature
 * instead, since its sender cannot send a token. Read endpoints are
 * open on a loopback listener and need a `read` token elsewhere, but
 * /v1/health and /v1/ready, which are always open. On a loopback listener
 * a request whose Host is not a loopback name is refused, so a web page
 * cannot reach the daemon by DNS rebinding.
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "timeutil.h"

enum {
  OPEN = 0,                   /* a route that needs no scope at all */
  SIGNED = 8                  /* no token: the handler checks a signature */
};

typedef void (*handler)(st_daemon *d, st_http_req *req, const char *arg);

typedef struct {
  const char *method;
  const char *pattern;        /* may hold one "{arg}" segment */
  unsigned scope;             /* ST_SCOPE_*, or OPEN */
  handler fn;
} api_route;

static const api_route routes[] = {
  {"GET", "/v1/health", OPEN, st_api_health},
  {"GET", "/v1/ready", OPEN, st_api_ready},
  {"POST", "/v1/observations", ST_SCOPE_INGEST, st_api_obs_post},
  {"GET", "/v1/observations", ST_SCOPE_READ, st_api_obs_get},
  {"GET", "/v1/runs", ST_SCOPE_READ, st_api_runs},
  {"GET", "/v1/runs/{id}", ST_SCOPE_READ, st_api_run},
  {"GET", "/v1/findings", ST_SCOPE_READ, st_api_findings},
  {"POST", "/v1/check", ST_SCOPE_RUN, st_api_check},
  {"POST", "/v1/impact", ST_SCOPE_RUN, st_api_impact},
  {"POST", "/v1/suites/{name}/run", ST_SCOPE_RUN, st_api_suite_run},
  {"GET", "/v1/policies", ST_SCOPE_READ, st_api_policies},
  {"GET", "/v1/nodes/{id}", ST_SCOPE_READ, st_api_node},
  {"GET", "/v1/readiness/{id}", ST_SCOPE_READ, st_api_readiness},
  {"GET", "/v1/graph", ST_SCOPE_READ, st_api_graph},
  {"GET", "/metrics", ST_SCOPE_READ, st_api_metrics},
  {"POST", "/api/v1/lineage", ST_SCOPE_INGEST, st_api_lineage},
  {"POST", "/v1/hooks/mlflow", SIGNED, st_api_mlflow},
  {"GET", "/v1/impacts", ST_SCOPE_READ, st_api_impacts},
  {"GET", "/v1/impacts/{id}", ST_SCOPE_READ, st_api_impact_get},
};

/* {=== Answers ========================================================== */

void st_api_json(st_http_req *req, int status, cJSON *j) {
  char *text = cJSON_Print(j);
  cJSON_Delete(j);
  size_t n = strlen(text);
  st_httpd_respond(req, status, "application/json", text, n, NULL);
  cJSON_free(text);
}

void st_api_error(st_http_req *req, int status, const char *msg) {
  cJSON *j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "error", msg);
  st_api_json(req, status, j);
}

int st_api_query_int(st_http_req *req, const char *name, long long lo,
                     long long hi, long long dflt, long long *out) {
  char *v = st_http_query_get(req, name), *end = NULL;
  *out = dflt;
  if (!v) return 0;
  long long x = strtoll(v, &end, 10);
  int ok = *v && !*end && x >= lo && x <= hi;
  free(v);
  if (ok) {
    *out = x;
    return 0;
  }
  char msg[160];
  snprintf(msg, sizeof msg, "query parameter '%s' must be a whole number "
           "from %lld to %lld", name, lo, hi);
  st_api_error(req, 400, msg);
  return -1;
}

int st_api_query_time(st_http_req *req, const char *name, double *out) {
  char *v = st_http_query_get(req, name);
  *out = 0;
  if (!v) return 0;
  int bad = st_time_parse(v, out) != 0;
  free(v);
  if (!bad) return 0;
  char msg[160];
  snprintf(msg, sizeof msg, "query parameter '%s' must be an RFC 3339 date "
           "or time", name);
  st_api_error(req, 400, msg);
  return -1;
}

/* }=== */

/* {=== Routing and authorization ======================================== */

/* Matches path against pattern; a "{…}" segment matches one non-empty
 * segment, copied into arg (at most argcap bytes). */
static int match(const char *pattern, const char *path, char *arg,
                 size_t argcap) {
  arg[0] = '\0';
  while (*pattern && *path) {
    if (*pattern == '{') {
      const char *close = strchr(pattern, '}');
      const char *end = strchr(path, '/');
      size_t n = end ? (size_t)(end - path) : strlen(path);
      if (!close || !n || n >= argcap) return 0;
      memcpy(arg, path, n);
      arg[n] = '\0';
      pattern = close + 1;
      path += n;
      continue;
    }
    if (*pattern++ != *path++) return 0;
  }
  return !*pattern && !*path;
}

/* Is the Host header (without a port) a loopback name? */
static int host_is_loopback(const char *host) {
  if (!host) return 0;
  char h[256];
  snprintf(h, sizeof h, "%s", host);
  char *colon = h[0] == '[' ? strchr(h, ']') : strrchr(h, ':');
  if (h[0] == '[') {
    if (!colon) return 0;
    *colon = '\0';
    return !strcmp(h + 1, "::1");
  }
  if (colon) *colon = '\0';
  return !strcmp(h, "localhost") || !strncmp(h, "127.", 4);
}

static const char *bearer(const st_http_req *req) {
  const char *a = st_http_header_get(req, "authorization");
  if (!a || strncasecmp(a, "Bearer ", 7)) return NULL;
  while (*a && *a != ' ') a++;
  while (*a == ' ') a++;
  return *a ? a : NULL;
}

/* 0 when the caller may use the route; else the status it was answered. */
static int authorize(st_daemon *d, st_http_req *req, const api_route *r) {
  if (d->cfg.listen_loopback &&
      !host_is_loopback(st_http_header_get(req, "host"))) {
    st_api_error(req, 403, "the Host header is not a loopback name: "
                 "requests from outside this machine are refused");
    return 403;
  }
  if (r->scope == OPEN || r->scope == SIGNED) return 0;
  if (r->scope == ST_SCOPE_READ && d->cfg.listen_loopback) return 0;
  const char *token = bearer(req);
  unsigned scopes = token ? st_config_token_scopes(&d->cfg, token) : 0;
  if (!scopes) {
    static const char body[] = "{\"error\": \"a bearer token is required\"}";
    st_httpd_respond(req, 401, "application/json", body, sizeof body - 1,
                     "WWW-Authenticate: Bearer realm=\"steward\"\r\n");
    return 401;
  }
  if (!(scopes & r->scope)) {
    st_api_error(req, 403, r->scope == ST_SCOPE_INGEST ?
                 "the token lacks the 'ingest' scope" :
                 r->scope == ST_SCOPE_RUN ? "the token lacks the 'run' scope"
                 : "the token lacks the 'read' scope");
    return 403;
  }
  return 0;
}

static void not_found(st_http_req *req) {
  const api_route *same_path = NULL;
  char arg[512];
  for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
    if (match(routes[i].pattern, req->path, arg, sizeof arg))
      same_path = &routes[i];
  if (same_path) {
    char allow[64];
    snprintf(allow, sizeof allow, "Allow: %s\r\n", same_path->method);
    static const char body[] = "{\"error\": \"method not allowed\"}";
    st_httpd_respond(req, 405, "application/json", body, sizeof body - 1,
                     allow);
    return;
  }
  st_api_error(req, 404, "no such endpoint");
}

void st_api_handle(st_http_req *req, void *ud) {
  st_daemon *d = ud;
  char arg[512];
  for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
    const api_route *r = &routes[i];
    if (strcmp(r->method, req->method) ||
        !match(r->pattern, req->path, arg, sizeof arg))
      continue;
    st_httpd_set_route(req, r->pattern);
    if (authorize(d, req, r)) return;
    r->fn(d, req, arg);
    return;
  }
  not_found(req);
}

/* }=== */

/* One log line and one histogram sample per answered request. */
void st_api_done(const st_http_req *req, int status, double seconds,
                 const char *route, void *ud) {
  st_daemon *d = ud;
  char code[8];
  snprintf(code, sizeof code, "%d", status);
  st_buf l;
  st_buf_init(&l);
  st_metrics_labels(&l, "route", route ? route : "other", "code", code, NULL);
  st_metrics_observe(d->metrics, "steward_http_request_duration_seconds",
                     l.data, seconds);
  st_buf_free(&l);
  st_log_request(req->method, req->target, status,
                 (long long)(seconds * 1e6));
}
