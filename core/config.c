/* config.c - see config.h. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <openssl/crypto.h>

#include "alert.h"
#include "finding.h"
#include "jsonpos.h"
#include "util.h"

/* Where errors point: the config's text, to turn pointers into positions. */
typedef struct {
  const char *path, *text;
  size_t len;
  char *err;
  size_t errlen;
} cfg;

/* "FILE:LINE:COL: POINTER: why". Returns ST_EINPUT. */
static int bad(const cfg *c, const char *pointer, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static int bad(const cfg *c, const char *pointer, const char *fmt, ...) {
  char why[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  size_t off = 0;
  int line = 1, col = 1;
  st_json_locate(c->text, c->len, pointer, &off);
  st_line_col(c->text, c->len, off, &line, &col);
  return st_errf(c->err, c->errlen, ST_EINPUT, "%s:%d:%d: %s: %s", c->path,
                 line, col, *pointer ? pointer : "/", why);
}

/* {=== Field readers ==================================================== */

/* p/key into buf (a child pointer). */
/* A pointer too long for its buffer is cut: it only labels a message, and
 * config pointers are short. */
static const char *ptr(char *buf, size_t n, const char *p, const char *key) {
  st_buf b;
  st_buf_init(&b);
  st_buf_puts(&b, p);
  st_buf_pointer_token(&b, key);
  if (snprintf(buf, n, "%s", b.data) >= (int)n) buf[n - 1] = '\0';
  st_buf_free(&b);
  return buf;
}

static const char *ptr_i(char *buf, size_t n, const char *p, int i) {
  if (snprintf(buf, n, "%s/%d", p, i) >= (int)n) buf[n - 1] = '\0';
  return buf;
}

/* The config's directory joined with a relative path; caller frees. */
static char *resolve(const cfg *c, const char *rel) {
  if (rel[0] == '/') return st_xstrdup(rel);
  const char *slash = strrchr(c->path, '/');
  if (!slash) return st_xstrdup(rel);
  st_buf b;
  st_buf_init(&b);
  st_buf_add(&b, c->path, (size_t)(slash - c->path));
  st_buf_printf(&b, "/%s", rel);
  return st_buf_take(&b);
}

/* A string member into *out (a copy; NULL when absent and not required). */
static int get_str(const cfg *c, const cJSON *o, const char *p,
                   const char *key, int required, char **out) {
  char q[512];
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = NULL;
  if (!v) return required ? bad(c, p, "'%s' is required", key) : ST_OK;
  if (!cJSON_IsString(v) || !*v->valuestring)
    return bad(c, ptr(q, sizeof q, p, key), "expected a non-empty string");
  *out = st_xstrdup(v->valuestring);
  return ST_OK;
}

static int get_path(const cfg *c, const cJSON *o, const char *p,
                    const char *key, int required, char **out) {
  int rc = get_str(c, o, p, key, required, out);
  if (!rc && *out) {
    char *abs = resolve(c, *out);
    free(*out);
    *out = abs;
  }
  return rc;
}

/* A string or an array of strings into a NULL-terminated list; paths are
 * resolved when `paths`. */
static int get_list(const cfg *c, const cJSON *o, const char *p,
                    const char *key, int paths, char ***out, size_t *n) {
  char q[512], qi[560];
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = NULL;
  *n = 0;
  if (!v) return ST_OK;
  ptr(q, sizeof q, p, key);
  int count = cJSON_IsString(v) ? 1 : cJSON_GetArraySize(v);
  if (!cJSON_IsString(v) && !cJSON_IsArray(v))
    return bad(c, q, "expected a string or an array of strings");
  *out = st_xcalloc((size_t)count + 1, sizeof **out);
  for (int i = 0; i < count; i++) {
    const cJSON *x = cJSON_IsString(v) ? v : cJSON_GetArrayItem(v, i);
    if (!cJSON_IsString(x) || !*x->valuestring)
      return bad(c, ptr_i(qi, sizeof qi, q, i), "expected a non-empty string");
    (*out)[i] = paths ? resolve(c, x->valuestring)
                      : st_xstrdup(x->valuestring);
    (*n)++;
  }
  return ST_OK;
}

static int get_bool(const cfg *c, const cJSON *o, const char *p,
                    const char *key, int *out) {
  char q[512];
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!v) return ST_OK;
  if (!cJSON_IsBool(v)) return bad(c, ptr(q, sizeof q, p, key),
                                   "expected true or false");
  *out = cJSON_IsTrue(v);
  return ST_OK;
}

/* A number in [lo, hi] into *out (left as it is when absent). */
static int get_num(const cfg *c, const cJSON *o, const char *p,
                   const char *key, double lo, double hi, double *out) {
  char q[512];
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!v) return ST_OK;
  if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi)
    return bad(c, ptr(q, sizeof q, p, key), "expected a number from %g to %g",
               lo, hi);
  *out = v->valuedouble;
  return ST_OK;
}

/* A duration: seconds as a number, or "30s", "15m", "1h", "2d". */
static int get_duration(const cfg *c, const cJSON *o, const char *p,
                        const char *key, double *out) {
  char q[512], why[256];
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!v) return ST_OK;
  if (cJSON_IsString(v)) {
    if (st_every_parse(v->valuestring, out, why, sizeof why))
      return bad(c, ptr(q, sizeof q, p, key), "%s", why);
    return ST_OK;
  }
  return get_num(c, o, p, key, 0.001, 31622400, out);
}

/* Every member of o is one of the names in `known` (NUL-separated). */
static int only_known(const cfg *c, const cJSON *o, const char *p,
                      const char *known) {
  char q[512];
  for (const cJSON *m = o->child; m; m = m->next) {
    const char *k = known;
    while (*k && strcmp(k, m->string)) k += strlen(k) + 1;
    if (!*k) return bad(c, ptr(q, sizeof q, p, m->string),
                        "unknown field '%s'", m->string);
  }
  return ST_OK;
}

static int need_object(const cfg *c, const cJSON *v, const char *p) {
  return cJSON_IsObject(v) ? ST_OK : bad(c, p, "expected an object");
}

/* }=== */

/* {=== Sections ========================================================= */

static int parse_listen(const cfg *c, const cJSON *root, st_config *o) {
  char *listen = NULL;
  int rc = get_str(c, root, "", "listen", 0, &listen);
  if (rc) return rc;
  const char *l = listen ? listen : "127.0.0.1:8787";
  const char *colon = strrchr(l, ':');
  char *end;
  long port = colon ? strtol(colon + 1, &end, 10) : -1;
  if (!colon || colon == l || !colon[1] || *end || port < 0 || port > 65535) {
    free(listen);
    return bad(c, "/listen", "expected HOST:PORT (port 0 picks a free one)");
  }
  o->host = st_xstrndup(l, (size_t)(colon - l));
  if (o->host[0] == '[') {           /* "[::1]:8787" */
    size_t n = strlen(o->host);
    memmove(o->host, o->host + 1, n);
    if (n >= 2 && o->host[n - 2] == ']') o->host[n - 2] = '\0';
  }
  o->port = (int)port;
  unsigned char a[16];
  o->listen_loopback = (inet_pton(AF_INET, o->host, a) == 1 && a[0] == 127) ||
                       !strcmp(o->host, "::1") ||
                       !strcmp(o->host, "localhost");
  free(listen);
  return ST_OK;
}

static int parse_scopes(const cfg *c, const cJSON *v, const char *p,
                        unsigned *scopes) {
  char qi[560];
  if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
    return bad(c, p, "expected a non-empty array of scopes (read, ingest, "
               "run)");
  int i = 0;
  for (const cJSON *x = v->child; x; x = x->next, i++) {
    const char *s = cJSON_GetStringValue(x);
    unsigned bit = !s ? 0 : !strcmp(s, "read") ? ST_SCOPE_READ :
                   !strcmp(s, "ingest") ? ST_SCOPE_INGEST :
                   !strcmp(s, "run") ? ST_SCOPE_RUN : 0;
    if (!bit) return bad(c, ptr_i(qi, sizeof qi, p, i), "unknown scope "
                         "(expected read, ingest or run)");
    *scopes |= bit;
  }
  return ST_OK;
}

static int parse_tokens(const cfg *c, const cJSON *root, st_config *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "tokens");
  char p[64], q[600];
  if (!v) return ST_OK;
  if (!cJSON_IsArray(v)) return bad(c, "/tokens", "expected an array");
  o->tokens = st_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *o->tokens);
  int i = 0;
  for (const cJSON *t = v->child; t; t = t->next, i++) {
    st_token *k = &o->tokens[o->ntokens++];
    snprintf(p, sizeof p, "/tokens/%d", i);
    int rc = need_object(c, t, p);
    if (!rc) rc = only_known(c, t, p, "env\0scopes\0");
    if (!rc) rc = get_str(c, t, p, "env", 1, &k->env);
    if (!rc) rc = parse_scopes(c, cJSON_GetObjectItem(t, "scopes"),
                               ptr(q, sizeof q, p, "scopes"), &k->scopes);
    if (rc) return rc;
    const char *value = getenv(k->env);
    if (!value || !*value)
      return bad(c, ptr(q, sizeof q, p, "env"), "environment variable %s is "
                 "not set", k->env);
    k->value = st_xstrdup(value);
  }
  return ST_OK;
}

static int parse_suite(const cfg *c, const cJSON *s, const char *p,
                       st_suite_config *x) {
  char q[600], why[256];
  char *cron = NULL, *every = NULL;
  int rc = need_object(c, s, p);
  if (!rc) rc = only_known(c, s, p, "name\0policies\0cron\0every\0timeout\0");
  if (!rc) rc = get_str(c, s, p, "name", 1, &x->name);
  if (!rc) rc = get_list(c, s, p, "policies", 0, &x->policies, &x->npolicies);
  if (!rc) rc = get_str(c, s, p, "cron", 0, &cron);
  if (!rc) rc = get_str(c, s, p, "every", 0, &every);
  if (!rc) rc = get_duration(c, s, p, "timeout", &x->timeout);
  if (!rc && !cron == !every)
    rc = bad(c, p, "a suite has exactly one of 'cron' and 'every'");
  if (!rc && cron && st_cron_parse(cron, &x->schedule.cron, why, sizeof why))
    rc = bad(c, ptr(q, sizeof q, p, "cron"), "%s", why);
  if (!rc && every &&
      st_every_parse(every, &x->schedule.every, why, sizeof why))
    rc = bad(c, ptr(q, sizeof q, p, "every"), "%s", why);
  x->schedule.is_cron = cron != NULL;
  x->schedule_text = cron ? cron : every;
  free(cron ? every : cron);
  if (!rc && !x->npolicies) {
    x->policies = st_xcalloc(2, sizeof *x->policies);
    x->policies[0] = st_xstrdup("*");
    x->npolicies = 1;
  }
  return rc;
}

static int parse_suites(const cfg *c, const cJSON *root, st_config *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "suites");
  char p[64];
  if (!v) return ST_OK;
  if (!cJSON_IsArray(v)) return bad(c, "/suites", "expected an array");
  o->suites = st_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *o->suites);
  int i = 0;
  for (const cJSON *s = v->child; s; s = s->next, i++) {
    snprintf(p, sizeof p, "/suites/%d", i);
    int rc = parse_suite(c, s, p, &o->suites[o->nsuites++]);
    for (size_t k = 0; !rc && k + 1 < o->nsuites; k++)
      if (!strcmp(o->suites[k].name, o->suites[o->nsuites - 1].name))
        rc = bad(c, p, "duplicate suite name '%s'", o->suites[k].name);
    if (rc) return rc;
  }
  return ST_OK;
}

static int parse_alert_target(const cfg *c, const cJSON *a, const char *p,
                              st_alert_config *x) {
  char q[600], why[256], *sev = NULL, *on = NULL, *secret_env = NULL;
  size_t n;
  int rc = get_str(c, a, p, "min_severity", 0, &sev);
  if (!rc && sev && (x->min_severity = st_severity_parse(sev)) < 0)
    rc = bad(c, ptr(q, sizeof q, p, "min_severity"), "unknown severity "
             "(info, low, medium, high, critical)");
  if (!rc) rc = get_str(c, a, p, "on", 0, &on);
  if (!rc && on && strcmp(on, "new") && strcmp(on, "all"))
    rc = bad(c, ptr(q, sizeof q, p, "on"), "expected \"new\" or \"all\"");
  x->on_all = on && !strcmp(on, "all");
  if (!rc) rc = get_str(c, a, p, "webhook", 0, &x->webhook);
  if (!rc) rc = get_list(c, a, p, "command", 0, &x->command, &n);
  if (!rc && !x->webhook == !x->command)
    rc = bad(c, p, "an alert has exactly one of 'webhook' and 'command'");
  if (!rc) rc = get_str(c, a, p, "secret_env", 0, &secret_env);
  if (!rc && secret_env) {
    const char *s = getenv(secret_env);
    if (!s || !*s)
      rc = bad(c, ptr(q, sizeof q, p, "secret_env"), "environment variable "
               "%s is not set", secret_env);
    else if (st_webhook_secret_decode(s, &x->secret, &x->secret_len, why,
                                      sizeof why))
      rc = bad(c, ptr(q, sizeof q, p, "secret_env"), "%s: %s", secret_env,
               why);
  }
  free(sev);
  free(on);
  free(secret_env);
  return rc;
}

static int parse_alerts(const cfg *c, const cJSON *root, st_config *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "alerts");
  char p[64];
  if (!v) return ST_OK;
  if (cJSON_IsObject(v)) return bad(c, "/alerts", "expected an array of "
                                    "alert targets");
  if (!cJSON_IsArray(v)) return bad(c, "/alerts", "expected an array");
  o->alerts = st_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *o->alerts);
  int i = 0;
  for (const cJSON *a = v->child; a; a = a->next, i++) {
    st_alert_config *x = &o->alerts[o->nalerts++];
    x->min_severity = ST_SEV_HIGH;
    snprintf(p, sizeof p, "/alerts/%d", i);
    int rc = need_object(c, a, p);
    if (!rc) rc = only_known(c, a, p, "name\0min_severity\0on\0webhook\0"
                             "secret_env\0command\0");
    if (!rc) rc = get_str(c, a, p, "name", 0, &x->name);
    if (!rc) rc = parse_alert_target(c, a, p, x);
    if (rc) return rc;
    if (!x->name) {
      char name[32];
      snprintf(name, sizeof name, "alert-%d", i);
      x->name = st_xstrdup(name);
    }
  }
  return ST_OK;
}

static int parse_retention(const cfg *c, const cJSON *root, st_config *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "retention");
  o->retention_runs_days = 90;
  if (!v) return ST_OK;
  int rc = need_object(c, v, "/retention");
  if (!rc) rc = only_known(c, v, "/retention", "runs_days\0"
                           "observations_days\0");
  if (!rc) rc = get_num(c, v, "/retention", "runs_days", 1, 36600,
                        &o->retention_runs_days);
  if (!rc) rc = get_num(c, v, "/retention", "observations_days", 0, 36600,
                        &o->retention_obs_days);
  return rc;
}

static int parse_http(const cfg *c, const cJSON *root, st_config *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "http_limits");
  const char *p = "/http_limits";
  double body = 0, header = 0, conns = 0;
  int rc = ST_OK;
  if (v) {
    rc = need_object(c, v, p);
    if (!rc) rc = only_known(c, v, p, "max_body\0max_header\0"
                             "max_connections\0header_timeout\0"
                             "body_timeout\0idle_timeout\0");
    if (!rc) rc = get_num(c, v, p, "max_body", 1024, 1073741824, &body);
    if (!rc) rc = get_num(c, v, p, "max_header", 1024, 1048576, &header);
    if (!rc) rc = get_num(c, v, p, "max_connections", 1, 100000, &conns);
    if (!rc) rc = get_duration(c, v, p, "header_timeout",
                               &o->http.header_timeout);
    if (!rc) rc = get_duration(c, v, p, "body_timeout", &o->http.body_timeout);
    if (!rc) rc = get_duration(c, v, p, "idle_timeout", &o->http.idle_timeout);
  }
  o->http.max_body = (size_t)body;
  o->http.max_header = (size_t)header;
  o->http.max_connections = (unsigned)conns;
  st_http_limits_default(&o->http);
  return rc;
}

static int parse_limits(const cfg *c, const cJSON *v, const char *p,
                        st_limits *l) {
  double ins = 0, mem = 0, sec = 0;
  int rc = need_object(c, v, p);
  if (!rc) rc = only_known(c, v, p, "instructions\0memory_mb\0seconds\0");
  if (!rc) rc = get_num(c, v, p, "instructions", 1000, 1e15, &ins);
  if (!rc) rc = get_num(c, v, p, "memory_mb", 1, 65536, &mem);
  if (!rc) rc = get_duration(c, v, p, "seconds", &sec);
  l->instructions = (uint64_t)ins;
  l->memory = (size_t)(mem * 1048576.0);
  l->seconds = sec;
  return rc;
}

static int parse_policy_limits(const cfg *c, const cJSON *root,
                               st_config *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "policy_limits");
  const char *p = "/policy_limits";
  if (!v) return ST_OK;
  int rc = need_object(c, v, p);
  if (!rc) rc = only_known(c, v, p, "defaults\0ceiling\0");
  const cJSON *d = cJSON_GetObjectItem(v, "defaults");
  const cJSON *x = cJSON_GetObjectItem(v, "ceiling");
  if (!rc && d) rc = parse_limits(c, d, "/policy_limits/defaults",
                                  &o->policy_defaults);
  if (!rc && x) rc = parse_limits(c, x, "/policy_limits/ceiling",
                                  &o->policy_ceiling);
  return rc;
}

static int parse_paths(const cfg *c, const cJSON *root, st_config *o) {
  size_t n;
  char *store = NULL;
  int rc = get_path(c, root, "", "registry", 1, &o->registry);
  if (!rc) rc = get_list(c, root, "", "policies", 1, &o->policies,
                         &o->npolicies);
  if (!rc) rc = get_path(c, root, "", "params", 0, &o->params);
  if (!rc) rc = get_list(c, root, "", "observations", 1, &o->observations,
                         &o->nobservations);
  if (!rc) rc = get_path(c, root, "", "store", 0, &store);
  o->store = store ? store : resolve(c, "steward.db");
  (void)n;
  return rc;
}

/* "openlineage": {"map": path}: the map file POST /api/v1/lineage uses
 * (openlineage.h), read at every reload with the registry. */
static int parse_openlineage(const cfg *c, const cJSON *root, st_config *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "openlineage");
  const char *p = "/openlineage";
  if (!v) return ST_OK;
  int rc = need_object(c, v, p);
  if (!rc) rc = only_known(c, v, p, "map\0");
  if (!rc) rc = get_path(c, v, p, "map", 0, &o->openlineage_map);
  return rc;
}

/* "mlflow": {"secret_env", "fail_on", "max_age"}: the model-registry
 * webhook. MLflow signs with the secret as it was given to it (its
 * bytes, not base64). */
static int parse_mlflow(const cfg *c, const cJSON *root, st_config *o) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "mlflow");
  const char *p = "/mlflow";
  char *env = NULL, *fail_on = NULL;
  o->mlflow_fail_on = ST_SEV_HIGH;
  o->mlflow_max_age = 300;
  if (!v) return ST_OK;
  int rc = need_object(c, v, p);
  if (!rc) rc = only_known(c, v, p, "secret_env\0fail_on\0max_age\0");
  if (!rc) rc = get_str(c, v, p, "secret_env", 1, &env);
  if (!rc) rc = get_str(c, v, p, "fail_on", 0, &fail_on);
  if (!rc && fail_on &&
      (o->mlflow_fail_on = st_severity_parse(fail_on)) < 0)
    rc = bad(c, "/mlflow/fail_on", "unknown severity (info, low, medium, "
             "high, critical)");
  if (!rc) rc = get_duration(c, v, p, "max_age", &o->mlflow_max_age);
  if (!rc) {
    const char *secret = getenv(env);
    if (!secret || !*secret)
      rc = bad(c, "/mlflow/secret_env", "environment variable %s is not "
               "set (MLflow's webhook secret)", env);
    else {
      o->mlflow_secret_len = strlen(secret);
      o->mlflow_secret = (unsigned char *)st_xstrdup(secret);
      o->mlflow = 1;
    }
  }
  free(env);
  free(fail_on);
  return rc;
}

/* }=== */

static int parse_root(const cfg *c, const cJSON *root, st_config *o) {
  double workers = 0, debounce = 0.2;
  int rc = need_object(c, root, "");
  if (!rc) rc = only_known(c, root, "", "listen\0registry\0policies\0"
                           "builtin\0params\0observations\0store\0tokens\0"
                           "suites\0alerts\0retention\0http_limits\0"
                           "policy_limits\0workers\0reload_debounce\0"
                           "openlineage\0mlflow\0$schema\0");
  o->builtin = 1;
  if (!rc) rc = parse_listen(c, root, o);
  if (!rc) rc = parse_paths(c, root, o);
  if (!rc) rc = get_bool(c, root, "", "builtin", &o->builtin);
  if (!rc) rc = parse_tokens(c, root, o);
  if (!rc) rc = parse_suites(c, root, o);
  if (!rc) rc = parse_alerts(c, root, o);
  if (!rc) rc = parse_retention(c, root, o);
  if (!rc) rc = parse_http(c, root, o);
  if (!rc) rc = parse_policy_limits(c, root, o);
  if (!rc) rc = parse_openlineage(c, root, o);
  if (!rc) rc = parse_mlflow(c, root, o);
  if (!rc) rc = get_num(c, root, "", "workers", 0, 256, &workers);
  if (!rc) rc = get_duration(c, root, "", "reload_debounce", &debounce);
  o->workers = (unsigned)workers;
  o->reload_debounce = debounce;
  if (!rc && !o->ntokens && !o->listen_loopback)
    rc = bad(c, "/listen", "without tokens the daemon listens on loopback "
             "only (the registry holds people's names and contacts)");
  return rc;
}

int st_config_load(const char *path, st_config *o, char *err, size_t errlen) {
  memset(o, 0, sizeof *o);
  o->path = st_xstrdup(path);
  size_t len;
  char *text = st_read_file(path, &len, err, errlen);
  if (!text) return ST_EIO;
  cJSON *root = st_json_parse_named(path, text, len, err, errlen);
  int rc = ST_EINPUT;
  if (root) {
    cfg c = {path, text, len, err, errlen};
    rc = parse_root(&c, root, o);
  }
  cJSON_Delete(root);
  free(text);
  return rc;
}

static void free_list(char **v) {
  for (size_t i = 0; v && v[i]; i++) free(v[i]);
  free(v);
}

void st_config_free(st_config *o) {
  free(o->path);
  free(o->host);
  free(o->registry);
  free_list(o->policies);
  free(o->params);
  free_list(o->observations);
  free(o->store);
  for (size_t i = 0; i < o->ntokens; i++) {
    free(o->tokens[i].env);
    if (o->tokens[i].value)
      OPENSSL_cleanse(o->tokens[i].value, strlen(o->tokens[i].value));
    free(o->tokens[i].value);
  }
  free(o->tokens);
  for (size_t i = 0; i < o->nsuites; i++) {
    free(o->suites[i].name);
    free_list(o->suites[i].policies);
    free(o->suites[i].schedule_text);
  }
  free(o->suites);
  for (size_t i = 0; i < o->nalerts; i++) {
    free(o->alerts[i].name);
    free(o->alerts[i].webhook);
    free(o->alerts[i].secret);
    free_list(o->alerts[i].command);
  }
  free(o->alerts);
  free(o->openlineage_map);
  if (o->mlflow_secret) OPENSSL_cleanse(o->mlflow_secret,
                                        o->mlflow_secret_len);
  free(o->mlflow_secret);
  memset(o, 0, sizeof *o);
}

unsigned st_config_token_scopes(const st_config *c, const char *token) {
  unsigned scopes = 0;
  size_t n = token ? strlen(token) : 0;
  for (size_t i = 0; n && i < c->ntokens; i++) {
    const char *v = c->tokens[i].value;
    size_t m = strlen(v);
    /* The lengths are not secret; the bytes are compared in constant time
     * (against every token, so timing does not say which one matched). */
    if (m == n && CRYPTO_memcmp(v, token, n) == 0) scopes |= c->tokens[i].scopes;
  }
  return scopes;
}
