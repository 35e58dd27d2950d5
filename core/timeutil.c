/* timeutil.c - see timeutil.h. */
#include "timeutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(long y, unsigned m) {
  static const unsigned mdays[12] = {31,28,31,30,31,30,31,31,30,31,30,31};
  return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/* The civil-from-days arithmetic works on eras of 400 years, which repeat
 * exactly, so it needs no tables and no loops. */
long st_time_days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (long)yoe + era * 400 + (*m <= 2);
}

/* Reads exactly n digits. */
static int digits(const char **p, int n, long *out) {
  long v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*p)[i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  *p += n;
  *out = v;
  return 0;
}

static int expect(const char **p, char c) {
  if (**p != c) return -1;
  (*p)++;
  return 0;
}

static int parse_offset(const char **p, long *offset) {
  char c = **p;
  if (c == 'Z' || c == 'z') { (*p)++; *offset = 0; return 0; }
  if (c != '+' && c != '-') return -1;
  (*p)++;
  long oh, om;
  if (digits(p, 2, &oh) || expect(p, ':') || digits(p, 2, &om) || oh > 23 ||
      om > 59)
    return -1;
  *offset = (c == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  return 0;
}

static int parse_clock(const char **p, double *secs) {
  long h, mi, s, offset;
  if (digits(p, 2, &h) || expect(p, ':') || digits(p, 2, &mi) ||
      expect(p, ':') || digits(p, 2, &s) || h > 23 || mi > 59 || s > 60)
    return -1;
  double frac = 0, scale = 0.1;
  if (**p == '.') {
    (*p)++;
    if (**p < '0' || **p > '9') return -1;
    while (**p >= '0' && **p <= '9') {
      frac += (**p - '0') * scale;
      scale /= 10;
      (*p)++;
    }
  }
  if (parse_offset(p, &offset)) return -1;
  *secs = (double)(h * 3600 + mi * 60 + s - offset) + frac;
  return 0;
}

int st_time_parse(const char *s, double *epoch) {
  const char *p = s;
  long y, m, d;
  if (!s || digits(&p, 4, &y) || expect(&p, '-') || digits(&p, 2, &m) ||
      expect(&p, '-') || digits(&p, 2, &d))
    return -1;
  if (m < 1 || m > 12 || d < 1 || d > (long)days_in_month(y, (unsigned)m))
    return -1;
  double secs = 0;
  if (*p == 'T' || *p == 't' || *p == ' ') {
    p++;
    if (parse_clock(&p, &secs)) return -1;
  }
  if (*p) return -1;
  *epoch = (double)st_time_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400.0
           + secs;
  return 0;
}

void st_time_split(double epoch, st_tm *tm) {
  double fl = floor(epoch);
  long days = (long)floor(fl / 86400.0);
  long rem = (long)(fl - (double)days * 86400.0);
  int m, d;
  civil_from_days(days, &tm->year, &m, &d);
  tm->month = m;
  tm->day = d;
  tm->hour = (int)(rem / 3600);
  tm->min = (int)(rem / 60 % 60);
  tm->sec = (int)(rem % 60);
  tm->wday = (int)(((days % 7) + 11) % 7);   /* 1970-01-01 was a Thursday */
  tm->yday = (int)(days - st_time_days_from_civil(tm->year, 1, 1));
}

void st_time_format(double epoch, char *out, size_t outlen) {
  st_tm tm;
  st_time_split(epoch, &tm);
  snprintf(out, outlen, "%04ld-%02d-%02dT%02d:%02d:%02dZ", tm.year, tm.month,
           tm.day, tm.hour, tm.min, tm.sec);
}
