/*
 * schedule.h - when a suite runs: 5-field cron expressions (UTC) and fixed
 * intervals ("every").
 *
 * Cron: "MIN HOUR DOM MON DOW", each field `*`, a number, a range `a-b`, a
 * step `*\/n` or `a-b/n`, or a comma list of those; `a/n` is `a-MAX/n`
 * (cronie's reading: "5/10" minutes are 5,15,...,55); ranges do not wrap
 * ("fri-mon" is an error); months and days of the week also by name
 * (jan..dec, sun..sat, case-insensitive); 7 is Sunday as 0 is. As in Vixie
 * cron, when both day-of-month and day-of-week are restricted (neither
 * field begins with `*`; so `*\/2` counts as unrestricted, as there), a day
 * matches when EITHER matches. Times are UTC; there is no daylight saving
 * to skip or repeat.
 * Intervals: a positive integer and a unit, "30s", "15m", "1h", "2d"; at
 * least 1 s, at most 366 days.
 *
 * The clock is always passed in (epoch seconds), never read here, so tests
 * inject it. Pure functions, no allocation, reentrant.
 */
#ifndef ST_SCHEDULE_H
#define ST_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint64_t minutes;          /* bit m: minute m (0-59) */
  uint32_t hours;            /* bit h: hour h (0-23) */
  uint32_t doms;             /* bit d: day of month d (1-31) */
  uint16_t months;           /* bit m: month m (1-12) */
  uint8_t dows;              /* bit d: day of week d (0-6, Sunday 0) */
  uint8_t dom_any, dow_any;  /* the field began with `*` (either rule) */
} st_cron;

typedef struct {
  int is_cron;
  st_cron cron;
  double every;              /* seconds, when !is_cron */
} st_schedule;

/* Parses a cron expression. Returns ST_OK, or ST_EINPUT with err saying
 * which field and why ("field 2 (hour): 24 is out of range 0-23"). */
int st_cron_parse(const char *expr, st_cron *out, char *err, size_t errlen);

/* The first minute strictly after `after` that matches, as epoch seconds
 * (a whole minute), or -1 when none does within the next 8 years (such as
 * "0 0 30 2 *"). */
double st_cron_next(const st_cron *c, double after);

/* Parses an interval ("30s", "15m", "1h", "2d") into seconds. Returns
 * ST_OK or ST_EINPUT with err. */
int st_every_parse(const char *s, double *seconds, char *err, size_t errlen);

/* The next time the schedule fires strictly after `after`: for cron, as
 * st_cron_next; for an interval, after + every. */
double st_schedule_next(const st_schedule *s, double after);

#endif
