/*
 * test_alert.c - alert delivery (core/alert*.c, core/webhook.c): signing,
 * secrets, backoff and Retry-After as pure functions; then webhooks and
 * commands end to end on a real libuv loop, against the fake store and
 * the test HTTP receiver of alert_fixture.h.
 *
 * Times the alerter picks (the next attempt) depend on the wall clock and
 * are checked against the clock read around them; statuses, attempt
 * counts, errors, headers and bodies are exact.
 */
#define _GNU_SOURCE   /* strcasestr */
#include "alert_fixture.h"

/* {=== Pure functions =================================================== */

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

/* Expected signatures computed with OpenSSL's command line, not with the
 * code under test:
 *   hex=$(printf '%s' MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p)
 *   printf '%s' 'msg_1.1700000000.{"a":1}' |
 *     openssl dgst -sha256 -mac HMAC -macopt hexkey:$hex -binary | base64 */
#define SIG_A1 "v1,hVsFLpmw4Ib/Xm0eZLt3KqYBZdt0U8gdGeuz0EsGv78="
/*   printf '%s' 'msg_7.1796689560.{"policy":"p","subject":"s"}' | ... */
#define SIG_P7 "v1,kj7ZJkzO/Hto0KVrGlv5+Uvvd8U2hcO/pNxCDkudcLc="

static void test_sign_vector(void) {
  unsigned char *key = NULL;
  size_t len = 0;
  char err[256], sig[ST_WEBHOOK_SIGLEN];
  T_EQ_INT(st_webhook_secret_decode(SECRET, &key, &len, err, sizeof err),
           ST_OK);
  T_EQ_INT(len, 24);
  static const unsigned char want[24] = {
    0x31, 0xf2, 0x90, 0xf6, 0xbf, 0x06, 0x29, 0x8a, 0xab, 0x4f, 0x08, 0xd4,
    0x3c, 0x3f, 0x08, 0x2c, 0xf6, 0x48, 0xa3, 0x62, 0xda, 0x2d, 0xa4, 0xb0};
  T_CHECK(key && memcmp(key, want, 24) == 0);
  const char *body = "{\"a\":1}";
  st_webhook_sign(key, len, "msg_1", 1700000000LL, body, strlen(body), sig,
                  sizeof sig);
  T_EQ_STR(sig, SIG_A1);
  const char *b7 = "{\"policy\":\"p\",\"subject\":\"s\"}";
  st_webhook_sign(key, len, "msg_7", 1796689560LL, b7, strlen(b7), sig,
                  sizeof sig);
  T_EQ_STR(sig, SIG_P7);
  T_EQ_INT(strlen(SIG_A1) + 1, ST_WEBHOOK_SIGLEN);
  char small[8];
  st_webhook_sign(key, len, "msg_1", 1700000000LL, body, strlen(body), small,
                  sizeof small);
  T_EQ_STR(small, "v1,hVsF");        /* truncated, still terminated */
  free(key);
}

#define T_DECODES(s, bytes, n) do { unsigned char *t_k_ = NULL; \
    size_t t_n_ = 99; char t_e_[256]; \
    if (st_webhook_secret_decode((s), &t_k_, &t_n_, t_e_, sizeof t_e_) != \
        ST_OK) T_FAILF("%s refused: %s", (s), t_e_); \
    else { T_EQ_INT(t_n_, (n)); T_CHECK(memcmp(t_k_, (bytes), (n)) == 0); } \
    free(t_k_); } while (0)

#define T_DECODE_ERR(s, msg) do { unsigned char *t_k_ = NULL; \
    size_t t_n_ = 99; char t_e_[256] = ""; \
    T_EQ_INT(st_webhook_secret_decode((s), &t_k_, &t_n_, t_e_, \
                                      sizeof t_e_), ST_EINPUT); \
    T_EQ_STR(t_e_, (msg)); T_CHECK(t_k_ == NULL); } while (0)

static void test_secret_decode(void) {
  T_DECODES("whsec_YWJj", "abc", 3);          /* no padding */
  T_DECODES("whsec_YWI=", "ab", 2);           /* one '=' */
  T_DECODES("whsec_YWJjZA==", "abcd", 4);     /* two */
  T_DECODES("whsec_AAA=", "\0\0", 2);         /* zero bytes are key bytes */
  T_DECODE_ERR("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
               "webhook secret must start with \"whsec_\"");
  T_DECODE_ERR(NULL, "webhook secret must start with \"whsec_\"");
  T_DECODE_ERR("whsec_", "webhook secret is empty");
  const char *bad[] = {"whsec_YWJ", "whsec_YW$j", "whsec_Y=Jj",
                       "whsec_====", "whsec_YWJjZ===", "whsec_YW Jj",
                       "whsec_YWJj\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    T_DECODE_ERR(bad[i], "webhook secret after \"whsec_\" is not base64");
}

static void test_backoff(void) {
  T_CHECK(st_alert_backoff(NULL, 1) == 1);
  T_CHECK(st_alert_backoff(NULL, 2) == 2);
  T_CHECK(st_alert_backoff(NULL, 3) == 4);
  T_CHECK(st_alert_backoff(NULL, 12) == 2048);
  T_CHECK(st_alert_backoff(NULL, 13) == 3600);   /* 4096, capped */
  T_CHECK(st_alert_backoff(NULL, 1000) == 3600);
  T_CHECK(st_alert_backoff(NULL, 0) == 1);
  st_alert_opts o;
  memset(&o, 0, sizeof o);
  o.base_delay = 0.05;
  o.max_delay = 0.15;
  T_CHECK(st_alert_backoff(&o, 1) == 0.05);
  T_CHECK(st_alert_backoff(&o, 2) == 0.1);
  T_CHECK(st_alert_backoff(&o, 3) == 0.15);
  o.max_delay = 0;
  T_CHECK(st_alert_backoff(&o, 3) == 0.2);
}

static void test_retry_after(void) {
  double d = -5;
  T_EQ_INT(st_alert_retry_after("1", 0, &d), 0);
  T_CHECK(d == 1);
  T_EQ_INT(st_alert_retry_after(" 120\r\n", 0, &d), 0);
  T_CHECK(d == 120);
  T_EQ_INT(st_alert_retry_after("0", 0, &d), 0);
  T_CHECK(d == 0);
  /* date -u -d 'Wed, 21 Oct 2015 07:28:00 GMT' +%s → 1445412480 */
  T_EQ_INT(st_alert_retry_after("Wed, 21 Oct 2015 07:28:00 GMT",
                                1445412480 - 30, &d), 0);
  T_CHECK(d == 30);
  T_EQ_INT(st_alert_retry_after("Wed, 21 Oct 2015 07:28:00 GMT",
                                1445412480 + 30, &d), 0);
  T_CHECK(d == 0);                   /* in the past: now */
  d = -5;
  T_EQ_INT(st_alert_retry_after("soon", 0, &d), -1);
  T_EQ_INT(st_alert_retry_after("", 0, &d), -1);
  T_EQ_INT(st_alert_retry_after(NULL, 0, &d), -1);
  T_CHECK(d == -5);
}

static void test_new_errors(void) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  const char *argv[] = {"/bin/true", NULL}, *empty[] = {NULL};
  struct { st_alert_target t; const char *msg; } cases[] = {
    {{"x", NULL, NULL, 0, NULL}, "alert target 0 (x): needs exactly one of "
                                 "a webhook URL and a command"},
    {{"x", "http://h/", NULL, 0, argv}, "alert target 0 (x): needs exactly "
                                        "one of a webhook URL and a command"},
    {{"x", "ftp://h/", NULL, 0, NULL}, "alert target 0 (x): webhook URL "
                                       "\"ftp://h/\" is not http or https"},
    {{"x", NULL, NULL, 0, empty}, "alert target 0 (x): the command is empty"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    st_alerter *a = NULL;
    char err[256] = "";
    T_EQ_INT(st_alerter_new(&loop, NULL, &cases[i].t, 1, NULL, &a, err,
                            sizeof err), ST_EINPUT);
    T_EQ_STR(err, cases[i].msg);
    T_CHECK(a == NULL);
  }
  T_EQ_INT(uv_loop_close(&loop), 0);
}

/* }=== */

/* {=== Webhooks ========================================================= */

static char url[128];
static unsigned char *key;
static size_t keylen;

static st_alert_target hook_target(receiver *r, int signed_) {
  snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", r->port);
  char err[256];
  free(key);
  key = NULL;
  keylen = 0;
  if (signed_) st_webhook_secret_decode(SECRET, &key, &keylen, err, sizeof err);
  st_alert_target t = {"hook", url, signed_ ? key : NULL, keylen, NULL};
  return t;
}

static st_alert_opts quick(int max_attempts) {
  st_alert_opts o;
  memset(&o, 0, sizeof o);
  o.base_delay = 0.05;
  o.max_attempts = max_attempts;
  o.timeout = 5;
  return o;
}

/* The last line of the log, parsed (caller frees). */
static cJSON *last_log_line(void) {
  fflush(F.log);
  rewind(F.log);
  char line[4096], last[4096] = "";
  while (fgets(line, sizeof line, F.log)) memcpy(last, line, sizeof line);
  return cJSON_Parse(last);
}

static void check_log_field_num(cJSON *o, const char *k, double v) {
  cJSON *f = cJSON_GetObjectItemCaseSensitive(o, k);
  if (!cJSON_IsNumber(f) || f->valuedouble != v)
    T_FAILF("log field %s is not %g", k, v);
}

static void check_log_field_str(cJSON *o, const char *k, const char *v) {
  cJSON *f = cJSON_GetObjectItemCaseSensitive(o, k);
  T_EQ_STR(cJSON_IsString(f) ? f->valuestring : NULL, v);
}

static const char BODY7[] = "{\"policy\":\"p\",\"subject\":\"s\"}";

static void test_webhook_delivered(void) {
  receiver r;
  reply script[] = {{200, ""}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  fake_add(&F.store, 7, 0, BODY7, 0);
  double t0 = now_wall();
  st_alerter_kick(F.a);
  T_CHECK(run_until(one_attempt, 5));
  double t1 = now_wall();
  row *w = fake_row(&F.store, 7);
  T_EQ_INT(w->status, ST_ALERT_DELIVERED);
  T_EQ_INT(w->attempts, 1);
  T_EQ_INT(F.store.nhist, 1);
  check_hist(0, ST_ALERT_DELIVERED, "");
  check_stats(1, 0, 0);
  T_EQ_INT(rcv_count(&r), 1);
  char v[256], sig[ST_WEBHOOK_SIGLEN];
  T_CHECK(strncmp(r.head[0], "POST /hook HTTP/1.1\r\n", 21) == 0);
  T_EQ_STR(header_of(r.head[0], "content-type", v, sizeof v),
           "application/json");
  T_EQ_STR(header_of(r.head[0], "webhook-id", v, sizeof v), "msg_7");
  T_EQ_STR(header_of(r.head[0], "user-agent", v, sizeof v), "steward");
  T_EQ_STR(header_of(r.head[0], "expect", v, sizeof v), "");
  T_EQ_STR(r.body[0], BODY7);
  long long ts = atoll(header_of(r.head[0], "webhook-timestamp", v, sizeof v));
  T_CHECK(ts >= (long long)floor(t0) && ts <= (long long)t1);
  st_webhook_sign(key, keylen, "msg_7", ts, BODY7, strlen(BODY7), sig,
                  sizeof sig);
  T_EQ_STR(header_of(r.head[0], "webhook-signature", v, sizeof v), sig);
  cJSON *line = last_log_line();
  check_log_field_str(line, "event", "alert");
  check_log_field_num(line, "alert", 7);
  check_log_field_str(line, "target", "hook");
  check_log_field_str(line, "status", "delivered");
  check_log_field_num(line, "attempt", 1);
  check_log_field_num(line, "http_status", 200);
  T_CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(line, "error")));
  cJSON_Delete(line);
  teardown();
  rcv_stop(&r);
}

static void test_webhook_unsigned(void) {
  receiver r;
  reply script[] = {{204, ""}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 0);
  setup(&t, 1, NULL);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  T_EQ_INT(fake_row(&F.store, 1)->status, ST_ALERT_DELIVERED);
  char v[256];
  T_EQ_STR(header_of(r.head[0], "webhook-id", v, sizeof v), "msg_1");
  T_CHECK(strcasestr(r.head[0], "webhook-signature") == NULL);
  teardown();
  rcv_stop(&r);
}

static void test_webhook_503_then_200(void) {
  receiver r;
  reply script[] = {{503, ""}, {200, ""}};
  rcv_start(&r, script, 2);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{\"n\":1}", 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  T_EQ_INT(F.store.nhist, 2);
  check_hist(0, ST_ALERT_PENDING, "HTTP 503");
  check_hist(1, ST_ALERT_DELIVERED, "");
  T_NEAR(hist_delay(0), 0.05, 0.02, 0.0);      /* base_delay × 2^0 */
  T_EQ_INT(fake_row(&F.store, 1)->attempts, 2);
  T_EQ_INT(rcv_count(&r), 2);
  T_CHECK(r.at[1] >= F.store.hist[0].next - 0.005);   /* not early */
  check_stats(1, 0, 1);
  teardown();
  rcv_stop(&r);
}

static void test_webhook_429_retry_after(void) {
  receiver r;
  reply script[] = {{429, "Retry-After: 1\r\n"}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  double t0 = now_wall();
  st_alerter_kick(F.a);
  T_CHECK(run_until(one_attempt, 5));
  check_hist(0, ST_ALERT_PENDING, "HTTP 429");
  T_CHECK(F.store.hist[0].next >= t0 + 1);     /* not the 0.05 s backoff */
  T_NEAR(hist_delay(0), 1.0, 0.02, 0.0);
  check_stats(0, 0, 1);
  /* Stopped while waiting for the retry: still pending, no new attempt. */
  T_EQ_INT(fake_row(&F.store, 1)->status, ST_ALERT_PENDING);
  teardown();
  T_EQ_INT(F.store.nhist, 1);
  rcv_stop(&r);
}

static void test_webhook_400_fails(void) {
  receiver r;
  reply script[] = {{400, ""}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  run_until(never, 0.2);             /* a retry would come by now */
  T_EQ_INT(F.store.nhist, 1);
  check_hist(0, ST_ALERT_FAILED, "HTTP 400");
  T_EQ_INT(rcv_count(&r), 1);
  check_stats(0, 1, 0);
  teardown();
  rcv_stop(&r);
}

static void test_webhook_redirect_not_followed(void) {
  receiver r;
  reply script[] = {{302, "Location: /elsewhere\r\n"}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  run_until(never, 0.1);
  check_hist(0, ST_ALERT_FAILED, "HTTP 302");
  T_EQ_INT(rcv_count(&r), 1);
  teardown();
  rcv_stop(&r);
}

static void test_webhook_max_attempts(void) {
  receiver r;
  reply script[] = {{500, ""}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(3);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  T_EQ_INT(F.store.nhist, 3);
  check_hist(0, ST_ALERT_PENDING, "HTTP 500");
  check_hist(1, ST_ALERT_PENDING, "HTTP 500");
  check_hist(2, ST_ALERT_FAILED, "HTTP 500");
  T_NEAR(hist_delay(0), 0.05, 0.02, 0.0);
  T_NEAR(hist_delay(1), 0.10, 0.02, 0.0);
  T_EQ_INT(fake_row(&F.store, 1)->attempts, 3);
  T_EQ_INT(rcv_count(&r), 3);
  check_stats(0, 1, 2);
  teardown();
  rcv_stop(&r);
}

static void test_webhook_refused(void) {
  int port, fd = listen_any(&port);
  close(fd);                         /* nobody listens there now */
  snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", port);
  st_alert_target t = {"gone", url, NULL, 0, NULL};
  st_alert_opts o = quick(2);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  T_EQ_INT(F.store.nhist, 2);
  check_hist(0, ST_ALERT_PENDING, "Couldn't connect to server");
  check_hist(1, ST_ALERT_FAILED, "Couldn't connect to server");
  check_stats(0, 1, 1);
  cJSON *line = last_log_line();
  check_log_field_str(line, "status", "failed");
  T_CONTAINS(cJSON_GetStringValue(cJSON_GetObjectItem(line, "detail")),
             "Failed to connect to 127.0.0.1 port");
  cJSON_Delete(line);
  teardown();
}

static void test_webhook_timeout(void) {
  receiver r;
  reply script[] = {{0, ""}};        /* never answers */
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(1);
  o.timeout = 0.3;
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  double t0 = now_wall();
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  T_NEAR(now_wall() - t0, 0.3, 0.0, 1.5);
  check_hist(0, ST_ALERT_FAILED, "Timeout was reached");
  check_stats(0, 1, 0);
  teardown();
  rcv_stop(&r);
}

static int request_arrived_1(void);
static receiver *arrived_r;
static int request_arrived_1(void) { return rcv_count(arrived_r) >= 1; }

static void test_webhook_stop_in_flight(void) {
  receiver r;
  reply script[] = {{0, ""}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  arrived_r = &r;
  T_CHECK(run_until(request_arrived_1, 5));
  st_alert_stats s;
  st_alerter_stats(F.a, &s);
  T_EQ_INT(s.in_flight, 1);
  teardown();                        /* stop with the request in flight */
  T_EQ_INT(F.store.nhist, 0);
  row *w = fake_row(&F.store, 1);
  T_EQ_INT(w->status, ST_ALERT_PENDING);
  T_EQ_INT(w->attempts, 0);
  rcv_stop(&r);
}

static void test_due_later(void) {
  receiver r;
  reply script[] = {{200, ""}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  double due = now_wall() + 0.3;
  fake_add(&F.store, 1, 0, "{}", due);
  st_alerter_kick(F.a);
  st_alert_stats s;
  st_alerter_stats(F.a, &s);
  T_EQ_INT(s.in_flight, 0);          /* not due yet: the timer waits */
  T_CHECK(run_until(row1_done, 5));
  T_EQ_INT(rcv_count(&r), 1);
  T_CHECK(r.at[0] >= due - 0.005);
  check_hist(0, ST_ALERT_DELIVERED, "");
  teardown();
  rcv_stop(&r);
}

static void test_unknown_target(void) {
  receiver r;
  reply script[] = {{200, ""}};
  rcv_start(&r, script, 1);
  st_alert_target t = hook_target(&r, 1);
  setup(&t, 1, NULL);
  fake_add(&F.store, 1, 3, "{}", 0);
  st_alerter_kick(F.a);
  T_EQ_INT(F.store.nhist, 1);        /* decided at once */
  check_hist(0, ST_ALERT_FAILED, "unknown alert target 3");
  check_stats(0, 1, 0);
  teardown();
  T_EQ_INT(rcv_count(&r), 0);
  rcv_stop(&r);
}

static void test_store_errors(void) {
  const char *argv[] = {"/bin/true", NULL};
  st_alert_target t = {"cmd", NULL, NULL, 0, argv};
  setup(&t, 1, NULL);
  fake_add(&F.store, 1, 0, "{}", 0);
  F.store.fail_due = 1;
  st_alerter_kick(F.a);
  run_until(never, 0.05);
  T_EQ_INT(F.store.nhist, 0);
  cJSON *line = last_log_line();
  check_log_field_str(line, "event", "alert_store_error");
  check_log_field_str(line, "error", "disk on fire");
  cJSON_Delete(line);
  teardown();
}

/* }=== */

/* {=== Commands ========================================================= */

static void test_command_delivered(void) {
  char dir[] = "/tmp/st_alert_XXXXXX", file[64], script[128];
  T_CHECK(mkdtemp(dir) != NULL);
  snprintf(file, sizeof file, "%s/body.json", dir);
  snprintf(script, sizeof script, "cat > %s", file);
  const char *argv[] = {"/bin/sh", "-c", script, NULL};
  st_alert_target t = {"cmd", NULL, NULL, 0, argv};
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, BODY7, 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  check_hist(0, ST_ALERT_DELIVERED, "");
  check_stats(1, 0, 0);
  size_t len;
  char err[256];
  char *got = st_read_file(file, &len, err, sizeof err);
  T_EQ_STR(got, BODY7);
  free(got);
  cJSON *line = last_log_line();
  check_log_field_str(line, "target", "cmd");
  check_log_field_num(line, "exit_status", 0);
  cJSON_Delete(line);
  teardown();
  unlink(file);
  rmdir(dir);
}

static void test_command_false(void) {
  const char *argv[] = {"/bin/false", NULL};
  st_alert_target t = {"no", NULL, NULL, 0, argv};
  st_alert_opts o = quick(2);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, BODY7, 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  T_EQ_INT(F.store.nhist, 2);
  check_hist(0, ST_ALERT_PENDING, "exit status 1");
  check_hist(1, ST_ALERT_FAILED, "exit status 1");
  T_NEAR(hist_delay(0), 0.05, 0.02, 0.0);
  check_stats(0, 1, 1);
  teardown();
}

static void test_command_signal(void) {
  const char *argv[] = {"/bin/sh", "-c", "kill -TERM $$", NULL};
  st_alert_target t = {"sig", NULL, NULL, 0, argv};
  st_alert_opts o = quick(1);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  check_hist(0, ST_ALERT_FAILED, "killed by signal 15");
  teardown();
}

static void test_command_missing(void) {
  const char *argv[] = {"/nonexistent/alert-cmd", NULL};
  st_alert_target t = {"gone", NULL, NULL, 0, argv};
  st_alert_opts o = quick(3);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  T_EQ_INT(F.store.nhist, 1);        /* uv_spawn says so at once */
  check_hist(0, ST_ALERT_PENDING,
             "cannot run /nonexistent/alert-cmd: no such file or directory");
  teardown();
}

static void test_command_timeout(void) {
  const char *argv[] = {"/bin/sleep", "10", NULL};
  st_alert_target t = {"slow", NULL, NULL, 0, argv};
  st_alert_opts o = quick(1);
  o.timeout = 0.3;
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  double t0 = now_wall();
  st_alerter_kick(F.a);
  T_CHECK(run_until(row1_done, 5));
  T_NEAR(now_wall() - t0, 0.3, 0.0, 1.5);
  check_hist(0, ST_ALERT_FAILED, "timed out after 0.3 s (killed)");
  check_stats(0, 1, 0);
  teardown();
}

static void test_command_stop_in_flight(void) {
  const char *argv[] = {"/bin/sleep", "10", NULL};
  st_alert_target t = {"slow", NULL, NULL, 0, argv};
  st_alert_opts o = quick(5);
  setup(&t, 1, &o);
  fake_add(&F.store, 1, 0, "{}", 0);
  st_alerter_kick(F.a);
  st_alert_stats s;
  st_alerter_stats(F.a, &s);
  T_EQ_INT(s.in_flight, 1);
  run_until(never, 0.05);
  double t0 = now_wall();
  teardown();                        /* kills the sleep, records nothing */
  T_CHECK(now_wall() - t0 < 2.0);
  T_EQ_INT(F.store.nhist, 0);
  T_EQ_INT(fake_row(&F.store, 1)->status, ST_ALERT_PENDING);
  T_EQ_INT(fake_row(&F.store, 1)->attempts, 0);
}

static int all_five_done(void) {
  for (int64_t id = 1; id <= 5; id++)
    if (fake_row(&F.store, id)->status == ST_ALERT_PENDING) return 0;
  return 1;
}

static void test_max_in_flight(void) {
  const char *argv[] = {"/bin/sh", "-c", "cat >/dev/null; sleep 0.2", NULL};
  st_alert_target t = {"cmd", NULL, NULL, 0, argv};
  st_alert_opts o = quick(5);
  o.max_in_flight = 2;
  setup(&t, 1, &o);
  for (int64_t id = 1; id <= 5; id++) fake_add(&F.store, id, 0, "{}", 0);
  st_alerter_kick(F.a);
  st_alert_stats s;
  st_alerter_stats(F.a, &s);
  T_EQ_INT(s.in_flight, 2);
  T_CHECK(run_until(all_five_done, 10));
  T_EQ_INT(F.max_in_flight_seen, 2);
  T_EQ_INT(F.store.nhist, 5);
  for (size_t i = 0; i < 5; i++) check_hist(i, ST_ALERT_DELIVERED, "");
  check_stats(5, 0, 0);
  teardown();
}

/* }=== */

static void test_cleanup(void) {
  free(key);
  key = NULL;
}

T_SUITE(T_CASE(test_sign_vector), T_CASE(test_secret_decode),
        T_CASE(test_backoff), T_CASE(test_retry_after),
        T_CASE(test_new_errors), T_CASE(test_webhook_delivered),
        T_CASE(test_webhook_unsigned), T_CASE(test_webhook_503_then_200),
        T_CASE(test_webhook_429_retry_after), T_CASE(test_webhook_400_fails),
        T_CASE(test_webhook_redirect_not_followed),
        T_CASE(test_webhook_max_attempts), T_CASE(test_webhook_refused),
        T_CASE(test_webhook_timeout), T_CASE(test_webhook_stop_in_flight),
        T_CASE(test_due_later), T_CASE(test_unknown_target),
        T_CASE(test_store_errors), T_CASE(test_command_delivered),
        T_CASE(test_command_false), T_CASE(test_command_signal),
        T_CASE(test_command_missing), T_CASE(test_command_timeout),
        T_CASE(test_command_stop_in_flight), T_CASE(test_max_in_flight),
        T_CASE(test_cleanup))
