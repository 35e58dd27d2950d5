/* log.c - see log.h. */
#include "log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "timeutil.h"
#include "util.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_stream;

void st_log_set_stream(FILE *f) { log_stream = f; }

cJSON *st_log_begin(const char *event) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  char ts[40], stamp[48];
  st_time_format((double)tv.tv_sec, ts, sizeof ts);
  /* "…:SSZ" → "…:SS.mmmZ" */
  size_t n = strlen(ts);
  snprintf(stamp, sizeof stamp, "%.*s.%03dZ", (int)(n ? n - 1 : 0), ts,
           (int)(tv.tv_usec / 1000));
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "ts", stamp);
  cJSON_AddStringToObject(o, "event", event);
  return o;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t left) {
  size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 :
             (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
  if (!n || n > left || (n == 2 && s[0] < 0xC2)) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) ||
                 (s[0] == 0xED && s[1] >= 0xA0)))
    return 0;                 /* overlong, or a UTF-16 surrogate */
  if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || s[0] > 0xF4 ||
                 (s[0] == 0xF4 && s[1] >= 0x90)))
    return 0;
  return n;
}

void st_log_str(cJSON *obj, const char *key, const char *value) {
  if (!value) {
    cJSON_AddNullToObject(obj, key);
    return;
  }
  st_buf b;
  st_buf_init(&b);
  const unsigned char *s = (const unsigned char *)value;
  size_t len = strlen(value);
  for (size_t i = 0; i < len;) {
    size_t n = utf8_seq(s + i, len - i);
    if (n) st_buf_add(&b, value + i, n);
    else st_buf_puts(&b, "\xEF\xBF\xBD");
    i += n ? n : 1;
  }
  cJSON_AddStringToObject(obj, key, b.data);
  st_buf_free(&b);
}

void st_log_event(cJSON *obj) {
  char *text = cJSON_PrintUnformatted(obj);
  cJSON_Delete(obj);
  if (!text) return;
  size_t n = strlen(text);
  text[n] = '\n';               /* cJSON's buffer has room for its NUL */
  pthread_mutex_lock(&log_lock);
  FILE *f = log_stream ? log_stream : stderr;
  fwrite(text, 1, n + 1, f);
  fflush(f);
  pthread_mutex_unlock(&log_lock);
  cJSON_free(text);
}
