/*
 * testrun.h - `steward test`: run *_test.lua policy tests in the sandbox.
 *
 * Each test file runs in its own sandbox with `require "steward.test"`
 * (stdlib/steward/test.lua), which registers cases; the runner then calls
 * each case under the limits and reports `FAIL FILE:LINE: case: message`
 * for failures and `N passed, N failed` at the end. Test sandboxes also get
 * the host module steward.testing, whose check() builds a registry from an
 * inline table (or JSON text) and runs one policy file on it through a
 * session of its own (session.h: the pipeline `steward check` runs, waivers
 * included), returning the findings as plain tables. Policies never see
 * steward.testing. Single-threaded; owns nothing past a call.
 */
#ifndef ST_TESTRUN_H
#define ST_TESTRUN_H

#include <stdio.h>

typedef struct {
  const char *home;          /* holds stdlib/ (st_session_home) */
  double now;                /* default clock for t.check */
  int verbose;               /* print passing cases too */
  struct st_coverage *coverage;  /* record lines run, or NULL */
} st_testrun_opts;

typedef struct {
  size_t passed, failed;
} st_testrun_result;

/* Runs every *_test.lua under path (a file or a directory, recursively).
 * Returns ST_OK, or ST_EINPUT when path does not exist. */
int st_testrun(const char *path, const st_testrun_opts *o, FILE *out,
               st_testrun_result *res, char *err, size_t errlen);

/* Appends to *files (a growable array of *n paths, caller frees each and
 * the array) every Lua source under path that is not a test and not under
 * a testdata directory: what --coverage reports on. */
void st_testrun_sources(const char *path, char ***files, size_t *n,
                        size_t *cap);

#endif
