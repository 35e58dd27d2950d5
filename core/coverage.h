/*
 * coverage.h - line coverage of Lua files run in sandboxes (`steward test
 * --coverage`).
 *
 * A sandbox given an st_coverage adds a line hook to its count hook and
 * records, per chunk source ("@path"), which lines ran. The executable
 * lines of a file are estimated from its text (code that is not a comment,
 * a blank, or a lone closing keyword such as `end`, `else` or `}`), since
 * Lua's API shows the lines of a function only once it exists; a line that
 * ran always counts as executable.
 * Ownership: the st_coverage owns its file names and bitmaps. Threading:
 * one st_coverage per thread.
 */
#ifndef ST_COVERAGE_H
#define ST_COVERAGE_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
  char *source;              /* the chunk name as Lua gives it ("@path") */
  char *file;                /* its real path, to match however it is named */
  unsigned char *hit;        /* hit[line] for line 1..nlines */
  size_t nlines;
} st_cov_file;

typedef struct st_coverage {
  st_cov_file *v;
  size_t n, cap, last;
} st_coverage;

void st_coverage_init(st_coverage *c);
void st_coverage_free(st_coverage *c);
/* Records that line of source ran (source as Lua gives it: "@path"). */
void st_coverage_hit(st_coverage *c, const char *source, int line);

typedef struct {
  size_t covered, executable;
  char missed[256];          /* line numbers not run, as text (truncated) */
} st_cov_count;

/* Counts the lines of the file at path; reads it. */
st_cov_count st_coverage_count(const st_coverage *c, const char *path);

/* Prints "  PCT%  FILE (covered/executable lines)" for each file and a
 * total line; returns the lowest percentage (100 when there are none). */
double st_coverage_report(const st_coverage *c, char **files, size_t nfiles,
                          FILE *out);

#endif
