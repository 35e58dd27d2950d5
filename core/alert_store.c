/*
 * alert_store.c - st_alert_store_real: the alerter's store table over
 * store.h.
 *
 * Stubs, replaced when store.c lands: store.c is being written in parallel
 * and is not in this tree yet, so naming st_store_* here would not link.
 * Until then every call fails with ST_EIO ("no store"), as a broken disk
 * would, which the alerter survives (it logs and retries later). When
 * store.c is merged, this file becomes:
 *
 *   const st_alert_store_ops st_alert_store_real = {
 *     st_store_alerts_due, st_store_alerts_free, st_store_alert_attempt,
 *     st_store_alert_next_due,
 *   };
 */
#include "alert.h"

#include <stdlib.h>

#include "util.h"

static int stub_due(st_store *s, double now, size_t max, st_alert **out,
                    size_t *n, char *err, size_t errlen) {
  (void)s; (void)now; (void)max;
  *out = NULL;
  *n = 0;
  return st_errf(err, errlen, ST_EIO, "no store (store.c is not linked)");
}

static void stub_free(st_alert *v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i].body);
  free(v);
}

static int stub_attempt(st_store *s, int64_t id, st_alert_status status,
                        double next_attempt, const char *error, char *err,
                        size_t errlen) {
  (void)s; (void)id; (void)status; (void)next_attempt; (void)error;
  return st_errf(err, errlen, ST_EIO, "no store (store.c is not linked)");
}

static double stub_next_due(st_store *s) {
  (void)s;
  return -1;
}

const st_alert_store_ops st_alert_store_real = {
  stub_due, stub_free, stub_attempt, stub_next_due,
};
