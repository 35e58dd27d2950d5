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

/* Convenience: "FILE:LINE:COL" of `pointer` in the file at path, written into
 * out. When the file cannot be read, just "FILE". */
void st_json_where(const char *path, const char *pointer, char *out,
                   size_t outlen);

#endif
