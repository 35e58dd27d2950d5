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
static int log_buffered;

void st_log_set_stream(FILE *f) { log_stream = f; }

void st_log_set_buffered(int on) {
  pthread_mutex_lock(&log_lock);
  FILE *f = log_stream ? log_stream : stderr;
  if (on && !log_buffered) setvbuf(f, NULL, _IOFBF, 64 << 10);
  if (!on) fflush(f);
  log_buffered = on;
  pthread_mutex_unlock(&log_lock);
}

void st_log_flush(void) {
  pthread_mutex_lock(&log_lock);
  fflush(log_stream ? log_stream : stderr);
  pthread_mutex_unlock(&log_lock);
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" of now into out[32]. The seconds are
 * formatted once per second per thread. */
static void stamp_now(char out[32]) {
  static _Thread_local long long last_sec = -1;
  static _Thread_local char last[24];
  struct timeval tv;
  gettimeofday(&tv, NULL);
  if (tv.tv_sec != last_sec) {
    char ts[40];
    st_time_format((double)tv.tv_sec, ts, sizeof ts);
    size_t n = strlen(ts);              /* "…:SSZ": keep all but the Z */
    snprintf(last, sizeof last, "%.*s", (int)(n ? n - 1 : 0), ts);
    last_sec = tv.tv_sec;
  }
  snprintf(out, 32, "%s.%03dZ", last, (int)(tv.tv_usec / 1000));
}

cJSON *st_log_begin(const char *event) {
  char stamp[32];
  stamp_now(stamp);
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

/* Appends value as a JSON string: quotes, backslashes and control
 * characters escaped, invalid UTF-8 replaced by U+FFFD. */
static void put_json_string(st_buf *b, const char *value) {
  const unsigned char *s = (const unsigned char *)value;
  size_t len = strlen(value);
  st_buf_putc(b, '"');
  for (size_t i = 0; i < len;) {
    size_t n = utf8_seq(s + i, len - i);
    if (!n) {
      st_buf_puts(b, "\xEF\xBF\xBD");
      i++;
    } else if (n > 1) {
      st_buf_add(b, value + i, n);
      i += n;
    } else {
      unsigned char c = s[i++];
      if (c == '"' || c == '\\') {
        st_buf_putc(b, '\\');
        st_buf_putc(b, (char)c);
      } else if (c < 0x20 || c == 0x7f) {
        st_buf_printf(b, "\\u%04x", c);
      } else {
        st_buf_putc(b, (char)c);
      }
    }
  }
  st_buf_putc(b, '"');
}

static void write_line(const char *text, size_t n);

void st_log_request(const char *method, const char *target, int status,
                    long long micros) {
  char stamp[32];
  stamp_now(stamp);
  st_buf b;
  st_buf_init(&b);
  st_buf_printf(&b, "{\"ts\":\"%s\",\"event\":\"request\",\"method\":",
                stamp);
  put_json_string(&b, method ? method : "");
  st_buf_puts(&b, ",\"target\":");
  put_json_string(&b, target ? target : "");
  st_buf_printf(&b, ",\"status\":%d,\"us\":%lld}\n", status, micros);
  write_line(b.data, b.len);
  st_buf_free(&b);
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

/* One whole line, under the lock, so lines never interleave. */
static void write_line(const char *text, size_t n) {
  pthread_mutex_lock(&log_lock);
  FILE *f = log_stream ? log_stream : stderr;
  fwrite(text, 1, n, f);
  if (!log_buffered) fflush(f);
  pthread_mutex_unlock(&log_lock);
}

void st_log_event(cJSON *obj) {
  char *text = cJSON_PrintUnformatted(obj);
  cJSON_Delete(obj);
  if (!text) return;
  size_t n = strlen(text);
  text[n] = '\n';               /* cJSON's buffer has room for its NUL */
  write_line(text, n + 1);
  cJSON_free(text);
}
