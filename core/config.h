/*
 * config.h - `steward serve --config FILE`: the daemon's configuration.
 *
 * One JSON object; every field is documented in docs/serve.md, with a
 * complete example in examples/serve.json. Relative paths are taken from the
 * config file's directory. Loading checks everything it can before the
 * daemon starts — types, ranges, schedules, that every token's environment
 * variable is set, that without tokens the listen address is loopback — and
 * says what is wrong as "FILE:LINE:COL: /json/pointer: why", so a bad config
 * exits 2 before anything listens.
 *
 * Ownership: st_config_load fills a config the caller frees with
 * st_config_free; every string in it is owned. Threading: loaded once, then
 * read-only (a reload of the registry does not reload the config).
 */
#ifndef ST_CONFIG_H
#define ST_CONFIG_H

#include <stddef.h>

#include "httpd.h"
#include "sandbox.h"
#include "schedule.h"

enum { ST_SCOPE_READ = 1, ST_SCOPE_INGEST = 2, ST_SCOPE_RUN = 4 };

typedef struct {
  char *env;                 /* the variable that held it */
  char *value;               /* the bearer token itself */
  unsigned scopes;           /* ST_SCOPE_* */
} st_token;

typedef struct {
  char *name;
  char **policies;           /* id globs; NULL-terminated; {"*"} default */
  size_t npolicies;
  st_schedule schedule;
  char *schedule_text;       /* as written, for /v1/health */
  double timeout;            /* seconds for the whole run; 0: none */
} st_suite_config;

typedef struct {
  char *name;
  int min_severity;
  int on_all;                /* "on": "all" (else "new") */
  char *webhook;             /* URL, or NULL */
  unsigned char *secret;     /* decoded whsec_ key, or NULL */
  size_t secret_len;
  char **command;            /* argv, NULL-terminated, or NULL */
} st_alert_config;

typedef struct {
  char *path;                /* the config file */
  char *host;                /* listen host ("127.0.0.1") */
  int port;                  /* 0: a free port */
  int listen_loopback;       /* host is a loopback address */
  char *registry;
  char **policies;
  size_t npolicies;
  int builtin;
  char *params;              /* or NULL */
  char **observations;
  size_t nobservations;
  char *store;
  st_token *tokens;
  size_t ntokens;
  st_suite_config *suites;
  size_t nsuites;
  st_alert_config *alerts;
  size_t nalerts;
  double retention_runs_days;    /* default 90 */
  double retention_obs_days;     /* 0: keep; default 0 */
  st_http_limits http;
  st_limits policy_defaults;     /* run-wide per-call limits */
  st_limits policy_ceiling;      /* what a policy may declare at most */
  unsigned workers;              /* 0: one per core */
  double reload_debounce;        /* seconds; default 0.2 */
  char *openlineage_map;         /* "openlineage": {"map"}: or NULL */
  int mlflow;                    /* "mlflow" is configured: the hook is on */
  unsigned char *mlflow_secret;  /* the signing secret's bytes */
  size_t mlflow_secret_len;
  int mlflow_fail_on;            /* the severity that blocks; default high */
  double mlflow_max_age;         /* seconds a signature stays good; 300 */
} st_config;

/* Reads and checks the config at path. Returns ST_OK, or ST_EINPUT /
 * ST_EIO with err. The environment is read for tokens and secrets. */
int st_config_load(const char *path, st_config *c, char *err, size_t errlen);
void st_config_free(st_config *c);

/* The scopes of a bearer token (0 when it is none of the configured ones),
 * compared in constant time against every token. */
unsigned st_config_token_scopes(const st_config *c, const char *token);

#endif
