/*
 * alert_store.c - st_alert_store_real: the alerter's store table over
 * store.h. A table rather than direct calls so the alerter's tests can
 * hand it a fake store (tests/unit/alert_fixture.h).
 */
#include "alert.h"

const st_alert_store_ops st_alert_store_real = {
  st_store_alerts_due, st_store_alerts_free, st_store_alert_attempt,
  st_store_alert_next_due,
};
