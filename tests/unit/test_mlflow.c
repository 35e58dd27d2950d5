/*
 * test_mlflow.c - MLflow webhook deliveries (core/mlflow.c): a signature
 * made as MLflow makes it (checked against openssl's HMAC of the same
 * bytes), a wrong one, a missing or malformed header, a timestamp too old
 * or too far ahead; payloads of the events steward judges and of others;
 * and which registered model an MLflow name is.
 */
#include "mlflow.h"
#include "t.h"

#include <stdlib.h>

static const unsigned char KEY[] = "mlflow-secret";
#define KEYLEN (sizeof KEY - 1)

/* MLflow's signature of body for delivery d at ts, by openssl(1). */
static void sign(const char *d, const char *ts, const char *body, char *out,
                 size_t n)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "printf '%%s.%%s.%%s' '%s' '%s' '%s' | openssl "
             "dgst -sha256 -hmac '%s' -binary | base64", d, ts, body,
             (const char *)KEY);
    FILE *p = popen(cmd, "r");
    char b64[128] = "";
    if (!p || !fgets(b64, sizeof b64, p)) T_FAILF("openssl failed");
    if (p) pclose(p);
    b64[strcspn(b64, "\n")] = '\0';
    snprintf(out, n, "v1,%.64s", b64);
}

static int verify(const char *d, const char *ts, const char *sig,
                  const char *body, double now, int *stale, char *err)
{
    return st_mlflow_verify(KEY, KEYLEN, d, ts, sig, body, strlen(body), now,
                            300, stale, err, ST_ERRLEN);
}

static void test_signatures(void)
{
    const char *body = "{\"entity\":\"model_version\",\"action\":\"created\"}";
    char sig[128], err[ST_ERRLEN] = "";
    int stale = 9;
    sign("d-1", "1795651200", body, sig, sizeof sig);
    T_EQ_INT(verify("d-1", "1795651200", sig, body, 1795651200, &stale, err),
             ST_OK);
    T_EQ_INT(stale, 0);
    /* Several signatures, one good (a secret being rotated). */
    char two[300];
    snprintf(two, sizeof two, "v1,AAAA %s", sig);
    T_EQ_INT(verify("d-1", "1795651200", two, body, 1795651200, &stale, err),
             ST_OK);
    /* Anything changed: the body, the id, the time, the secret. */
    T_EQ_INT(verify("d-1", "1795651200", sig, "{}", 1795651200, &stale, err),
             ST_EINPUT);
    T_CONTAINS(err, "the signature does not match");
    T_EQ_INT(verify("d-2", "1795651200", sig, body, 1795651200, &stale, err),
             ST_EINPUT);
    T_EQ_INT(verify("d-1", "1795651201", sig, body, 1795651200, &stale, err),
             ST_EINPUT);
    T_EQ_INT(st_mlflow_verify((const unsigned char *)"other", 5, "d-1",
                              "1795651200", sig, body, strlen(body),
                              1795651200, 300, &stale, err, sizeof err),
             ST_EINPUT);
    /* Headers missing or malformed. */
    T_EQ_INT(verify("d-1", "1795651200", NULL, body, 1795651200, &stale, err),
             ST_EINPUT);
    T_EQ_STR(err, "the request is not signed (no X-MLflow-Signature)");
    T_EQ_INT(verify(NULL, "1795651200", sig, body, 1795651200, &stale, err),
             ST_EINPUT);
    T_EQ_STR(err, "no X-MLflow-Delivery-Id");
    T_EQ_INT(verify("d-1", "01795651200", sig, body, 1795651200, &stale, err),
             ST_EINPUT);
    T_EQ_STR(err, "X-MLflow-Timestamp is not whole seconds since the epoch");
    T_EQ_INT(verify("d-1", "1795651200.5", sig, body, 1795651200, &stale,
                    err), ST_EINPUT);
    /* Good, but 301 s old or ahead: stale; 300 s: still good. */
    T_EQ_INT(verify("d-1", "1795651200", sig, body, 1795651500, &stale, err),
             ST_OK);
    T_EQ_INT(verify("d-1", "1795651200", sig, body, 1795651501, &stale, err),
             ST_EINPUT);
    T_EQ_INT(stale, 1);
    T_EQ_STR(err, "the delivery's timestamp is 301 s old, more than 300 s: "
             "refused as a replay");
    T_EQ_INT(verify("d-1", "1795651200", sig, body, 1795650899, &stale, err),
             ST_EINPUT);
    T_CONTAINS(err, "301 s ahead");
}

static void parse_ok(const char *body, const char *event, const char *name,
                     const char *version, const char *alias, int judged)
{
    st_mlflow_event ev;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_mlflow_parse(body, strlen(body), &ev, err, sizeof err), ST_OK);
    T_EQ_STR(ev.event, event);
    T_EQ_INT(ev.judged, judged);
    if (name) T_EQ_STR(ev.name, name);
    if (version) T_EQ_STR(ev.version, version);
    if (alias) T_EQ_STR(ev.alias, alias);
    else T_CHECK(ev.alias == NULL);
    st_mlflow_event_free(&ev);
}

static void parse_fails(const char *body, const char *want)
{
    st_mlflow_event ev;
    char err[ST_ERRLEN] = "";
    T_EQ_INT(st_mlflow_parse(body, strlen(body), &ev, err, sizeof err),
             ST_EINPUT);
    T_EQ_STR(err, want);
}

static void test_payloads(void)
{
    parse_ok("{\"entity\": \"model_version\", \"action\": \"created\", "
             "\"timestamp\": \"2026-11-26T09:00:00.123456+00:00\", \"data\": "
             "{\"name\": \"LeadScorer\", \"version\": \"4\", \"source\": "
             "\"models:/m-9\", \"run_id\": \"abc\", \"tags\": {}, "
             "\"description\": null}}", "model_version.created",
             "LeadScorer", "4", NULL, 1);
    parse_ok("{\"entity\": \"model_version_alias\", \"action\": \"created\", "
             "\"timestamp\": \"t\", \"data\": {\"name\": \"LeadScorer\", "
             "\"alias\": \"champion\", \"version\": 5}}",
             "model_version_alias.created", "LeadScorer", "5", "champion", 1);
    parse_ok("{\"entity\": \"registered_model\", \"action\": \"created\", "
             "\"data\": {\"name\": \"X\"}}", "registered_model.created", NULL,
             NULL, NULL, 0);
    parse_ok("{\"entity\": \"model_version_alias\", \"action\": \"deleted\", "
             "\"data\": {\"name\": \"X\", \"alias\": \"a\"}}",
             "model_version_alias.deleted", NULL, NULL, NULL, 0);
    parse_fails("[]", "body:1:1: /: a payload is an object {entity, action, "
                "timestamp, data}");
    parse_fails("{\"action\": \"created\", \"data\": {}}",
                "body:1:1: /entity: expected a string");
    parse_fails("{\"entity\": \"model_version\", \"action\": \"created\", "
                "\"data\": []}", "body:1:58: /data: expected an object");
    parse_fails("{\"entity\": \"model_version\", \"action\": \"created\", "
                "\"data\": {\"name\": \"X\", \"version\": 4.5}}",
                "body:1:83: /data/version: expected the version (a string)");
    parse_fails("{\"entity\": \"model_version_alias\", \"action\": \"created\","
                " \"data\": {\"name\": \"X\", \"version\": \"1\"}}",
                "body:1:64: /data/alias: expected a string");
    parse_fails("{\"entity\": ", "body:1:12: malformed JSON");
}

static void test_model_lookup(void)
{
    st_registry r;
    st_registry_init(&r);
    char err[ST_ERRLEN] = "";
    const char *reg = "{\"models\": {\"lead-scorer\": {\"mlflow_name\": "
                      "\"LeadScorer\"}, \"LeadScorer2\": {}},"
                      " \"workflows\": {\"w\": {\"mlflow_name\": \"W\"}}}";
    st_load_opts lo = {0};
    T_EQ_INT(st_registry_load_text(&r, "r.json", reg, strlen(reg), &lo, err,
                                   sizeof err), ST_OK);
    uint32_t n = st_mlflow_model(&r, "LeadScorer");
    T_CHECK(n != ST_NODE_NONE && !strcmp(st_graph_id(&r.graph, n),
                                         "lead-scorer"));
    n = st_mlflow_model(&r, "lead-scorer");
    T_CHECK(n != ST_NODE_NONE && !strcmp(st_graph_id(&r.graph, n),
                                         "lead-scorer"));
    n = st_mlflow_model(&r, "LeadScorer2");
    T_CHECK(n != ST_NODE_NONE && !strcmp(st_graph_id(&r.graph, n),
                                         "LeadScorer2"));
    T_CHECK(st_mlflow_model(&r, "w") == ST_NODE_NONE);   /* not a model */
    T_CHECK(st_mlflow_model(&r, "W") == ST_NODE_NONE);
    T_CHECK(st_mlflow_model(&r, "nope") == ST_NODE_NONE);
    st_registry_free(&r);
}

T_SUITE(T_CASE(test_signatures), T_CASE(test_payloads),
        T_CASE(test_model_lookup))
