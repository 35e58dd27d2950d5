/*
 * bench_store.c - st_store_obs_add against raw SQLite inserts of the same
 * rows with the same durability (WAL, synchronous=FULL, one transaction
 * per batch, one reused prepared statement, the same table and index).
 *
 * Two baselines: "raw" writes the store's own obs table (its (subject, at)
 * index included), so the ratio is what the store's code costs; "bare"
 * writes a table with no secondary index, so the ratio also shows what
 * that index costs (with rows of many subjects a batch dirties a leaf page
 * per subject).
 *
 * Usage: bench_store DIR [BATCHES [ROWS]] (default 40 batches of 1000).
 * DIR must be on the disk the daemon would use (not tmpfs: there fsync is
 * free and the figure means nothing). Batches rotate between the three
 * (each in its own file), so all see the same disk at the same moment;
 * prints the median batch time of each and the store's speed as a ratio
 * of each baseline. Without and with an idempotency key, the two ways the
 * daemon ingests.
 *
 * Memory: everything allocated is freed before exit. Single-threaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store.h"
#include "util.h"

typedef struct {
  char **lines;
  st_store_obs *v;
  size_t n;
} batch;

/* Rows like a monitoring feed: a metric per model, about 110 bytes. */
static void make_batch(batch *b, size_t n, int seq) {
  static char subjects[64][32];
  b->n = n;
  b->lines = st_xmalloc(n * sizeof *b->lines);
  b->v = st_xcalloc(n, sizeof *b->v);
  for (size_t i = 0; i < n; i++) {
    int m = (int)(i % 64);
    snprintf(subjects[m], sizeof subjects[m], "model-%02d", m);
    b->lines[i] = st_xmalloc(160);
    snprintf(b->lines[i], 160, "{\"at\":\"2026-11-%02dT%02d:%02d:00Z\","
             "\"subject\":\"%s\",\"metric\":\"psi\",\"value\":0.%04zu}",
             1 + seq % 28, (int)(i / 60) % 24, (int)(i % 60), subjects[m],
             i);
    b->v[i] = (st_store_obs){b->lines[i], strlen(b->lines[i]),
                             1793491200.0 + (double)(seq * 86400) +
                             (double)i, subjects[m], NULL, "psi"};
  }
}

static void free_batch(batch *b) {
  for (size_t i = 0; i < b->n; i++) free(b->lines[i]);
  free(b->lines);
  free(b->v);
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const char *why) {
  fprintf(stderr, "bench_store: %s: %s\n", what, why);
  exit(1);
}

/* A baseline: the store's obs table written directly, with its index or
 * (bare) without. */
static sqlite3 *raw_open(const char *path, int bare, sqlite3_stmt **ins) {
  sqlite3 *db;
  remove(path);
  if (sqlite3_open(path, &db) != SQLITE_OK) die(path, sqlite3_errmsg(db));
  const char *setup =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
    "CREATE TABLE obs(id INTEGER PRIMARY KEY, at REAL NOT NULL,"
    " subject TEXT NOT NULL, kind TEXT, metric TEXT, line TEXT NOT NULL);";
  const char *index = "CREATE INDEX obs_subject_at ON obs(subject, at);";
  if (sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK ||
      (!bare && sqlite3_exec(db, index, NULL, NULL, NULL) != SQLITE_OK) ||
      sqlite3_prepare_v2(db, "INSERT INTO obs(at, subject, kind, metric,"
                         " line) VALUES(?1, ?2, ?3, ?4, ?5)", -1, ins,
                         NULL) != SQLITE_OK)
    die(path, sqlite3_errmsg(db));
  return db;
}

static void raw_batch(sqlite3 *db, sqlite3_stmt *ins, const batch *b) {
  if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    die("raw", sqlite3_errmsg(db));
  for (size_t i = 0; i < b->n; i++) {
    const st_store_obs *o = &b->v[i];
    sqlite3_bind_double(ins, 1, o->at);
    sqlite3_bind_text(ins, 2, o->subject, -1, SQLITE_STATIC);
    sqlite3_bind_null(ins, 3);
    sqlite3_bind_text(ins, 4, o->metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, o->line, (int)o->len, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) die("raw", sqlite3_errmsg(db));
    sqlite3_reset(ins);
  }
  if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    die("raw", sqlite3_errmsg(db));
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct {
  st_store *s;
  sqlite3 *db[2];                /* raw, bare */
  sqlite3_stmt *ins[2];
  const char *key;
} targets;

/* One batch into target k (0 store, 1 raw, 2 bare); its seconds. */
static double timed(targets *t, int k, const batch *b) {
  char err[ST_ERRLEN];
  size_t accepted;
  int dup;
  double t0 = now_s();
  if (k) raw_batch(t->db[k - 1], t->ins[k - 1], b);
  else if (st_store_obs_add(t->s, b->v, b->n, t->key, 0, &accepted, &dup,
                            err, sizeof err) != ST_OK || dup)
    die("store", err);
  return now_s() - t0;
}

/* Rotates batches over store, raw and bare (which goes first rotates too,
 * so none always follows another's fsync); prints medians and ratios. */
static void compare(const char *dir, int batches, size_t rows, int keyed) {
  static const char *const names[3] = {"store", "raw", "bare"};
  char paths[3][512], err[ST_ERRLEN], key[32];
  targets t = {.key = keyed ? key : NULL};
  for (int k = 0; k < 3; k++)
    snprintf(paths[k], sizeof paths[k], "%s/bench-%s.db", dir, names[k]);
  remove(paths[0]);
  if (st_store_open(paths[0], 0, &t.s, err, sizeof err) != ST_OK)
    die(paths[0], err);
  for (int k = 0; k < 2; k++) t.db[k] = raw_open(paths[k + 1], k, &t.ins[k]);
  double *ts[3];
  for (int k = 0; k < 3; k++) ts[k] = st_xmalloc((size_t)batches * 8);
  for (int i = -1; i < batches; i++) {     /* batch -1 warms all up */
    batch b;
    make_batch(&b, rows, i + 1);
    snprintf(key, sizeof key, "batch-%d", i + 1);
    for (int j = 0; j < 3; j++) {
      int k = (i + 3 + j) % 3;
      double dt = timed(&t, k, &b);
      if (i >= 0) ts[k][i] = dt;
    }
    free_batch(&b);
  }
  double m[3];
  for (int k = 0; k < 3; k++) m[k] = median(ts[k], (size_t)batches);
  printf("%s:\n", keyed ? "with an idempotency key" : "without a key");
  for (int k = 0; k < 3; k++)
    printf("  %-5s %8.0f rows/s  %6.2f ms/batch  store/%s %.2f\n",
           names[k], (double)rows / m[k], m[k] * 1e3, names[k],
           m[k] / m[0]);
  for (int k = 0; k < 3; k++) free(ts[k]);
  for (int k = 0; k < 2; k++) {
    sqlite3_finalize(t.ins[k]);
    sqlite3_close(t.db[k]);
  }
  st_store_close(t.s);
  for (int k = 0; k < 3; k++) remove(paths[k]);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_store DIR [BATCHES [ROWS]]\n");
    return 2;
  }
  int batches = argc > 2 ? atoi(argv[2]) : 40;
  size_t rows = argc > 3 ? (size_t)atol(argv[3]) : 1000;
  if (batches < 1 || rows < 1) die("arguments", "BATCHES and ROWS >= 1");
  printf("%d batches of %zu observations, WAL + synchronous=FULL, "
         "rotating (median batch)\n", batches, rows);
  compare(argv[1], batches, rows, 0);
  compare(argv[1], batches, rows, 1);
  return 0;
}
