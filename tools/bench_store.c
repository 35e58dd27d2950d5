/*
 * bench_store.c - st_store_obs_add against raw SQLite inserts of the same
 * rows with the same durability (WAL, synchronous=FULL, one transaction
 * per batch, one reused prepared statement, the same table and index).
 *
 * Usage: bench_store DIR [BATCHES [ROWS]] (default 40 batches of 1000).
 * DIR must be on the disk the daemon would use (not tmpfs: there fsync is
 * free and the figure means nothing). Batches alternate between the two
 * (each in its own file), so both see the same disk at the same moment;
 * prints the median batch time of each and the store's speed as a ratio
 * of raw. Without and with an idempotency key, the two ways the daemon
 * ingests.
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

/* The baseline: the store's obs table, written directly. */
static sqlite3 *raw_open(const char *path, sqlite3_stmt **ins) {
  sqlite3 *db;
  remove(path);
  if (sqlite3_open(path, &db) != SQLITE_OK) die(path, sqlite3_errmsg(db));
  const char *setup =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
    "CREATE TABLE obs(id INTEGER PRIMARY KEY, at REAL NOT NULL,"
    " subject TEXT NOT NULL, kind TEXT, metric TEXT, line TEXT NOT NULL);"
    "CREATE INDEX obs_subject_at ON obs(subject, at);";
  if (sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK ||
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

/* Alternates store and raw batches; prints the medians and the ratio. */
static void compare(const char *dir, int batches, size_t rows, int keyed) {
  char sp[512], rp[512], err[ST_ERRLEN], key[32];
  snprintf(sp, sizeof sp, "%s/bench-store.db", dir);
  snprintf(rp, sizeof rp, "%s/bench-raw.db", dir);
  remove(sp);
  st_store *s;
  if (st_store_open(sp, 0, &s, err, sizeof err) != ST_OK) die(sp, err);
  sqlite3_stmt *ins;
  sqlite3 *db = raw_open(rp, &ins);
  double *ts = st_xmalloc((size_t)batches * sizeof *ts);
  double *tr = st_xmalloc((size_t)batches * sizeof *tr);
  for (int i = -1; i < batches; i++) {     /* batch -1 warms both up */
    batch b;
    make_batch(&b, rows, i + 1);
    snprintf(key, sizeof key, "batch-%d", i + 1);
    size_t accepted;
    int dup;
    /* Which goes first alternates too, so neither always follows the
     * other's fsync. */
    double t0 = now_s(), t1, t2, t3;
    if (i % 2) raw_batch(db, ins, &b);
    t1 = now_s();
    if (st_store_obs_add(s, b.v, b.n, keyed ? key : NULL, 0, &accepted,
                         &dup, err, sizeof err) != ST_OK || dup)
      die(sp, err);
    t2 = now_s();
    if (!(i % 2)) raw_batch(db, ins, &b);
    t3 = now_s();
    if (i >= 0) {
      ts[i] = t2 - t1;
      tr[i] = i % 2 ? t1 - t0 : t3 - t2;
    }
    free_batch(&b);
  }
  double ms = median(ts, (size_t)batches), mr = median(tr, (size_t)batches);
  printf("%-28s store %8.0f rows/s (%.2f ms/batch)  raw %8.0f rows/s "
         "(%.2f ms/batch)  ratio %.2f\n", keyed ? "with Idempotency-Key" :
         "without key", (double)rows / ms, ms * 1e3, (double)rows / mr,
         mr * 1e3, mr / ms);
  free(ts);
  free(tr);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  st_store_close(s);
  remove(sp);
  remove(rp);
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
         "alternating (median batch)\n", batches, rows);
  compare(argv[1], batches, rows, 0);
  compare(argv[1], batches, rows, 1);
  return 0;
}
