/*
 * timeutil.h - RFC 3339 dates and times as seconds since the Unix epoch.
 *
 * Policies see time only as the evaluation clock (ctx.now); observations and
 * registry dates are parsed here, independent of the machine's time zone, so
 * that a run is reproducible anywhere. Pure functions, reentrant.
 */
#ifndef ST_TIMEUTIL_H
#define ST_TIMEUTIL_H

#include <stddef.h>

/* Parses "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)"
 * ('t', 'z' and a space for 'T' accepted). Returns 0 and *epoch, or -1 when s
 * is not such a date (including impossible ones: 2026-02-30). */
int st_time_parse(const char *s, double *epoch);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
long st_time_days_from_civil(long y, unsigned m, unsigned d);

/* Formats epoch as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void st_time_format(double epoch, char *out, size_t outlen);

/* Broken-down UTC time of epoch (seconds floored). */
typedef struct {
  long year;
  int month, day, hour, min, sec, wday, yday;
} st_tm;
void st_time_split(double epoch, st_tm *tm);

#endif
