/*
 * api.h - helpers the daemon's endpoint files share (api.c routes and
 * authorizes; api_read.c answers from the store and the session on the
 * loop; api_eval.c answers by evaluating on the pool; api_hooks.c takes
 * lineage and webhooks in). Private to them.
 *
 * Every answer is JSON (but /metrics), errors as {"error": "..."}.
 * Ownership: the functions that respond consume the request (httpd.h).
 * Threading: loop thread only.
 */
#ifndef ST_API_H
#define ST_API_H

#include <cJSON.h>

#include "serve_internal.h"

/* Responds with j printed (and frees j). */
void st_api_json(st_http_req *req, int status, cJSON *j);

/* Responds {"error": msg}. */
void st_api_error(st_http_req *req, int status, const char *msg);

/* A query parameter as a non-negative integer in [lo, hi], or dflt when
 * absent. Returns -1 (after answering 400) when it is not one. */
int st_api_query_int(st_http_req *req, const char *name, long long lo,
                     long long hi, long long dflt, long long *out);

/* A query parameter as an RFC 3339 time (epoch seconds), or 0 when absent.
 * Returns -1 (after answering 400) when it is not one. */
int st_api_query_time(st_http_req *req, const char *name, double *out);

/* api_read.c */
void st_api_health(st_daemon *d, st_http_req *req, const char *arg);
void st_api_ready(st_daemon *d, st_http_req *req, const char *arg);
void st_api_obs_post(st_daemon *d, st_http_req *req, const char *arg);
void st_api_obs_get(st_daemon *d, st_http_req *req, const char *arg);
void st_api_runs(st_daemon *d, st_http_req *req, const char *arg);
void st_api_run(st_daemon *d, st_http_req *req, const char *arg);
void st_api_findings(st_daemon *d, st_http_req *req, const char *arg);
void st_api_policies(st_daemon *d, st_http_req *req, const char *arg);
void st_api_node(st_daemon *d, st_http_req *req, const char *arg);
void st_api_graph(st_daemon *d, st_http_req *req, const char *arg);
void st_api_metrics(st_daemon *d, st_http_req *req, const char *arg);
void st_api_suite_run(st_daemon *d, st_http_req *req, const char *arg);

/* api_hooks.c */
void st_api_lineage(st_daemon *d, st_http_req *req, const char *arg);
void st_api_mlflow(st_daemon *d, st_http_req *req, const char *arg);
void st_api_impacts(st_daemon *d, st_http_req *req, const char *arg);
void st_api_impact_get(st_daemon *d, st_http_req *req, const char *arg);

/* api_eval.c */
void st_api_check(st_daemon *d, st_http_req *req, const char *arg);
void st_api_impact(st_daemon *d, st_http_req *req, const char *arg);
void st_api_readiness(st_daemon *d, st_http_req *req, const char *arg);

#endif
