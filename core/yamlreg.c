/* yamlreg.c - see yamlreg.h. libyaml does the parsing (its event API);
 * this file only turns events into cJSON, resolves plain scalars, bounds
 * aliases and remembers where every value stood. */
#include "yamlreg.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util.h"

typedef struct {
  char *pointer;
  int vline, vcol;           /* the value */
  int kline, kcol;           /* its member name (= the value for items) */
} pos_entry;

struct st_yaml_pos {
  pos_entry *v;
  size_t n, cap;
};

typedef struct {
  char *name;
  const cJSON *node;         /* in the tree being built */
  size_t size;               /* nodes under it, itself included */
} anchor;

typedef struct {
  yaml_parser_t p;
  const char *name;
  char *err;
  size_t errlen;
  size_t nodes;              /* made so far, alias copies included */
  anchor *anchors;
  size_t nanchors, anchors_cap;
  st_yaml_pos *pos;
  st_buf path;               /* the pointer of the node being built */
  int failed;
} yctx;

/* {=== Errors and positions ============================================= */

static cJSON *fail(yctx *y, const yaml_mark_t *m, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static cJSON *fail(yctx *y, const yaml_mark_t *m, const char *fmt, ...) {
  if (y->failed) return NULL;
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  st_errf(y->err, y->errlen, ST_EINPUT, "%s:%zu:%zu: %s", y->name,
          m->line + 1, m->column + 1, what);
  y->failed = 1;
  return NULL;
}

static void remember(yctx *y, const yaml_mark_t *value,
                     const yaml_mark_t *key) {
  st_yaml_pos *p = y->pos;
  st_grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v);
  p->v[p->n++] = (pos_entry){st_xstrdup(y->path.data ? y->path.data : ""),
                             (int)value->line + 1, (int)value->column + 1,
                             (int)key->line + 1, (int)key->column + 1};
}

/* The next event; 0 after reporting libyaml's own error. */
static int next(yctx *y, yaml_event_t *e) {
  if (yaml_parser_parse(&y->p, e)) return 1;
  yaml_mark_t m = y->p.problem_mark;
  fail(y, &m, "malformed YAML: %s%s%s", y->p.problem ? y->p.problem : "?",
       y->p.context ? " " : "", y->p.context ? y->p.context : "");
  return 0;
}

/* }=== */

/* {=== Scalars ========================================================== */

static int any_of(const char *s, const char *const *words) {
  for (; *words; words++)
    if (!strcmp(s, *words)) return 1;
  return 0;
}

/* A number by the core schema's rules (decimal, 0o, 0x, floats, .inf,
 * .nan), into *out; 0 when s is not one. */
static int plain_number(const char *s, double *out) {
  static const char *const inf[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf",
                                    "+.INF", NULL};
  static const char *const ninf[] = {"-.inf", "-.Inf", "-.INF", NULL};
  if (any_of(s, inf) || any_of(s, ninf)) return 0;   /* not JSON numbers */
  char *end;
  errno = 0;
  if (!strncmp(s, "0o", 2) && s[2]) {
    *out = (double)strtoull(s + 2, &end, 8);
    return !*end && !errno;
  }
  if (!strncmp(s, "0x", 2) && s[2]) {
    *out = (double)strtoull(s + 2, &end, 16);
    return !*end && !errno;
  }
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, digits = 0;
  for (size_t k = i; s[k]; k++) {
    if (s[k] >= '0' && s[k] <= '9') digits++;
    else if (!strchr(".eE+-", s[k])) return 0;
  }
  if (!digits) return 0;
  *out = strtod(s, &end);
  return !*end && isfinite(*out);
}

/* A plain scalar as the core schema resolves it. */
static cJSON *plain(const char *s) {
  static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
  static const char *const yes[] = {"true", "True", "TRUE", NULL};
  static const char *const no[] = {"false", "False", "FALSE", NULL};
  double x;
  if (any_of(s, nulls)) return cJSON_CreateNull();
  if (any_of(s, yes)) return cJSON_CreateTrue();
  if (any_of(s, no)) return cJSON_CreateFalse();
  if (plain_number(s, &x)) return cJSON_CreateNumber(x);
  return cJSON_CreateString(s);
}

static cJSON *scalar(yctx *y, const yaml_event_t *e) {
  const char *v = (const char *)e->data.scalar.value;
  const char *tag = (const char *)e->data.scalar.tag;
  if (strlen(v) != e->data.scalar.length)
    return fail(y, &e->start_mark, "a scalar holds a NUL byte");
  if (tag && !strcmp(tag, YAML_STR_TAG)) return cJSON_CreateString(v);
  if (tag && strcmp(tag, YAML_NULL_TAG) && strcmp(tag, YAML_BOOL_TAG) &&
      strcmp(tag, YAML_INT_TAG) && strcmp(tag, YAML_FLOAT_TAG))
    return fail(y, &e->start_mark, "unsupported tag '%s'", tag);
  if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE && !tag)
    return cJSON_CreateString(v);
  return plain(v);
}

/* }=== */

/* {=== Nodes ============================================================ */

static cJSON *node(yctx *y, yaml_event_t *e, int depth, size_t *size);

/* One path token pushed for the duration of a child; returns the mark. */
static size_t push_token(yctx *y, const char *key, size_t index) {
  size_t mark = y->path.len;
  if (key) st_buf_pointer_token(&y->path, key);
  else st_buf_printf(&y->path, "/%zu", index);
  return mark;
}

static void pop_token(yctx *y, size_t mark) {
  y->path.len = mark;
  y->path.data[mark] = '\0';
}

static cJSON *sequence(yctx *y, int depth, size_t *size) {
  cJSON *arr = cJSON_CreateArray();
  yaml_event_t e;
  for (size_t i = 0; next(y, &e); i++) {
    if (e.type == YAML_SEQUENCE_END_EVENT) {
      yaml_event_delete(&e);
      return arr;
    }
    size_t mark = push_token(y, NULL, i), sub = 0;
    remember(y, &e.start_mark, &e.start_mark);
    cJSON *item = node(y, &e, depth + 1, &sub);
    pop_token(y, mark);
    if (!item) break;
    cJSON_AddItemToArray(arr, item);
    *size += sub;
  }
  cJSON_Delete(arr);
  return NULL;
}

/* The value after a key event k (consumed). */
static int member(yctx *y, cJSON *obj, yaml_event_t *k, int depth,
                  size_t *size) {
  if (k->type != YAML_SCALAR_EVENT) {
    fail(y, &k->start_mark, "a mapping key must be a plain string");
    return 0;
  }
  const char *key = (const char *)k->data.scalar.value;
  if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
    fail(y, &k->start_mark, "duplicate key '%s'", key);
    return 0;
  }
  yaml_mark_t km = k->start_mark;
  char *name = st_xstrdup(key);
  yaml_event_t v;
  int ok = next(y, &v);
  if (ok) {
    size_t mark = push_token(y, name, 0), sub = 0;
    remember(y, &v.start_mark, &km);
    cJSON *val = node(y, &v, depth + 1, &sub);
    pop_token(y, mark);
    if ((ok = val != NULL)) {
      cJSON_AddItemToObject(obj, name, val);
      *size += sub;
    }
  }
  free(name);
  return ok;
}

static cJSON *mapping(yctx *y, int depth, size_t *size) {
  cJSON *obj = cJSON_CreateObject();
  yaml_event_t k;
  while (next(y, &k)) {
    if (k.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&k);
      return obj;
    }
    int ok = member(y, obj, &k, depth, size);
    yaml_event_delete(&k);
    if (!ok) break;
  }
  cJSON_Delete(obj);
  return NULL;
}

/* A copy of an anchored node, within the budget. */
static cJSON *alias(yctx *y, const yaml_event_t *e, size_t *size) {
  const char *name = (const char *)e->data.alias.anchor;
  for (size_t i = y->nanchors; i-- > 0;) {
    const anchor *a = &y->anchors[i];
    if (strcmp(a->name, name)) continue;
    if (y->nodes + a->size > ST_YAML_MAX_NODES)
      return fail(y, &e->start_mark, "alias '*%s' would expand the document "
                  "past %d nodes", name, ST_YAML_MAX_NODES);
    y->nodes += a->size;
    *size = a->size;
    return cJSON_Duplicate(a->node, 1);
  }
  return fail(y, &e->start_mark, "unknown alias '*%s'", name);
}

static void add_anchor(yctx *y, const yaml_char_t *name, const cJSON *n,
                       size_t size) {
  if (!name) return;
  st_grow((void **)&y->anchors, &y->anchors_cap, y->nanchors + 1,
          sizeof *y->anchors);
  y->anchors[y->nanchors++] = (anchor){st_xstrdup((const char *)name), n,
                                       size};
}

/* The node that starts with event e (which this consumes), with *size the
 * nodes it holds. */
static cJSON *node(yctx *y, yaml_event_t *e, int depth, size_t *size) {
  cJSON *out = NULL;
  *size = 1;
  if (depth > ST_YAML_MAX_DEPTH) {
    out = fail(y, &e->start_mark, "nested deeper than %d levels",
               ST_YAML_MAX_DEPTH);
  } else if (++y->nodes > ST_YAML_MAX_NODES) {
    out = fail(y, &e->start_mark, "more than %d nodes", ST_YAML_MAX_NODES);
  } else if (e->type == YAML_SCALAR_EVENT) {
    out = scalar(y, e);
    if (out) add_anchor(y, e->data.scalar.anchor, out, 1);
  } else if (e->type == YAML_SEQUENCE_START_EVENT) {
    out = sequence(y, depth, size);
    if (out) add_anchor(y, e->data.sequence_start.anchor, out, *size);
  } else if (e->type == YAML_MAPPING_START_EVENT) {
    out = mapping(y, depth, size);
    if (out) add_anchor(y, e->data.mapping_start.anchor, out, *size);
  } else if (e->type == YAML_ALIAS_EVENT) {
    out = alias(y, e, size);
  } else {
    out = fail(y, &e->start_mark, "unexpected YAML event");
  }
  yaml_event_delete(e);
  return out;
}

/* }=== */

static int entry_cmp(const void *a, const void *b) {
  return strcmp(((const pos_entry *)a)->pointer,
                ((const pos_entry *)b)->pointer);
}

/* {=== The document ===================================================== */

/* Skips to the first event of the document's root, or fails. */
static int document_start(yctx *y, yaml_event_t *e) {
  if (!next(y, e)) return 0;                    /* STREAM-START */
  yaml_event_delete(e);
  if (!next(y, e)) return 0;
  if (e->type == YAML_STREAM_END_EVENT) {
    fail(y, &e->start_mark, "empty file");
    yaml_event_delete(e);
    return 0;
  }
  yaml_event_delete(e);                         /* DOCUMENT-START */
  return next(y, e);
}

/* After the root: the document ends and no other begins. */
static int document_end(yctx *y) {
  yaml_event_t e;
  if (!next(y, &e)) return 0;                   /* DOCUMENT-END */
  yaml_event_delete(&e);
  if (!next(y, &e)) return 0;
  int ok = e.type == YAML_STREAM_END_EVENT;
  if (!ok) fail(y, &e.start_mark, "one YAML document per registry file");
  yaml_event_delete(&e);
  return ok;
}

static void ctx_free(yctx *y) {
  for (size_t i = 0; i < y->nanchors; i++) free(y->anchors[i].name);
  free(y->anchors);
  st_buf_free(&y->path);
  yaml_parser_delete(&y->p);
}

cJSON *st_yaml_parse(const char *name, const char *text, size_t len,
                     st_yaml_pos **pos, char *err, size_t errlen) {
  yctx y;
  memset(&y, 0, sizeof y);
  y.name = name;
  y.err = err;
  y.errlen = errlen;
  y.pos = st_xcalloc(1, sizeof *y.pos);
  st_buf_init(&y.path);
  yaml_parser_initialize(&y.p);
  yaml_parser_set_input_string(&y.p, (const unsigned char *)text, len);
  yaml_event_t e;
  cJSON *root = NULL;
  if (document_start(&y, &e)) {
    remember(&y, &e.start_mark, &e.start_mark);
    size_t size;
    root = node(&y, &e, 0, &size);
    if (root && !document_end(&y)) {
      cJSON_Delete(root);
      root = NULL;
    }
  }
  ctx_free(&y);
  if (!root) {
    st_yaml_pos_free(y.pos);
    y.pos = NULL;
  } else if (y.pos->n > 1) {
    qsort(y.pos->v, y.pos->n, sizeof *y.pos->v, entry_cmp);
  }
  *pos = y.pos;
  return root;
}

/* }=== */


static const pos_entry *find(const st_yaml_pos *p, const char *pointer) {
  pos_entry key = {(char *)pointer, 0, 0, 0, 0};
  return bsearch(&key, p->v, p->n, sizeof *p->v, entry_cmp);
}

void st_yaml_where(const st_yaml_pos *p, const char *pointer, int at_key,
                   int *line, int *col) {
  char *ptr = st_xstrdup(pointer);
  const pos_entry *e;
  int exact = 1;
  while (!(e = find(p, ptr)) && *ptr) {
    *strrchr(ptr, '/') = '\0';           /* the deepest that exists */
    exact = 0;
  }
  free(ptr);
  *line = e ? (at_key && exact ? e->kline : e->vline) : 1;
  *col = e ? (at_key && exact ? e->kcol : e->vcol) : 1;
}

void st_yaml_pos_free(st_yaml_pos *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) free(p->v[i].pointer);
  free(p->v);
  free(p);
}

int st_yaml_is_yaml_name(const char *path) {
  return st_ends_with(path, ".yaml") || st_ends_with(path, ".yml");
}
