/*
 * patch.h - change sets: RFC 7386 JSON Merge Patch, RFC 6902 JSON Patch and
 * the RFC 6901 JSON Pointers they address, on cJSON trees.
 *
 * `steward impact` applies a proposed change to a registry before comparing
 * findings; this module is that step. cJSON_Utils is not packaged with
 * Debian's cJSON, so the logic lives here.
 *
 * Ownership: the document (*doc) belongs to the caller, and stays the
 * caller's after a call; a function that replaces the root frees the old one
 * and stores the new one in *doc. Patches, operations and pointers are only
 * read. st_pointer_get returns a borrowed item that lives as long as the
 * tree it came from is not modified or freed.
 *
 * All-or-nothing: st_patch_apply and st_patch_json work on a duplicate and
 * swap it in only when every operation succeeded, so a failure leaves *doc
 * byte-identical (same root pointer, same contents).
 *
 * Threading: pure functions of their arguments with no globals of their own;
 * calls on different trees may run concurrently. Allocation goes through
 * cJSON's hooks (cJSON_InitHooks), which are process-wide.
 *
 * Duplicate member names (cJSON keeps them): in a document or a merge patch
 * the first is the member and later ones are shadowed. Writing or removing
 * a member (add, replace, remove, move, merge) also deletes its shadowed
 * copies, so the result reads the same to any JSON parser. In a JSON Patch
 * operation object a repeated "op", "path", "from" or "value" is an error,
 * as RFC 6902 A.13 asks.
 */
#ifndef ST_PATCH_H
#define ST_PATCH_H

#include <cJSON.h>
#include <stddef.h>

/* Applies a change set to *doc. A JSON object is an RFC 7386 JSON Merge
 * Patch; a JSON array is an RFC 6902 JSON Patch; anything else is an error.
 * All-or-nothing: on error *doc is left exactly as it was. On success *doc
 * may point to a new root (a patch may replace the root); the old root has
 * then been freed.
 * Returns 0, or -1 with err filled (when err is not NULL): for JSON Patch
 * "operation N (OP) at PATH: what is wrong" (N counts from 0; PATH as
 * written in the patch, `""` when empty; OP or PATH is `?` when that member
 * is missing or not a string), for merge patch "merge patch: what". */
int st_patch_apply(cJSON **doc, const cJSON *change, char *err, size_t errlen);

/* RFC 7386 merge of `merge` into *doc; any JSON value is a valid merge
 * patch (a non-object replaces the document). *doc may be NULL, meaning no
 * document yet. Returns 0, or -1 only when out of memory (or doc or merge is
 * NULL), in which case *doc is unchanged. */
int st_patch_merge(cJSON **doc, const cJSON *merge);

/* RFC 6902 JSON Patch: ops must be an array of operation objects, applied in
 * order, all-or-nothing. Errors as for st_patch_apply. */
int st_patch_json(cJSON **doc, const cJSON *ops, char *err, size_t errlen);

/* JSON value equality as RFC 6902 "test" defines it: same type; numbers
 * equal by value (1 and 1.0 are equal; compared as doubles); strings equal
 * byte for byte; arrays equal element by element; objects with the same
 * member names (first occurrences) and equal values, in any order.
 * Returns 1 when equal, 0 otherwise (NULL equals only NULL). */
int st_patch_equal(const cJSON *a, const cJSON *b);

/* RFC 6901: resolves pointer in doc; returns the item or NULL (also for a
 * malformed pointer, an array index with a leading zero, or "-").
 * "" is the whole document. Borrowed. */
cJSON *st_pointer_get(const cJSON *doc, const char *pointer);

/* Appends one reference token to the NUL-terminated pointer in buf: a "/"
 * then the token escaped (~ becomes ~0, / becomes ~1), so that
 * "" + "a/b" + "c~d" gives "/a~1b/c~0d". Returns 0, or -1 when the result
 * (with its NUL) would not fit in cap bytes; buf is then unchanged.
 * Used to build pointers for error messages and findings. */
int st_pointer_append(char *buf, size_t cap, const char *token);

#endif
