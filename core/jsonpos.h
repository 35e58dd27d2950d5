/*
 * jsonpos.h - where in a JSON text a JSON Pointer points.
 *
 * cJSON parses values without positions. Errors must still say FILE:LINE:COL,
 * so on the (rare) error path we scan the original text once more, following
 * the pointer token by token, and return the byte offset of the value it
 * names. The scanner only skips values; it allocates nothing but the decoded
 * key it compares. Reentrant, no globals.
 */
#ifndef ST_JSONPOS_H
#define ST_JSONPOS_H

#include <stddef.h>

/* Offset of the value `pointer` names in text (RFC 6901). When the pointer
 * goes further than the text (a missing member), the offset of the deepest
 * value that exists. Returns 1 when the whole pointer was found, else 0. */
int st_json_locate(const char *text, size_t len, const char *pointer,
                   size_t *off);

/* The same, but for a pointer whose last token is an object member, the
 * offset of that member's name rather than of its value: where an error
 * about the entry as a whole (a duplicate id) should point. */
int st_json_locate_key(const char *text, size_t len, const char *pointer,
                       size_t *off);

/* The name of the last of repeated members named by pointer's final token:
 * where a duplicate key stands. */
int st_json_locate_dup(const char *text, size_t len, const char *pointer,
                       size_t *off);

enum { ST_AT_VALUE = 0, ST_AT_KEY = 1, ST_AT_DUP = 2 };

/* Convenience: "FILE:LINE:COL" of `pointer` (of its member name when at_key is ST_AT_KEY, of
 * the last repeat of that name when ST_AT_DUP)
 * in the file at path, written into out. When the file cannot be read, just
 * "FILE". */
void st_json_where(const char *path, const char *pointer, int at_key,
                   char *out, size_t outlen);

#endif
