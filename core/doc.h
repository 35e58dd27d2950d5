/*
 * doc.h - the compact, read-only JSON document store.
 *
 * The registry and the observations are held once, in C, in this store; every
 * policy's Lua state reads them through views (lgraph.h) instead of copies.
 * A value is a 32-bit handle (st_val): 3 tag bits and a 29-bit payload. Small
 * non-negative integers live in the handle itself; other numbers index a
 * double array; strings are interned atoms (so the thousands of repeats of an
 * id cost 4 bytes each); arrays and objects index a slot array laid out as
 * [count, v0, v1, ...] or [count, key0, val0, key1, val1, ...] with keys as
 * atoms. An object member costs 8 bytes, an array element 4, which keeps a
 * registry at about its JSON size in memory.
 *
 * Ownership: an st_doc owns everything it holds; handles are plain integers
 * valid until st_doc_free. Strings returned by st_doc_str are borrowed.
 * Threading: building is single-threaded; once built, any number of threads
 * may read a doc concurrently (no reader mutates it).
 */
#ifndef ST_DOC_H
#define ST_DOC_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "util.h"

typedef uint32_t st_val;

enum {
  ST_T_NULL, ST_T_FALSE, ST_T_TRUE, ST_T_INT, ST_T_NUM, ST_T_STR, ST_T_ARR,
  ST_T_OBJ
};

#define ST_VAL_TAG(v) ((unsigned)((v) & 7u))
#define ST_VAL_IDX(v) ((uint32_t)(v) >> 3)
#define ST_VAL_MAKE(tag, idx) ((st_val)(((uint32_t)(idx) << 3) | (unsigned)(tag)))
#define ST_VAL_NULL ST_VAL_MAKE(ST_T_NULL, 0)
/* "No such member": distinct from a JSON null. */
#define ST_VAL_ABSENT ST_VAL_MAKE(ST_T_NULL, 1)
#define ST_VAL_MAX_IDX ((1u << 29) - 1)
#define ST_ATOM_NONE UINT32_MAX

typedef struct st_doc {
  char *chars;                 /* atom text, each NUL-terminated */
  size_t nchars, chars_cap;
  uint32_t *atom_off, *atom_len;
  size_t natoms, atoms_cap;
  uint64_t *hash;              /* open addressing: hash << 32 | atom + 1 */
  size_t hash_cap;
  double *nums;
  size_t nnums, nums_cap;
  uint32_t *slots;
  size_t nslots, slots_cap;
} st_doc;

void st_doc_init(st_doc *d);
void st_doc_free(st_doc *d);

/* Interns a string; returns its atom. */
uint32_t st_doc_intern(st_doc *d, const char *s, size_t len);
/* The atom of a string already interned, or ST_ATOM_NONE. */
uint32_t st_doc_atom_find(const st_doc *d, const char *s, size_t len);
/* Borrowed text of an atom (NUL-terminated); *len if len is not NULL. */
const char *st_doc_atom_str(const st_doc *d, uint32_t atom, size_t *len);

/* Copies a cJSON tree into the store. Returns ST_OK, or ST_EINPUT when an
 * object repeats a key; `where` (may be NULL) then receives the JSON Pointer,
 * relative to j, of the repeated member. */
int st_doc_import(st_doc *d, const cJSON *j, st_val *out, st_buf *where);

/* Builders for values that do not come from cJSON. */
st_val st_doc_string(st_doc *d, const char *s, size_t len);
st_val st_doc_number(st_doc *d, double x);

/* Readers. Each takes any value and answers sensibly for the wrong type
 * (NULL, 0, ST_VAL_ABSENT), so callers check types only where it matters. */
const char *st_doc_str(const st_doc *d, st_val v, size_t *len);
uint32_t st_doc_str_atom(st_val v);       /* ST_ATOM_NONE unless a string */
double st_doc_num(const st_doc *d, st_val v);
int st_doc_is_num(st_val v);
uint32_t st_doc_len(const st_doc *d, st_val v);  /* array or object size */
st_val st_doc_at(const st_doc *d, st_val arr, uint32_t i);        /* 0-based */
st_val st_doc_get(const st_doc *d, st_val obj, uint32_t key_atom);
st_val st_doc_getk(const st_doc *d, st_val obj, const char *key);
uint32_t st_doc_key_at(const st_doc *d, st_val obj, uint32_t i);
st_val st_doc_val_at(const st_doc *d, st_val obj, uint32_t i);

/* A new cJSON tree equal to v; the caller frees it with cJSON_Delete. */
cJSON *st_doc_export(const st_doc *d, st_val v);

/* Bytes the store holds (for measurements). */
size_t st_doc_bytes(const st_doc *d);

#endif
