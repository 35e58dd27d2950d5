/* util.c - see util.h. */
#include "util.h"

#include <time.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

static void out_of_memory(size_t n) {
  fprintf(stderr, "steward: out of memory (asked for %zu bytes)\n", n);
  abort();
}

void *st_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) out_of_memory(n);
  return p;
}

void *st_xcalloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p) out_of_memory(count * size);
  return p;
}

void *st_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) out_of_memory(n);
  return q;
}

char *st_xstrdup(const char *s) { return st_xstrndup(s, strlen(s)); }

char *st_xstrndup(const char *s, size_t n) {
  char *d = st_xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

void st_grow(void **arr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2 / elem) out_of_memory(SIZE_MAX);
    ncap *= 2;
  }
  *arr = st_xrealloc(*arr, ncap * elem);
  *cap = ncap;
}

int st_errf(char *err, size_t errlen, int code, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return code;
}

void st_buf_init(st_buf *b) { b->data = NULL; b->len = b->cap = 0; }

void st_buf_add(st_buf *b, const char *s, size_t n) {
  st_grow((void **)&b->data, &b->cap, b->len + n + 1, 1);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void st_buf_puts(st_buf *b, const char *s) { st_buf_add(b, s, strlen(s)); }

void st_buf_putc(st_buf *b, char c) { st_buf_add(b, &c, 1); }

void st_buf_printf(st_buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    st_grow((void **)&b->data, &b->cap, b->len + (size_t)n + 1, 1);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

void st_buf_pointer_token(st_buf *b, const char *token) {
  st_buf_putc(b, '/');
  for (const char *p = token; *p; p++) {
    if (*p == '~') st_buf_puts(b, "~0");
    else if (*p == '/') st_buf_puts(b, "~1");
    else st_buf_putc(b, *p);
  }
}

char *st_buf_take(st_buf *b) {
  char *d = b->data ? b->data : st_xstrdup("");
  st_buf_init(b);
  return d;
}

void st_buf_free(st_buf *b) {
  free(b->data);
  st_buf_init(b);
}

char *st_read_file(const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    st_errf(err, errlen, ST_EIO, "%s: %s", path, strerror(errno));
    return NULL;
  }
  st_buf b;
  st_buf_init(&b);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) st_buf_add(&b, chunk, n);
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    st_buf_free(&b);
    st_errf(err, errlen, ST_EIO, "%s: read error", path);
    return NULL;
  }
  *len = b.len;
  return st_buf_take(&b);
}

void st_line_col(const char *text, size_t len, size_t off, int *line, int *col) {
  int l = 1, c = 1;
  if (off > len) off = len;
  for (size_t i = 0; i < off; i++) {
    if (text[i] == '\n') { l++; c = 1; } else c++;
  }
  *line = l;
  *col = c;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **st_list_dir(const char *dir, size_t *count) {
  DIR *d = opendir(dir);
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    st_grow((void **)&names, &cap, n + 1, sizeof *names);
    st_buf p;
    st_buf_init(&p);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') dl--;      /* "dir/" → "dir" */
    st_buf_printf(&p, "%.*s/%s", (int)dl, dir, e->d_name);
    names[n++] = st_buf_take(&p);
  }
  if (d) closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_names);
  *count = n;
  return names;
}

int st_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

/* cJSON clamps an error past the end of its input to the last byte, which
 * would put "the file ends too early" one column short. Parsing a copy with
 * one more blank lets the error land at len, where the text really ends. */
struct cJSON *st_json_parse(const char *text, size_t len, size_t *error_at,
                            int *trailing) {
  char *copy = st_xmalloc(len + 2);
  memcpy(copy, text, len);
  copy[len] = ' ';
  copy[len + 1] = '\0';
  const char *end = NULL;
  cJSON *j = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 0);
  *trailing = 0;
  if (!j) {
    size_t off = end ? (size_t)(end - copy) : 0;
    *error_at = off > len ? len : off;
  } else {
    size_t off = (size_t)(end - copy);
    off += strspn(copy + off, " \t\r\n");
    if (off < len) {
      cJSON_Delete(j);
      j = NULL;
      *error_at = off;
      *trailing = 1;
    }
  }
  free(copy);
  return j;
}

struct cJSON *st_json_parse_named(const char *name, const char *text,
                                  size_t len, char *err, size_t errlen) {
  size_t at;
  int trailing, line, col;
  cJSON *j = st_json_parse(text, len, &at, &trailing);
  if (!j) {
    st_line_col(text, len, at, &line, &col);
    st_errf(err, errlen, ST_EINPUT, "%s:%d:%d: malformed JSON%s", name, line,
            col, trailing ? ": text after the document" : "");
  }
  return j;
}

char *st_path_join(const char *a, const char *b) {
  st_buf p;
  st_buf_init(&p);
  st_buf_printf(&p, "%s/%s", a, b);
  return st_buf_take(&p);
}

double st_mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
