/* jsonpos.c - see jsonpos.h. */
#include "jsonpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
  const char *s;
  size_t len, pos;
} scan;

static void skip_ws(scan *sc) {
  while (sc->pos < sc->len && strchr(" \t\r\n", sc->s[sc->pos]) &&
         sc->s[sc->pos])
    sc->pos++;
}

static int peek(scan *sc) {
  skip_ws(sc);
  return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

/* Appends the UTF-8 encoding of code point cp. */
static void put_utf8(st_buf *b, unsigned cp) {
  char u[4];
  if (cp < 0x80) {
    st_buf_putc(b, (char)cp);
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F));
    st_buf_add(b, u, 2);
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    st_buf_add(b, u, 3);
  } else {
    u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F));
    st_buf_add(b, u, 4);
  }
}

static unsigned hex4(const char *p) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
  }
  return v;
}

/* Reads a string at pos (which is '"'), decoding into out when not NULL. */
static int read_string(scan *sc, st_buf *out) {
  sc->pos++;
  while (sc->pos < sc->len) {
    char c = sc->s[sc->pos++];
    if (c == '"') return 1;
    if (c != '\\') {
      if (out) st_buf_putc(out, c);
      continue;
    }
    if (sc->pos >= sc->len) return 0;
    char e = sc->s[sc->pos++];
    if (e == 'u' && sc->pos + 4 <= sc->len) {
      unsigned cp = hex4(sc->s + sc->pos);
      sc->pos += 4;
      if (cp >= 0xD800 && cp < 0xDC00 && sc->pos + 6 <= sc->len &&
          sc->s[sc->pos] == '\\' && sc->s[sc->pos + 1] == 'u') {
        unsigned lo = hex4(sc->s + sc->pos + 2);
        sc->pos += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
      if (out) put_utf8(out, cp);
    } else if (out) {
      const char *from = "bfnrt", *to = "\b\f\n\r\t";
      const char *k = strchr(from, e);
      st_buf_putc(out, k && e ? to[k - from] : e);
    }
  }
  return 0;
}

static int skip_value(scan *sc);

static int skip_container(scan *sc, char close) {
  sc->pos++;
  if (peek(sc) == close) { sc->pos++; return 1; }
  for (;;) {
    if (close == '}') {
      if (peek(sc) != '"' || !read_string(sc, NULL)) return 0;
      if (peek(sc) != ':') return 0;
      sc->pos++;
    }
    if (!skip_value(sc)) return 0;
    int c = peek(sc);
    if (c == close) { sc->pos++; return 1; }
    if (c != ',') return 0;
    sc->pos++;
  }
}

static int skip_value(scan *sc) {
  int c = peek(sc);
  if (c == '{') return skip_container(sc, '}');
  if (c == '[') return skip_container(sc, ']');
  if (c == '"') return read_string(sc, NULL);
  if (c < 0) return 0;
  while (sc->pos < sc->len && !strchr(",}] \t\r\n", sc->s[sc->pos]))
    sc->pos++;
  return 1;
}

/* Decodes the next reference token of pointer (~1 → /, ~0 → ~). */
static const char *next_token(const char *p, st_buf *tok) {
  tok->len = 0;
  st_buf_puts(tok, "");
  p++;                                   /* the '/' */
  while (*p && *p != '/') {
    if (p[0] == '~' && p[1] == '1') { st_buf_putc(tok, '/'); p += 2; }
    else if (p[0] == '~' && p[1] == '0') { st_buf_putc(tok, '~'); p += 2; }
    else st_buf_putc(tok, *p++);
  }
  return p;
}

/* Moves sc to the member `key` of the object at sc->pos; *key_at receives
 * the offset of the member's name. */
static int find_member(scan *sc, const st_buf *key, size_t *key_at,
                       int last) {
  sc->pos++;
  st_buf k;
  st_buf_init(&k);
  int found = 0;
  size_t value_at = 0, name_at = 0;
  while (peek(sc) == '"') {
    name_at = sc->pos;
    k.len = 0;
    st_buf_puts(&k, "");
    if (!read_string(sc, &k) || peek(sc) != ':') break;
    sc->pos++;
    if (k.len == key->len && memcmp(k.data, key->data, k.len) == 0) {
      peek(sc);
      found = 1;
      value_at = sc->pos;
      *key_at = name_at;
      if (!last) break;
    }
    if (!skip_value(sc) || peek(sc) != ',') break;
    sc->pos++;
  }
  if (found) sc->pos = value_at;
  st_buf_free(&k);
  return found;
}

static int find_element(scan *sc, const char *tok) {
  char *end;
  long idx = strtol(tok, &end, 10);
  if (*tok == '\0' || *end || idx < 0) return 0;
  sc->pos++;
  if (peek(sc) == ']') return 0;
  for (long i = 0; i < idx; i++) {
    if (!skip_value(sc) || peek(sc) != ',') return 0;
    sc->pos++;
  }
  peek(sc);
  return 1;
}

/* Follows pointer; with last, the final token takes the last of repeated
 * member names (where a duplicate key is). */
static int locate(const char *text, size_t len, const char *pointer,
                  size_t *off, size_t *key_off, int last) {
  scan sc = {text, len, 0};
  if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) sc.pos = 3;  /* BOM */
  st_buf tok;
  st_buf_init(&tok);
  peek(&sc);
  *off = *key_off = sc.pos;
  const char *p = pointer;
  int ok = 1;
  while (ok && *p == '/') {
    p = next_token(p, &tok);
    int c = peek(&sc);
    size_t here = sc.pos, key_at = sc.pos;
    if (c == '{') ok = find_member(&sc, &tok, &key_at, last && *p == '\0');
    else if (c == '[') ok = find_element(&sc, tok.data);
    else ok = 0;
    *off = ok ? sc.pos : here;
    *key_off = ok && c == '{' ? key_at : *off;
  }
  st_buf_free(&tok);
  return ok;
}

int st_json_locate(const char *text, size_t len, const char *pointer,
                   size_t *off) {
  size_t key_off;
  return locate(text, len, pointer, off, &key_off, 0);
}

int st_json_locate_key(const char *text, size_t len, const char *pointer,
                       size_t *off) {
  size_t value_off;
  return locate(text, len, pointer, &value_off, off, 0);
}

int st_json_locate_dup(const char *text, size_t len, const char *pointer,
                       size_t *off) {
  size_t value_off;
  return locate(text, len, pointer, &value_off, off, 1);
}

void st_json_where(const char *path, const char *pointer, int at_key,
                   char *out, size_t outlen) {
  char err[64];
  size_t len, off;
  char *text = st_read_file(path, &len, err, sizeof err);
  if (!text) {
    snprintf(out, outlen, "%s", path);
    return;
  }
  int line, col;
  if (at_key == ST_AT_DUP) st_json_locate_dup(text, len, pointer, &off);
  else if (at_key) st_json_locate_key(text, len, pointer, &off);
  else st_json_locate(text, len, pointer, &off);
  st_line_col(text, len, off, &line, &col);
  snprintf(out, outlen, "%s:%d:%d", path, line, col);
  free(text);
}
