/* doc.c - see doc.h. */
#include "doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void st_doc_init(st_doc *d) {
  memset(d, 0, sizeof *d);
}

void st_doc_free(st_doc *d) {
  free(d->chars);
  free(d->atom_off);
  free(d->atom_len);
  free(d->hash);
  free(d->nums);
  free(d->slots);
  st_doc_init(d);
}

/* FNV-1a: short keys, good spread, no dependencies. */
static uint32_t hash_bytes(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static int atom_equals(const st_doc *d, uint32_t atom, const char *s,
                       size_t len) {
  return d->atom_len[atom] == len &&
         memcmp(d->chars + d->atom_off[atom], s, len) == 0;
}

/* A table entry packs (hash << 32) | (atom + 1); 0 is empty. Comparing the
 * stored hash first means the atom's text is touched (a cache miss) only
 * when it is almost surely the string sought. */
static size_t hash_slot(const st_doc *d, const char *s, size_t len,
                        uint32_t h) {
  size_t mask = d->hash_cap - 1;
  size_t i = h & mask;
  for (;;) {
    uint64_t e = d->hash[i];
    if (!e) return i;
    if ((uint32_t)(e >> 32) == h &&
        atom_equals(d, (uint32_t)e - 1, s, len))
      return i;
    i = (i + 1) & mask;
  }
}

static void rehash(st_doc *d) {
  size_t ncap = d->hash_cap ? d->hash_cap * 2 : 1024;
  uint64_t *old = d->hash;
  size_t oldcap = d->hash_cap;
  d->hash = st_xcalloc(ncap, sizeof *d->hash);
  d->hash_cap = ncap;
  for (size_t j = 0; j < oldcap; j++) {
    if (!old[j]) continue;
    size_t i = (uint32_t)(old[j] >> 32) & (ncap - 1);
    while (d->hash[i]) i = (i + 1) & (ncap - 1);
    d->hash[i] = old[j];
  }
  free(old);
}

uint32_t st_doc_atom_find(const st_doc *d, const char *s, size_t len) {
  if (!d->hash_cap) return ST_ATOM_NONE;
  size_t i = hash_slot(d, s, len, hash_bytes(s, len));
  return d->hash[i] ? (uint32_t)d->hash[i] - 1 : ST_ATOM_NONE;
}

uint32_t st_doc_intern(st_doc *d, const char *s, size_t len) {
  if ((d->natoms + 1) * 2 > d->hash_cap) rehash(d);
  uint32_t h = hash_bytes(s, len);
  size_t i = hash_slot(d, s, len, h);
  if (d->hash[i]) return (uint32_t)d->hash[i] - 1;
  if (d->natoms >= ST_VAL_MAX_IDX || d->nchars + len + 1 > UINT32_MAX) {
    fprintf(stderr, "steward: more strings than the store can index\n");
    abort();
  }
  st_grow((void **)&d->chars, &d->chars_cap, d->nchars + len + 1, 1);
  memcpy(d->chars + d->nchars, s, len);
  d->chars[d->nchars + len] = '\0';
  size_t cap = d->atoms_cap;
  st_grow((void **)&d->atom_off, &cap, d->natoms + 1, sizeof *d->atom_off);
  st_grow((void **)&d->atom_len, &d->atoms_cap, d->natoms + 1,
          sizeof *d->atom_len);
  d->atom_off[d->natoms] = (uint32_t)d->nchars;
  d->atom_len[d->natoms] = (uint32_t)len;
  d->nchars += len + 1;
  d->hash[i] = ((uint64_t)h << 32) | ((uint64_t)d->natoms + 1);
  return (uint32_t)d->natoms++;
}

const char *st_doc_atom_str(const st_doc *d, uint32_t atom, size_t *len) {
  if (atom >= d->natoms) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = d->atom_len[atom];
  return d->chars + d->atom_off[atom];
}

st_val st_doc_string(st_doc *d, const char *s, size_t len) {
  return ST_VAL_MAKE(ST_T_STR, st_doc_intern(d, s, len));
}

st_val st_doc_number(st_doc *d, double x) {
  if (x >= 0 && x <= ST_VAL_MAX_IDX && x == floor(x) && !signbit(x))
    return ST_VAL_MAKE(ST_T_INT, (uint32_t)x);
  st_grow((void **)&d->nums, &d->nums_cap, d->nnums + 1, sizeof *d->nums);
  d->nums[d->nnums] = x;
  return ST_VAL_MAKE(ST_T_NUM, d->nnums++);
}

/* Reserves n consecutive slots; returns the index of the first. */
static uint32_t reserve_slots(st_doc *d, size_t n) {
  if (d->nslots + n > ST_VAL_MAX_IDX) {
    fprintf(stderr, "steward: document larger than the store can index\n");
    abort();
  }
  st_grow((void **)&d->slots, &d->slots_cap, d->nslots + n,
          sizeof *d->slots);
  uint32_t first = (uint32_t)d->nslots;
  d->nslots += n;
  return first;
}

/* On a duplicate key the pointer to it is built while unwinding: each level
 * appends its token, deepest first, NUL-separated, and st_doc_import joins
 * them in reverse. Nothing is spent on paths when the document is valid. */
static void token_push(st_buf *tokens, const char *token) {
  st_buf_add(tokens, token, strlen(token) + 1);
}

static int import_value(st_doc *d, const cJSON *j, st_val *out,
                        st_buf *tokens);

/* Duplicate keys are rejected: JSON leaves their meaning open, and a
 * registry that says two things about one field is a mistake to report. */
static int has_key_before(const st_doc *d, uint32_t base, uint32_t n,
                          uint32_t key) {
  for (uint32_t i = 0; i < n; i++)
    if (d->slots[base + 1 + 2 * i] == key) return 1;
  return 0;
}

/* For large objects (a registry section of thousands of ids) a set of the
 * keys seen replaces the pairwise scan, which would be quadratic. Keys are
 * atoms, so the set holds integers. Returns 1 when key was already in. */
static int key_set_add(uint32_t *set, size_t cap, uint32_t key) {
  size_t i = (key * 2654435761u) & (cap - 1);
  while (set[i]) {
    if (set[i] == key + 1) return 1;
    i = (i + 1) & (cap - 1);
  }
  set[i] = key + 1;
  return 0;
}

static int import_object(st_doc *d, const cJSON *j, st_val *out,
                         st_buf *tokens) {
  uint32_t n = 0;
  for (const cJSON *c = j->child; c; c = c->next) n++;
  uint32_t base = reserve_slots(d, 1 + 2 * (size_t)n);
  d->slots[base] = n;
  size_t cap = 0;
  uint32_t *seen = NULL;
  if (n > 16) {
    for (cap = 64; cap < 2 * (size_t)n; cap *= 2) {}
    seen = st_xcalloc(cap, sizeof *seen);
  }
  uint32_t i = 0;
  for (const cJSON *c = j->child; c; c = c->next, i++) {
    const char *k = c->string ? c->string : "";
    uint32_t key = st_doc_intern(d, k, strlen(k));
    int dup = seen ? key_set_add(seen, cap, key) :
              has_key_before(d, base, i, key);
    st_val v;
    int rc = dup ? ST_EINPUT : import_value(d, c, &v, tokens);
    if (rc) {
      token_push(tokens, k);
      free(seen);
      return rc;
    }
    d->slots[base + 1 + 2 * i] = key;
    d->slots[base + 2 + 2 * i] = v;
  }
  free(seen);
  *out = ST_VAL_MAKE(ST_T_OBJ, base);
  return ST_OK;
}

static int import_array(st_doc *d, const cJSON *j, st_val *out,
                        st_buf *tokens) {
  uint32_t n = 0;
  for (const cJSON *c = j->child; c; c = c->next) n++;
  uint32_t base = reserve_slots(d, 1 + (size_t)n);
  d->slots[base] = n;
  uint32_t i = 0;
  for (const cJSON *c = j->child; c; c = c->next, i++) {
    st_val v;
    int rc = import_value(d, c, &v, tokens);
    if (rc) {
      char index[16];
      snprintf(index, sizeof index, "%u", i);
      token_push(tokens, index);
      return rc;
    }
    d->slots[base + 1 + i] = v;
  }
  *out = ST_VAL_MAKE(ST_T_ARR, base);
  return ST_OK;
}

static int import_value(st_doc *d, const cJSON *j, st_val *out,
                        st_buf *tokens) {
  if (cJSON_IsObject(j)) return import_object(d, j, out, tokens);
  if (cJSON_IsArray(j)) return import_array(d, j, out, tokens);
  if (cJSON_IsString(j)) {
    *out = st_doc_string(d, j->valuestring, strlen(j->valuestring));
  } else if (cJSON_IsNumber(j)) {
    *out = st_doc_number(d, j->valuedouble);
  } else if (cJSON_IsTrue(j)) {
    *out = ST_VAL_MAKE(ST_T_TRUE, 0);
  } else if (cJSON_IsFalse(j)) {
    *out = ST_VAL_MAKE(ST_T_FALSE, 0);
  } else {
    *out = ST_VAL_NULL;
  }
  return ST_OK;
}

int st_doc_import(st_doc *d, const cJSON *j, st_val *out, st_buf *where) {
  st_buf tokens;
  st_buf_init(&tokens);
  int rc = import_value(d, j, out, &tokens);
  if (rc && where) {
    st_buf_puts(where, "");
    size_t end = tokens.len;
    while (end > 0) {           /* tokens were pushed deepest first */
      size_t start = end - 1;
      while (start > 0 && tokens.data[start - 1] != '\0') start--;
      st_buf_pointer_token(where, tokens.data + start);
      end = start;
    }
  }
  st_buf_free(&tokens);
  return rc;
}

const char *st_doc_str(const st_doc *d, st_val v, size_t *len) {
  if (ST_VAL_TAG(v) != ST_T_STR) {
    if (len) *len = 0;
    return NULL;
  }
  return st_doc_atom_str(d, ST_VAL_IDX(v), len);
}

uint32_t st_doc_str_atom(st_val v) {
  return ST_VAL_TAG(v) == ST_T_STR ? ST_VAL_IDX(v) : ST_ATOM_NONE;
}

int st_doc_is_num(st_val v) {
  return ST_VAL_TAG(v) == ST_T_INT || ST_VAL_TAG(v) == ST_T_NUM;
}

double st_doc_num(const st_doc *d, st_val v) {
  if (ST_VAL_TAG(v) == ST_T_INT) return (double)ST_VAL_IDX(v);
  if (ST_VAL_TAG(v) == ST_T_NUM) return d->nums[ST_VAL_IDX(v)];
  return 0;
}

uint32_t st_doc_len(const st_doc *d, st_val v) {
  unsigned t = ST_VAL_TAG(v);
  if (t != ST_T_ARR && t != ST_T_OBJ) return 0;
  return d->slots[ST_VAL_IDX(v)];
}

st_val st_doc_at(const st_doc *d, st_val arr, uint32_t i) {
  if (ST_VAL_TAG(arr) != ST_T_ARR || i >= d->slots[ST_VAL_IDX(arr)])
    return ST_VAL_ABSENT;
  return d->slots[ST_VAL_IDX(arr) + 1 + i];
}

st_val st_doc_get(const st_doc *d, st_val obj, uint32_t key_atom) {
  if (ST_VAL_TAG(obj) != ST_T_OBJ || key_atom == ST_ATOM_NONE)
    return ST_VAL_ABSENT;
  uint32_t base = ST_VAL_IDX(obj), n = d->slots[base];
  const uint32_t *kv = d->slots + base + 1;
  for (uint32_t i = 0; i < n; i++)
    if (kv[2 * i] == key_atom) return kv[2 * i + 1];
  return ST_VAL_ABSENT;
}

st_val st_doc_getk(const st_doc *d, st_val obj, const char *key) {
  return st_doc_get(d, obj, st_doc_atom_find(d, key, strlen(key)));
}

uint32_t st_doc_key_at(const st_doc *d, st_val obj, uint32_t i) {
  if (ST_VAL_TAG(obj) != ST_T_OBJ || i >= d->slots[ST_VAL_IDX(obj)])
    return ST_ATOM_NONE;
  return d->slots[ST_VAL_IDX(obj) + 1 + 2 * i];
}

st_val st_doc_val_at(const st_doc *d, st_val obj, uint32_t i) {
  if (ST_VAL_TAG(obj) != ST_T_OBJ || i >= d->slots[ST_VAL_IDX(obj)])
    return ST_VAL_ABSENT;
  return d->slots[ST_VAL_IDX(obj) + 2 + 2 * i];
}

cJSON *st_doc_export(const st_doc *d, st_val v) {
  switch (ST_VAL_TAG(v)) {
  case ST_T_FALSE: return cJSON_CreateFalse();
  case ST_T_TRUE: return cJSON_CreateTrue();
  case ST_T_INT:
  case ST_T_NUM: return cJSON_CreateNumber(st_doc_num(d, v));
  case ST_T_STR: return cJSON_CreateString(st_doc_str(d, v, NULL));
  case ST_T_ARR: {
    cJSON *a = cJSON_CreateArray();
    for (uint32_t i = 0; i < st_doc_len(d, v); i++)
      cJSON_AddItemToArray(a, st_doc_export(d, st_doc_at(d, v, i)));
    return a;
  }
  case ST_T_OBJ: {
    cJSON *o = cJSON_CreateObject();
    for (uint32_t i = 0; i < st_doc_len(d, v); i++)
      cJSON_AddItemToObject(o, st_doc_atom_str(d, st_doc_key_at(d, v, i), NULL),
                            st_doc_export(d, st_doc_val_at(d, v, i)));
    return o;
  }
  default: return cJSON_CreateNull();
  }
}

size_t st_doc_bytes(const st_doc *d) {
  return d->chars_cap + d->atoms_cap * 8 + d->hash_cap * 8 +
         d->nums_cap * sizeof(double) + d->slots_cap * 4;
}
