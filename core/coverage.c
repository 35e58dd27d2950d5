/* coverage.c - see coverage.h. */
#include "coverage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "luacompat.h"           /* ST_LUAJIT */
#include "util.h"

void st_coverage_init(st_coverage *c) { memset(c, 0, sizeof *c); }

void st_coverage_free(st_coverage *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].source);
    free(c->v[i].file);
    free(c->v[i].hit);
  }
  free(c->v);
  memset(c, 0, sizeof *c);
}

/* The real path of a file, or a copy of the name when it has none. */
static char *real_path(const char *path) {
  char *r = realpath(path, NULL);
  return r ? r : st_xstrdup(path);
}

static st_cov_file *find_source(const st_coverage *c, const char *source) {
  for (size_t i = 0; i < c->n; i++)
    if (!strcmp(c->v[i].source, source)) return &c->v[i];
  return NULL;
}

/* All records of one real file: a file may run under several names. */
static void count_hits(const st_coverage *c, const char *real, size_t line,
                       int *hit) {
  for (size_t i = 0; i < c->n && !*hit; i++)
    if (!strcmp(c->v[i].file, real) && line <= c->v[i].nlines)
      *hit = c->v[i].hit[line];
}

void st_coverage_hit(st_coverage *c, const char *source, int line) {
  if (!source || source[0] != '@' || line <= 0) return;
  st_cov_file *f = c->last < c->n && !strcmp(c->v[c->last].source, source) ?
                   &c->v[c->last] : find_source(c, source);
  if (!f) {
    st_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v);
    f = &c->v[c->n++];
    f->source = st_xstrdup(source);
    f->file = real_path(source + 1);
    f->hit = NULL;
    f->nlines = 0;
  }
  c->last = (size_t)(f - c->v);
  if ((size_t)line > f->nlines) {
    size_t n = (size_t)line * 2;
    f->hit = st_xrealloc(f->hit, n + 1);
    memset(f->hit + f->nlines + 1, 0, n - f->nlines);
    if (!f->nlines) f->hit[0] = 0;
    f->nlines = n;
  }
  f->hit[line] = 1;
}

#if ST_LUAJIT

/* The length of a constant at s (a short string, a number, true, false or
 * nil), or 0. */
static size_t constant_len(const char *s, const char *end) {
  const char *p = s;
  if (*p == '"' || *p == '\'') {
    char q = *p++;
    while (p < end && *p != q) p += *p == '\\' ? 2 : 1;
    return p < end ? (size_t)(p + 1 - s) : 0;
  }
  static const char *const words[] = {"true", "false", "nil"};
  for (int i = 0; i < 3; i++) {
    size_t k = strlen(words[i]);
    if ((size_t)(end - p) >= k && !strncmp(p, words[i], k) &&
        (p + k == end || !(isalnum((unsigned char)p[k]) || p[k] == '_')))
      return k;
  }
  if (*p == '-') p++;
  if (p < end && *p == '.') p++;
  if (p >= end || !isdigit((unsigned char)*p)) return 0;
  while (p < end && (isalnum((unsigned char)*p) || *p == '.' ||
                     ((*p == '+' || *p == '-') && strchr("eEpP", p[-1]))))
    p++;
  return (size_t)(p - s);
}

/* LuaJIT builds the constant fields of a table constructor into a template
 * table: a line holding only `name = "text",`, `["k"] = 1,` or `"a", 2,`
 * compiles to no instruction and so can never be marked as run. Such a
 * line is not code there (in Lua 5.4 each field is an instruction). */
static int constant_fields_only(const char *s, size_t n) {
  const char *p = s, *end = s + n;
  int items = 0;
  for (;;) {
    while (p < end && isspace((unsigned char)*p)) p++;
    if (p == end) return items > 0;
    const char *q = p;                  /* an optional key */
    if (isalpha((unsigned char)*q) || *q == '_') {
      while (q < end && (isalnum((unsigned char)*q) || *q == '_')) q++;
    } else if (*q == '[') {
      size_t k = constant_len(q + 1, end);
      q = k && q + 1 + k < end && q[1 + k] == ']' ? q + 2 + k : p;
    }
    if (q != p) {
      while (q < end && isspace((unsigned char)*q)) q++;
      if (q < end && *q == '=' && (q + 1 == end || q[1] != '=')) {
        p = q + 1;
        while (p < end && isspace((unsigned char)*p)) p++;
      }
    }
    size_t k = p < end ? constant_len(p, end) : 0;
    if (!k) return 0;
    p += k;
    items++;
    while (p < end && isspace((unsigned char)*p)) p++;
    if (p == end) return 1;
    if (*p != ',' && *p != ';') return 0;
    p++;
  }
}

#endif

/* Whether a line (already stripped of comments) holds code that compiles
 * to instructions: not blank and not only closing or continuing keywords. */
static int is_code(const char *s, size_t n) {
  while (n && isspace((unsigned char)*s)) s++, n--;
  while (n && isspace((unsigned char)s[n - 1])) n--;
  if (!n) return 0;
#if ST_LUAJIT
  if (constant_fields_only(s, n)) return 0;
#endif
  static const char *const closers[] = {"end", "end,", "end)", "end),",
    "end}", "else", "}", "},", "})", ")", "),", "do", "then", "repeat",
    "{", "(", NULL};
  for (int i = 0; closers[i]; i++)
    if (strlen(closers[i]) == n && !strncmp(s, closers[i], n)) return 0;
  /* A statement continued on the next line: its instructions carry the
   * next line's number. */
  if (s[n - 1] == '=' || s[n - 1] == '(' || s[n - 1] == '{') return 0;
  /* A function header: the closure is made where the function ends. */
  if (s[n - 1] == ')') {
    const char *f = NULL;
    for (const char *p = s; p + 8 <= s + n; p++)
      if (!strncmp(p, "function", 8)) f = p;
    if (f) {
      const char *open = memchr(f, '(', (size_t)(s + n - f));
      if (open && !memchr(open, ')', (size_t)(s + n - 1 - open))) return 0;
    }
  }
  return 1;
}

/* Length of the code part of a line, tracking long comments across lines
 * in *in_long (only "--[[ ]]" and "--[==[ ]==]" forms). */
static size_t code_part(const char *line, size_t len, int *in_long) {
  if (*in_long) {
    const char *close = NULL;
    for (size_t i = 0; i + 1 < len && !close; i++)
      if (line[i] == ']' && (line[i + 1] == ']' || line[i + 1] == '='))
        close = line + i;
    if (!close) return 0;
    *in_long = 0;
    return 0;                       /* the rest is rarely code; skip it */
  }
  for (size_t i = 0; i + 1 < len; i++) {
    if (line[i] == '"' || line[i] == '\'') {       /* skip a short string */
      char q = line[i++];
      while (i < len && line[i] != q) i += line[i] == '\\' ? 2 : 1;
      continue;
    }
    if (line[i] == '-' && line[i + 1] == '-') {
      if (i + 3 < len && line[i + 2] == '[' &&
          (line[i + 3] == '[' || line[i + 3] == '='))
        *in_long = !strstr(line + i, "]]") && !strstr(line + i, "]=");
      return i;
    }
  }
  return len;
}

st_cov_count st_coverage_count(const st_coverage *c, const char *path) {
  st_cov_count k = {0, 0, ""};
  char err[ST_ERRLEN];
  size_t len;
  char *text = st_read_file(path, &len, err, sizeof err);
  if (!text) return k;
  char *real = real_path(path);
  int in_long = 0;
  size_t line = 1;
  for (size_t pos = 0; pos < len; line++) {
    size_t eol = pos;
    while (eol < len && text[eol] != '\n') eol++;
    int hit = 0;
    count_hits(c, real, line, &hit);
    size_t n = code_part(text + pos, eol - pos, &in_long);
    if (hit || is_code(text + pos, n)) {
      k.executable++;
      k.covered += (size_t)hit;
      size_t used = strlen(k.missed);
      if (!hit && used + 8 < sizeof k.missed)
        snprintf(k.missed + used, sizeof k.missed - used, "%zu ", line);
    }
    pos = eol + 1;
  }
  free(real);
  free(text);
  return k;
}

double st_coverage_report(const st_coverage *c, char **files, size_t nfiles,
                          FILE *out) {
  double lowest = 100;
  size_t covered = 0, executable = 0;
  fputs("coverage:\n", out);
  for (size_t i = 0; i < nfiles; i++) {
    st_cov_count k = st_coverage_count(c, files[i]);
    double pct = k.executable ? 100.0 * (double)k.covered /
                                (double)k.executable : 100.0;
    if (pct < lowest) lowest = pct;
    covered += k.covered;
    executable += k.executable;
    fprintf(out, "  %5.1f%%  %s (%zu/%zu lines)", pct, files[i], k.covered,
            k.executable);
    if (k.covered < k.executable && getenv("STEWARD_COVERAGE_MISSED"))
      fprintf(out, " missed: %s", k.missed);
    fputc('\n', out);
  }
  fprintf(out, "  %5.1f%%  total (%zu/%zu lines)\n", executable ?
          100.0 * (double)covered / (double)executable : 100.0, covered,
          executable);
  return lowest;
}
