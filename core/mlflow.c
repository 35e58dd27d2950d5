/* mlflow.c - see mlflow.h. */
#include "mlflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "alert.h"
#include "jsonpos.h"

/* Whole non-negative seconds, written without a sign or leading zeros
 * (what MLflow sends): the value, or -1. */
static long long seconds_of(const char *s) {
  if (!s || !*s || strlen(s) > 15 || (s[0] == '0' && s[1])) return -1;
  long long v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    v = v * 10 + (*p - '0');
  }
  return v;
}

/* One "v1,<base64>" entry of the header (space-separated, as Standard
 * Webhooks allows several) equal to want, in constant time. */
static int signature_matches(const char *header, const char *want) {
  size_t n = strlen(want);
  int ok = 0;
  for (const char *p = header; *p;) {
    while (*p == ' ') p++;
    const char *end = strchr(p, ' ');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == n && CRYPTO_memcmp(p, want, n) == 0) ok = 1;
    p += len;
  }
  return ok;
}

int st_mlflow_verify(const unsigned char *key, size_t keylen,
                     const char *delivery, const char *timestamp,
                     const char *signature, const char *body, size_t len,
                     double now, double max_age, int *stale, char *err,
                     size_t errlen) {
  *stale = 0;
  if (!signature || !*signature)
    return st_errf(err, errlen, ST_EINPUT, "the request is not signed "
                   "(no X-MLflow-Signature)");
  if (!delivery || !*delivery)
    return st_errf(err, errlen, ST_EINPUT, "no X-MLflow-Delivery-Id");
  long long ts = seconds_of(timestamp);
  if (ts < 0)
    return st_errf(err, errlen, ST_EINPUT, "X-MLflow-Timestamp is not "
                   "whole seconds since the epoch");
  char want[ST_WEBHOOK_SIGLEN];
  st_webhook_sign(key, keylen, delivery, ts, body, len, want, sizeof want);
  if (!signature_matches(signature, want))
    return st_errf(err, errlen, ST_EINPUT, "the signature does not match "
                   "(X-MLflow-Signature: v1,<base64 HMAC-SHA256 of "
                   "\"delivery id.timestamp.body\">)");
  double age = now - (double)ts;
  if (age > max_age || -age > max_age) {
    *stale = 1;
    return st_errf(err, errlen, ST_EINPUT, "the delivery's timestamp is %.0f "
                   "s %s, more than %g s: refused as a replay", age < 0 ?
                   -age : age, age < 0 ? "ahead" : "old", max_age);
  }
  return ST_OK;
}

/* {=== Payloads ========================================================= */

/* A version as text: MLflow sends strings; a number is written as one. */
static char *text_of(const cJSON *v) {
  if (cJSON_IsString(v) && *v->valuestring) return st_xstrdup(v->valuestring);
  if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e15 ||
      v->valuedouble != (double)(long long)v->valuedouble)
    return NULL;
  char buf[32];
  snprintf(buf, sizeof buf, "%lld", (long long)v->valuedouble);
  return st_xstrdup(buf);
}

static int bad(const char *text, size_t len, const char *pointer,
               const char *what, char *err, size_t errlen) {
  size_t off = 0;
  int line = 1, col = 1;
  st_json_locate(text, len, pointer, &off);
  st_line_col(text, len, off, &line, &col);
  return st_errf(err, errlen, ST_EINPUT, "body:%d:%d: %s: %s", line, col,
                 *pointer ? pointer : "/", what);
}

static int read_event(const cJSON *root, const char *body, size_t len,
                      st_mlflow_event *ev, char *err, size_t errlen) {
  const char *entity = cJSON_GetStringValue(
    cJSON_GetObjectItemCaseSensitive(root, "entity"));
  const char *action = cJSON_GetStringValue(
    cJSON_GetObjectItemCaseSensitive(root, "action"));
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
  if (!entity || !*entity)
    return bad(body, len, "/entity", "expected a string", err, errlen);
  if (!action || !*action)
    return bad(body, len, "/action", "expected a string", err, errlen);
  if (!cJSON_IsObject(data))
    return bad(body, len, "/data", "expected an object", err, errlen);
  st_buf e;
  st_buf_init(&e);
  st_buf_printf(&e, "%s.%s", entity, action);
  ev->event = st_buf_take(&e);
  ev->judged = !strcmp(ev->event, "model_version.created") ||
               !strcmp(ev->event, "model_version_alias.created");
  if (!ev->judged) return ST_OK;
  const char *name = cJSON_GetStringValue(
    cJSON_GetObjectItemCaseSensitive(data, "name"));
  if (!name || !*name)
    return bad(body, len, "/data/name", "expected the model's name", err,
               errlen);
  ev->name = st_xstrdup(name);
  if (!(ev->version = text_of(cJSON_GetObjectItemCaseSensitive(data,
                                                               "version"))))
    return bad(body, len, "/data/version", "expected the version (a "
               "string)", err, errlen);
  if (!strcmp(entity, "model_version_alias")) {
    const char *alias = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(data, "alias"));
    if (!alias || !*alias)
      return bad(body, len, "/data/alias", "expected a string", err, errlen);
    ev->alias = st_xstrdup(alias);
  }
  return ST_OK;
}

int st_mlflow_parse(const char *body, size_t len, st_mlflow_event *ev,
                    char *err, size_t errlen) {
  memset(ev, 0, sizeof *ev);
  cJSON *root = st_json_parse_named("body", body, len, err, errlen);
  if (!root) return ST_EINPUT;
  int rc = cJSON_IsObject(root) ? read_event(root, body, len, ev, err, errlen)
           : bad(body, len, "", "a payload is an object {entity, action, "
                 "timestamp, data}", err, errlen);
  cJSON_Delete(root);
  if (rc) st_mlflow_event_free(ev);
  return rc;
}

void st_mlflow_event_free(st_mlflow_event *ev) {
  free(ev->event);
  free(ev->name);
  free(ev->version);
  free(ev->alias);
  memset(ev, 0, sizeof *ev);
}

/* }=== */

uint32_t st_mlflow_model(const st_registry *r, const char *name) {
  const st_graph *g = &r->graph;
  uint32_t n = st_graph_find(g, name, strlen(name));
  if (n != ST_NODE_NONE && g->nodes[n].kind == ST_KIND_MODEL) return n;
  for (size_t i = 0; i < g->kind_count[ST_KIND_MODEL]; i++) {
    uint32_t m = g->kind_nodes[ST_KIND_MODEL][i];
    st_val v = st_doc_getk(&r->doc, g->nodes[m].value, "mlflow_name");
    const char *alias = v == ST_VAL_ABSENT ? NULL :
                        st_doc_str(&r->doc, v, NULL);
    if (alias && !strcmp(alias, name)) return m;
  }
  return ST_NODE_NONE;
}
