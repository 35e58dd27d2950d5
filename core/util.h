/*
 * util.h - host memory, growable buffers and error messages shared by every
 * module.
 *
 * Host allocations go through st_xmalloc/st_xrealloc/st_xstrdup, which abort
 * the process in one place when the machine is out of memory: steward cannot
 * do anything useful then, and checking every small allocation would hide the
 * logic. Lua's memory is separate and capped (see sandbox.h).
 *
 * Errors: a function that can fail returns ST_OK or a negative ST_E* code and
 * writes a one-line message into the caller's buffer (char *err, size_t
 * errlen). Input errors carry "FILE:LINE:COL: what" so that the CLI can print
 * `steward: ` in front and exit 2.
 *
 * Threading: everything here is reentrant; no globals.
 */
#ifndef ST_UTIL_H
#define ST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum {
  ST_OK = 0,
  ST_EINPUT = -1,   /* bad input: the user must fix a file or an argument */
  ST_ERUN = -2,     /* a policy failed to run */
  ST_EIO = -3       /* a file could not be read or written */
};

#define ST_ERRLEN 1024

/* Allocate or die. Returned memory is the caller's: free with free(). */
void *st_xmalloc(size_t n);
void *st_xcalloc(size_t count, size_t size);
void *st_xrealloc(void *p, size_t n);
char *st_xstrdup(const char *s);
char *st_xstrndup(const char *s, size_t n);

/* Grows *arr (of *cap elements of size elem) so that it holds at least need
 * elements; doubles to keep appends amortised O(1). */
void st_grow(void **arr, size_t *cap, size_t need, size_t elem);

/* Writes a formatted message into err (always NUL-terminated, truncated to
 * errlen). Returns `code` so callers can `return st_errf(...)`. */
int st_errf(char *err, size_t errlen, int code, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));

/* A growable byte buffer, always NUL-terminated. Owns its data: release with
 * st_buf_free, or take it with st_buf_take (then free() it yourself). */
typedef struct {
  char *data;
  size_t len, cap;
} st_buf;

void st_buf_init(st_buf *b);
void st_buf_add(st_buf *b, const char *s, size_t n);
void st_buf_puts(st_buf *b, const char *s);
void st_buf_putc(st_buf *b, char c);
void st_buf_printf(st_buf *b, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
char *st_buf_take(st_buf *b);
void st_buf_free(st_buf *b);

/* Appends "/token" with RFC 6901 escaping (~ → ~0, / → ~1). */
void st_buf_pointer_token(st_buf *b, const char *token);

/* Reads a whole file. Returns a NUL-terminated buffer the caller frees and
 * its length in *len, or NULL with err filled ("PATH: reason"). */
char *st_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* The entries of a directory except those starting with '.', as
 * "dir/name" paths in name order. The caller frees each and the array;
 * *count is 0 (and the array may be NULL) when dir cannot be read. */
char **st_list_dir(const char *dir, size_t *count);

int st_ends_with(const char *s, const char *suffix);

/* Parses JSON text of len bytes with cJSON, requiring nothing but white
 * space after the value. Returns the tree (caller frees with cJSON_Delete),
 * or NULL with *error_at set to the byte offset of the problem: where the
 * text stops making sense, len when it ends too early, and the first
 * non-space byte after the value when something follows it. */
struct cJSON *st_json_parse(const char *text, size_t len, size_t *error_at,
                            int *trailing);

/* st_json_parse with its error said for a user: NULL with err
 * "NAME:LINE:COL: malformed JSON" (": text after the document" when that is
 * the trouble). Caller frees the tree with cJSON_Delete. */
struct cJSON *st_json_parse_named(const char *name, const char *text,
                                  size_t len, char *err, size_t errlen);

/* "a/b"; caller frees. */
char *st_path_join(const char *a, const char *b);

/* Seconds on the monotonic clock (for deadlines and durations). */
double st_mono_now(void);

/* Line and column (both from 1, column in bytes) of byte offset `off`. */
void st_line_col(const char *text, size_t len, size_t off, int *line, int *col);

#endif
