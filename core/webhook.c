/*
 * webhook.c - the pure parts of alert.h: Standard Webhooks secrets and
 * signatures (OpenSSL's HMAC and base64, no crypto of our own), backoff,
 * and Retry-After.
 */
#include "alert.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util.h"

#define WHSEC_PREFIX "whsec_"

static int is_b64(unsigned char c) {
  return isalnum(c) || c == '+' || c == '/';
}

/* The base64 text must be whole quads, alphabet only, with at most two
 * '=' and only at the end: EVP_DecodeBlock is laxer (it skips blanks and
 * pads the output with zero bytes for each '='), so check first. */
static int b64_check(const char *s, size_t n, size_t *pad) {
  *pad = 0;
  if (n == 0 || n % 4 != 0) return -1;
  while (*pad < 2 && s[n - 1 - *pad] == '=') (*pad)++;
  for (size_t i = 0; i < n - *pad; i++)
    if (!is_b64((unsigned char)s[i])) return -1;
  return 0;
}

int st_webhook_secret_decode(const char *whsec, unsigned char **key,
                             size_t *len, char *err, size_t errlen) {
  size_t plen = strlen(WHSEC_PREFIX);
  if (!whsec || strncmp(whsec, WHSEC_PREFIX, plen) != 0)
    return st_errf(err, errlen, ST_EINPUT,
                   "webhook secret must start with \"whsec_\"");
  const char *b64 = whsec + plen;
  size_t n = strlen(b64), pad;
  if (n == 0)
    return st_errf(err, errlen, ST_EINPUT, "webhook secret is empty");
  if (b64_check(b64, n, &pad) != 0)
    return st_errf(err, errlen, ST_EINPUT,
                   "webhook secret after \"whsec_\" is not base64");
  unsigned char *out = st_xmalloc(n / 4 * 3 + 1);
  int got = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n);
  if (got < 0 || (size_t)got < pad) {
    free(out);
    return st_errf(err, errlen, ST_EINPUT,
                   "webhook secret after \"whsec_\" is not base64");
  }
  *key = out;
  *len = (size_t)got - pad;      /* DecodeBlock counts the padding too */
  return ST_OK;
}

void st_webhook_sign(const unsigned char *key, size_t keylen, const char *id,
                     long long timestamp, const char *body, size_t len,
                     char *out, size_t outlen) {
  static const unsigned char empty[1];
  st_buf msg;
  st_buf_init(&msg);
  st_buf_printf(&msg, "%s.%lld.", id, timestamp);
  st_buf_add(&msg, body, len);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int maclen = 0;
  HMAC(EVP_sha256(), keylen ? key : empty, (int)keylen,
       (const unsigned char *)msg.data, msg.len, mac, &maclen);
  st_buf_free(&msg);
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  EVP_EncodeBlock(b64, mac, (int)maclen);
  if (outlen) snprintf(out, outlen, "v1,%s", (const char *)b64);
}

static void opts_or_defaults(const st_alert_opts *o, double *base,
                             double *max) {
  *base = o && o->base_delay > 0 ? o->base_delay : 1.0;
  *max = o && o->max_delay > 0 ? o->max_delay : 3600.0;
}

double st_alert_backoff(const st_alert_opts *o, int attempt) {
  double base, max;
  opts_or_defaults(o, &base, &max);
  if (attempt < 1) attempt = 1;
  /* Past 2^60 every sane max_delay is long exceeded; stop doubling. */
  double d = base * ldexp(1.0, attempt - 1 > 60 ? 60 : attempt - 1);
  return d < max ? d : max;
}

int st_alert_retry_after(const char *value, double now, double *delay) {
  if (!value) return -1;
  while (*value == ' ' || *value == '\t') value++;
  size_t n = strlen(value);
  while (n && (value[n - 1] == ' ' || value[n - 1] == '\t' ||
               value[n - 1] == '\r' || value[n - 1] == '\n'))
    n--;
  if (n == 0 || n >= 64) return -1;
  char v[64];
  memcpy(v, value, n);
  v[n] = 0;
  size_t digits = strspn(v, "0123456789");
  if (digits == n) {
    *delay = digits > 9 ? 1e9 : strtod(v, NULL);   /* capped by the caller */
    return 0;
  }
  time_t when = curl_getdate(v, NULL);
  if (when == (time_t)-1) return -1;
  double d = (double)when - now;
  *delay = d > 0 ? d : 0;
  return 0;
}
