/*
 * schedule.c - see schedule.h.
 *
 * Parsing: an expression is five fields split on blanks; each field is a
 * comma list of items, each item `*`, a value, or a range `a-b`, then
 * optionally `/step`. A lone value with a step, `a/n`, means `a-MAX/n`
 * (as cronie and most crons read it: "5/10" in the minute field is
 * 5,15,...,55). Ranges never wrap ("fri-mon" is refused, not read as
 * fri,sat,sun,mon). The either rule follows Vixie cron to the letter: a
 * day field that begins with `*` (so `*` and `*\/2` alike) counts as
 * unrestricted; only when neither begins with `*` does a day match on
 * day-of-month OR day-of-week.
 *
 * Searching: from the first whole minute after the given time, walk the
 * calendar from the largest unit down (month, day, hour, minute), jumping
 * to the start of the next month, day or hour as soon as a unit fails, so
 * a search looks at each day at most once and never at minutes one by one.
 */
#include "schedule.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "timeutil.h"
#include "util.h"

static const char *const MONTH_NAMES[] = {
  "jan", "feb", "mar", "apr", "may", "jun",
  "jul", "aug", "sep", "oct", "nov", "dec", NULL
};
static const char *const DAY_NAMES[] = {
  "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

typedef struct {
  const char *name;
  int lo, hi;                /* values accepted (day-of-week: 0-7) */
  int star_hi;               /* where `*` and `a/n` end (day-of-week: 6) */
  const char *const *names;  /* names[i] is value i + lo; or NULL */
  const char *name_hint;     /* for "not a number" errors */
} field_def;

static const field_def FIELDS[5] = {
  {"minute", 0, 59, 59, NULL, NULL},
  {"hour", 0, 23, 23, NULL, NULL},
  {"day-of-month", 1, 31, 31, NULL, NULL},
  {"month", 1, 12, 12, MONTH_NAMES, "a month name (jan-dec)"},
  {"day-of-week", 0, 7, 6, DAY_NAMES, "a day name (sun-sat)"},
};

/* The field being parsed, for error messages. */
typedef struct {
  const field_def *f;
  int index;                 /* 0-4 */
  char *err;
  size_t errlen;
} field_ctx;

static int field_err(const field_ctx *fc, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

static int field_err(const field_ctx *fc, const char *fmt, ...) {
  char why[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  return st_errf(fc->err, fc->errlen, ST_EINPUT, "field %d (%s): %s",
                 fc->index + 1, fc->f->name, why);
}

/* {=== Parsing ========================================================== */

/* The length of the token at p: up to the next `-`, `/`, `,` or end. */
static size_t token_len(const char *p, const char *end) {
  size_t n = 0;
  while (p + n < end && p[n] != '-' && p[n] != '/' && p[n] != ',') n++;
  return n;
}

static int lookup_name(const field_def *f, const char *s, size_t n) {
  if (!f->names || n != 3) return -1;
  for (int i = 0; f->names[i]; i++) {
    size_t k = 0;
    while (k < 3 && tolower((unsigned char)s[k]) == f->names[i][k]) k++;
    if (k == 3) return i + f->lo;
  }
  return -1;
}

/* Reads the n digits at s into *v; values too big to matter stay big
 * rather than overflowing. */
static int read_number(const char *s, size_t n, long long *v) {
  *v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i])) return -1;
    if (*v < 1000000000000LL) *v = *v * 10 + (s[i] - '0');
  }
  return n ? 0 : -1;
}

/* Reads one value (a number, or a name where the field has them) of n
 * bytes at s, in the field's range. */
static int parse_value(const field_ctx *fc, const char *s, size_t n,
                       int *out) {
  long long v;
  if (read_number(s, n, &v) != 0) {
    v = lookup_name(fc->f, s, n);
    if (v < 0 && fc->f->names)
      return field_err(fc, "\"%.*s\" is not a number or %s", (int)n, s,
                       fc->f->name_hint);
    if (v < 0) return field_err(fc, "\"%.*s\" is not a number", (int)n, s);
  }
  if (v < fc->f->lo || v > fc->f->hi)
    return field_err(fc, "%.*s is out of range %d-%d", (int)n, s, fc->f->lo,
                     fc->f->hi);
  *out = (int)v;
  return ST_OK;
}

static int parse_step(const field_ctx *fc, const char *s, size_t n,
                      const char *item, size_t itemlen, int *step) {
  long long v;
  int span = fc->f->star_hi - fc->f->lo + 1;
  if (n == 0)
    return field_err(fc, "\"%.*s\" has no step after '/'", (int)itemlen,
                     item);
  if (read_number(s, n, &v) != 0)
    return field_err(fc, "step \"%.*s\" is not a number", (int)n, s);
  if (v < 1 || v > span)
    return field_err(fc, "step %.*s is out of range 1-%d", (int)n, s, span);
  *step = (int)v;
  return ST_OK;
}

/* The first part of an item: `*`, a value, or a range; sets lo..hi and
 * moves *p past it. */
static int parse_span(const field_ctx *fc, const char **p, const char *end,
                      const char *item, size_t itemlen, int *lo, int *hi) {
  const char *s = *p;
  size_t n = token_len(s, end);
  if (n == 1 && s[0] == '*') {
    if (s + 1 < end && s[1] == '-')
      return field_err(fc, "\"%.*s\": '*' cannot start a range",
                       (int)itemlen, item);
    *lo = fc->f->lo;
    *hi = fc->f->star_hi;
    *p = s + 1;
    return ST_OK;
  }
  if (n == 0)
    return field_err(fc, "\"%.*s\" has no value before '%c'", (int)itemlen,
                     item, s[0]);
  if (parse_value(fc, s, n, lo) != ST_OK) return ST_EINPUT;
  *hi = *lo;
  s += n;
  if (s < end && *s == '-') {
    size_t m = token_len(s + 1, end);
    if (m == 0)
      return field_err(fc, "range \"%.*s\" has no end", (int)itemlen, item);
    if (parse_value(fc, s + 1, m, hi) != ST_OK) return ST_EINPUT;
    if (*hi < *lo)
      return field_err(fc, "range %.*s runs backwards", (int)(n + 1 + m),
                       *p);
    s += 1 + m;
  } else if (s < end && *s == '/') {
    *hi = fc->f->star_hi > *lo ? fc->f->star_hi : *lo;   /* "a/n": a-MAX/n */
  }
  *p = s;
  return ST_OK;
}

/* One list item [p, end) into *bits (bit v for value v). */
static int parse_item(const field_ctx *fc, const char *p, const char *end,
                      uint64_t *bits) {
  const char *item = p;
  size_t itemlen = (size_t)(end - p);
  int lo, hi, step = 1;
  if (itemlen == 0) return field_err(fc, "empty item in list");
  if (parse_span(fc, &p, end, item, itemlen, &lo, &hi) != ST_OK)
    return ST_EINPUT;
  if (p < end && *p == '/') {
    size_t n = token_len(p + 1, end);
    if (parse_step(fc, p + 1, n, item, itemlen, &step) != ST_OK)
      return ST_EINPUT;
    p += 1 + n;
  }
  if (p < end)
    return field_err(fc, "unexpected \"%.*s\" in \"%.*s\"", (int)(end - p),
                     p, (int)itemlen, item);
  for (int v = lo; v <= hi; v += step) *bits |= (uint64_t)1 << v;
  return ST_OK;
}

static int parse_field(const field_ctx *fc, const char *p, const char *end,
                       uint64_t *bits) {
  *bits = 0;
  for (;;) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *stop = comma ? comma : end;
    if (parse_item(fc, p, stop, bits) != ST_OK) return ST_EINPUT;
    if (!comma) return ST_OK;
    p = comma + 1;
  }
}

/* Splits expr on blanks into at most 5 fields; returns how many it saw
 * (counting on past 5, for the message). */
static int split_fields(const char *expr, const char *start[5],
                        const char *stop[5]) {
  int n = 0;
  const char *p = expr;
  for (;;) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) return n;
    const char *s = p;
    while (*p && *p != ' ' && *p != '\t') p++;
    if (n < 5) {
      start[n] = s;
      stop[n] = p;
    }
    n++;
  }
}

static void store_field(st_cron *c, int i, uint64_t bits, int starred) {
  switch (i) {
  case 0: c->minutes = bits; break;
  case 1: c->hours = (uint32_t)bits; break;
  case 2: c->doms = (uint32_t)bits; c->dom_any = (uint8_t)starred; break;
  case 3: c->months = (uint16_t)bits; break;
  default:
    if (bits & (1u << 7)) bits = (bits | 1u) & ~(uint64_t)(1u << 7);
    c->dows = (uint8_t)bits;     /* 7 is Sunday, as 0 is */
    c->dow_any = (uint8_t)starred;
  }
}

int st_cron_parse(const char *expr, st_cron *out, char *err, size_t errlen) {
  const char *start[5], *stop[5];
  int n = expr ? split_fields(expr, start, stop) : 0;
  if (n != 5)
    return st_errf(err, errlen, ST_EINPUT,
                   "expected 5 fields (minute hour day-of-month month "
                   "day-of-week), got %d", n);
  st_cron c;
  memset(&c, 0, sizeof c);
  for (int i = 0; i < 5; i++) {
    field_ctx fc = {&FIELDS[i], i, err, errlen};
    uint64_t bits;
    if (parse_field(&fc, start[i], stop[i], &bits) != ST_OK) return ST_EINPUT;
    store_field(&c, i, bits, start[i][0] == '*');
  }
  *out = c;
  return ST_OK;
}

/* }=== */

/* {=== Searching ======================================================== */

/* The lowest set bit of bits at or above `from`, up to `hi`; -1 if none. */
static int next_bit(uint64_t bits, int from, int hi) {
  for (int v = from; v <= hi; v++)
    if (bits & ((uint64_t)1 << v)) return v;
  return -1;
}

static int days_in_month(long y, int m) {
  long first = st_time_days_from_civil(y, (unsigned)m, 1);
  long next = m == 12 ? st_time_days_from_civil(y + 1, 1, 1)
                      : st_time_days_from_civil(y, (unsigned)m + 1, 1);
  return (int)(next - first);
}

static int day_matches(const st_cron *c, long y, int m, int d) {
  long days = st_time_days_from_civil(y, (unsigned)m, (unsigned)d);
  int wday = (int)(((days % 7) + 11) % 7);    /* 1970-01-01 was a Thursday */
  int dom = (c->doms >> d) & 1, dow = (c->dows >> wday) & 1;
  if (c->dom_any || c->dow_any) return dom && dow;
  return dom || dow;
}

/* A position in the calendar; the search moves it forward only. */
typedef struct {
  long y;
  int mo, d, h, mi;
} cursor;

static void next_month(cursor *k) {
  if (++k->mo > 12) { k->mo = 1; k->y++; }
  k->d = 1; k->h = 0; k->mi = 0;
}

static void next_day(cursor *k) {
  k->h = 0; k->mi = 0;
  if (++k->d > days_in_month(k->y, k->mo)) next_month(k);
}

static void next_hour(cursor *k) {
  k->mi = 0;
  if (++k->h > 23) next_day(k);
}

double st_cron_next(const st_cron *c, double after) {
  /* Beyond some 300,000 years the calendar arithmetic would overflow. */
  if (!c || !isfinite(after) || fabs(after) > 1e13) return -1;
  double first = (floor(after / 60.0) + 1.0) * 60.0;
  st_tm tm;
  st_time_split(first, &tm);
  cursor k = {tm.year, tm.month, tm.day, tm.hour, tm.min};
  long last_year = tm.year + 8;
  while (k.y <= last_year) {
    if (!((c->months >> k.mo) & 1)) { next_month(&k); continue; }
    if (!day_matches(c, k.y, k.mo, k.d)) { next_day(&k); continue; }
    int h = next_bit(c->hours, k.h, 23);
    if (h < 0) { next_day(&k); continue; }
    if (h != k.h) { k.h = h; k.mi = 0; }
    int mi = next_bit(c->minutes, k.mi, 59);
    if (mi < 0) { next_hour(&k); continue; }
    long days = st_time_days_from_civil(k.y, (unsigned)k.mo, (unsigned)k.d);
    return (double)days * 86400.0 + k.h * 3600.0 + mi * 60.0;
  }
  return -1;
}

/* }=== */

/* {=== Intervals ======================================================== */

#define EVERY_MAX (366.0 * 86400.0)

int st_every_parse(const char *s, double *seconds, char *err, size_t errlen) {
  if (!s || !*s)
    return st_errf(err, errlen, ST_EINPUT,
                   "empty interval: expected a number and a unit (s, m, h, "
                   "d), such as \"15m\"");
  size_t n = 0;
  while (isdigit((unsigned char)s[n])) n++;
  if (n == 0)
    return st_errf(err, errlen, ST_EINPUT,
                   "interval \"%s\" must start with a positive whole number",
                   s);
  long long v;
  read_number(s, n, &v);
  static const char units[] = "smhd";
  static const double scale[] = {1, 60, 3600, 86400};
  const char *u = s[n] ? strchr(units, s[n]) : NULL;
  if (!s[n])
    return st_errf(err, errlen, ST_EINPUT,
                   "interval \"%s\" has no unit (s, m, h or d)", s);
  if (!u || s[n + 1])
    return st_errf(err, errlen, ST_EINPUT,
                   "interval \"%s\": unknown unit \"%s\" (s, m, h or d)", s,
                   s + n);
  double secs = (double)v * scale[u - units];
  if (secs < 1)
    return st_errf(err, errlen, ST_EINPUT,
                   "interval \"%s\" must be at least 1s", s);
  if (secs > EVERY_MAX)
    return st_errf(err, errlen, ST_EINPUT,
                   "interval \"%s\" is longer than 366 days", s);
  *seconds = secs;
  return ST_OK;
}

double st_schedule_next(const st_schedule *s, double after) {
  if (s->is_cron) return st_cron_next(&s->cron, after);
  return after + s->every;
}

/* }=== */
