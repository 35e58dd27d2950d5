/*
 * test_schedule.c - cron expressions and intervals (core/schedule.c).
 *
 * Every expected epoch comes from `date -u -d 'YYYY-MM-DD HH:MM' +%s` (the
 * date is in the comment beside it), not from the module's arithmetic, so
 * a calendar bug cannot hide behind itself. The usual starting point is
 * Tuesday 2026-12-08 00:26 UTC; December 2026 has Friday the 11th and the
 * 18th and Sunday the 13th.
 */
#include "schedule.h"
#include "util.h"
#include "t.h"

#include <math.h>
#include <time.h>

#define T0 1796689560.0               /* 2026-12-08 00:26:00 Tue */

/* st_cron_next(expr, after) is exactly want (an epoch, or -1). */
#define T_NEXT(expr, after, want) do { st_cron t_c_; char t_err_[256]; \
    if (st_cron_parse((expr), &t_c_, t_err_, sizeof t_err_) != ST_OK) \
      T_FAILF("\"%s\" refused: %s", (expr), t_err_); \
    else { double t_n_ = st_cron_next(&t_c_, (after)); \
      if (t_n_ != (double)(want)) \
        T_FAILF("next(\"%s\", %.0f) == %.0f, expected %.0f", (expr), \
                (double)(after), t_n_, (double)(want)); } } while (0)

/* st_cron_parse(expr) fails with exactly msg. */
#define T_CRON_ERR(expr, msg) do { st_cron t_c_; char t_err_[256] = ""; \
    if (st_cron_parse((expr), &t_c_, t_err_, sizeof t_err_) != ST_EINPUT) \
      T_FAILF("\"%s\" accepted", (expr) ? (expr) : "(null)"); \
    else T_EQ_STR(t_err_, (msg)); } while (0)

#define T_EVERY(s, want) do { double t_v_ = -1; char t_err_[256] = ""; \
    if (st_every_parse((s), &t_v_, t_err_, sizeof t_err_) != ST_OK) \
      T_FAILF("\"%s\" refused: %s", (s), t_err_); \
    else if (t_v_ != (double)(want)) \
      T_FAILF("\"%s\" == %.0f, expected %.0f", (s), t_v_, (double)(want)); \
    } while (0)

#define T_EVERY_ERR(s, msg) do { double t_v_ = 12345; char t_err_[256] = ""; \
    const char *t_s_ = (s); \
    if (st_every_parse(t_s_, &t_v_, t_err_, sizeof t_err_) != ST_EINPUT) \
      T_FAILF("\"%s\" accepted", t_s_ ? t_s_ : "(null)"); \
    else { T_EQ_STR(t_err_, (msg)); T_CHECK(t_v_ == 12345); } } while (0)

static void test_parse_bits(void) {
  st_cron c;
  char err[256];
  T_EQ_INT(st_cron_parse("*/15 9-17/4 1,15 jan-mar 7", &c, err, sizeof err),
           ST_OK);
  T_CHECK(c.minutes == ((1ull << 0) | (1ull << 15) | (1ull << 30) |
                        (1ull << 45)));
  T_EQ_INT(c.hours, (1u << 9) | (1u << 13) | (1u << 17));
  T_EQ_INT(c.doms, (1u << 1) | (1u << 15));
  T_EQ_INT(c.months, (1u << 1) | (1u << 2) | (1u << 3));
  T_EQ_INT(c.dows, 1);                     /* 7 is Sunday, bit 0 */
  T_EQ_INT(c.dom_any, 0);
  T_EQ_INT(c.dow_any, 0);
  T_EQ_INT(st_cron_parse("\t* * * * *  ", &c, err, sizeof err), ST_OK);
  T_CHECK(c.minutes == (1ull << 60) - 1);
  T_EQ_INT(c.hours, (1u << 24) - 1);
  T_EQ_INT(c.doms, 0xFFFFFFFEu);
  T_EQ_INT(c.months, 0x1FFE);
  T_EQ_INT(c.dows, 0x7F);
  T_EQ_INT(c.dom_any, 1);
  T_EQ_INT(c.dow_any, 1);
  T_EQ_INT(st_cron_parse("5/10 * */2 * mon-7", &c, err, sizeof err), ST_OK);
  T_CHECK(c.minutes == ((1ull << 5) | (1ull << 15) | (1ull << 25) |
                        (1ull << 35) | (1ull << 45) | (1ull << 55)));
  T_EQ_INT(c.dom_any, 1);                  /* begins with `*` (Vixie) */
  T_EQ_INT(c.dows, 0x7F);                  /* 1-7: every day */
  T_EQ_INT(c.dow_any, 0);
}

static void test_every_minute(void) {
  T_NEXT("* * * * *", T0, T0 + 60);
  T_NEXT("* * * * *", T0 + 30, T0 + 60);     /* whole minutes only */
  T_NEXT("* * * * *", T0 - 0.5, T0);
  T_NEXT("* * * * *", 1796083199, 1796083200);  /* 11-30 23:59:59 → 12-01 */
}

static void test_numbers(void) {
  T_NEXT("30 14 * * *", T0, 1796740200);          /* 2026-12-08 14:30 */
  T_NEXT("30 14 * * *", 1796740200, 1796826600);  /* 2026-12-09 14:30 */
  T_NEXT("26 0 8 12 2", T0 - 60, T0);             /* all five fields */
}

static void test_ranges(void) {
  T_NEXT("10-12 * * * *", T0, 1796692200);        /* 01:10 */
  T_NEXT("10-12 * * * *", 1796692200 + 60, 1796692320);  /* 01:11 → 01:12 */
  T_NEXT("10-12 * * * *", 1796692320, 1796695800);       /* → 02:10 */
  T_NEXT("0 0 1 mar-May *", T0, 1803859200);      /* 2027-03-01 */
  T_NEXT("0 0 1 mar-May *", 1809129600, 1835481600);  /* 2027-05-01 → 2028-03-01 */
}

static void test_steps(void) {
  T_NEXT("*/15 * * * *", T0, 1796689800);         /* 00:30 */
  T_NEXT("*/15 * * * *", 1796690700, 1796691600); /* 00:45 → 01:00 */
  T_NEXT("1-30/5 * * * *", T0 - 60, T0);          /* 00:25 → 00:26 */
  T_NEXT("1-30/5 * * * *", T0, 1796691660);       /* → 01:01 */
  T_NEXT("5/10 * * * *", T0, 1796690100);         /* 00:35 */
  T_NEXT("5/10 * * * *", 1796691300, 1796691900); /* 00:55 → 01:05 */
  T_NEXT("0 */6 * * *", T0, 1796709600);          /* 06:00 */
  T_NEXT("0 9-17/4 * * *", 1796720400, 1796734800);  /* 09:00 → 13:00 */
  T_NEXT("0 9-17/4 * * *", 1796734800, 1796749200);  /* 13:00 → 17:00 */
  T_NEXT("0 9-17/4 * * *", 1796749200, 1796806800);  /* → 12-09 09:00 */
  T_NEXT("0 0 1 */4 *", T0, 1798761600);          /* 2027-01-01 */
  T_NEXT("0 0 1 */4 *", 1798761600, 1809129600);  /* → 2027-05-01 */
}

static void test_lists(void) {
  T_NEXT("0,30 9,17 * * *", T0, 1796720400);          /* 09:00 */
  T_NEXT("0,30 9,17 * * *", 1796720400, 1796722200);  /* → 09:30 */
  T_NEXT("0,30 9,17 * * *", 1796751000, 1796806800);  /* 17:30 → 12-09 09:00 */
  T_NEXT("0 0 1 jan,JUL *", T0, 1798761600);          /* 2027-01-01 */
  T_NEXT("0 0 1 jan,JUL *", 1798761600, 1814400000);  /* → 2027-07-01 */
  T_NEXT("0-5,58,*/20 * * * *", T0, 1796690400);      /* 00:40 */
  T_NEXT("0-5,58,*/20 * * * *", 1796690400, 1796691480);  /* → 00:58 */
}

static void test_weekdays(void) {
  T_NEXT("0 12 * * mon-fri", 1796990400, 1797249600);  /* Fri 12-11 → Mon 12-14 */
  T_NEXT("0 0 * * 7", T0, 1797120000);           /* Sun 2026-12-13 */
  T_NEXT("0 0 * * 0", T0, 1797120000);
  T_NEXT("0 0 * * SUN", T0, 1797120000);
  T_NEXT("0 0 * * Fri-7", 1796947200, 1797033600);   /* Fri → Sat 12-12 */
  T_NEXT("0 0 * * 5-7", 1797033600, 1797120000);     /* Sat → Sun 12-13 */
  T_NEXT("0 0 * * 5-7", 1797120000, 1797552000);     /* Sun → Fri 12-18 */
}

/* Both day fields restricted: either matches. One begins with `*`: both
 * must (Vixie cron's rule, `*\/2` included). */
static void test_either_rule(void) {
  T_NEXT("0 0 13 * fri", T0, 1796947200);            /* Fri 12-11 */
  T_NEXT("0 0 13 * fri", 1796947200, 1797120000);    /* → Sun 12-13 */
  T_NEXT("0 0 13 * fri", 1797120000, 1797552000);    /* → Fri 12-18 */
  T_NEXT("0 0 13 * *", T0, 1797120000);              /* 12-13 */
  T_NEXT("0 0 13 * *", 1797120000, 1799798400);      /* → 2027-01-13 */
  T_NEXT("0 0 * * fri", 1796947200, 1797552000);     /* Fridays only */
  T_NEXT("0 0 */2 * fri", T0, 1796947200);           /* odd and Friday: 12-11 */
  T_NEXT("0 0 */2 * fri", 1796947200, 1798156800);   /* → 12-25 */
  T_NEXT("0 0 30 2 mon", T0, 1801440000);            /* Mon 2027-02-01 */
}

static void test_leap_day(void) {
  T_NEXT("0 0 29 2 *", 1767225600, 1835395200);      /* 2026-01-01 → 2028-02-29 */
  T_NEXT("0 0 29 2 *", 1835395200, 1961625600);      /* → 2032-02-29 */
  T_NEXT("0 0 29 2 *", 3981398400, 4233686400);      /* 2096-03-01 → 2104-02-29 */
}

static void test_rollovers(void) {
  T_NEXT("59 23 31 12 *", 1798761540, 1830297540);   /* → 2027-12-31 23:59 */
  T_NEXT("0 0 1 * *", 1798761570, 1798761600);       /* 23:59:30 → 2027-01-01 */
  T_NEXT("0 0 31 * *", 1775001600, 1780185600);      /* 04-01 → 05-31 */
  T_NEXT("30 * * * *", 1798760700, 1798763400);      /* 12-31 23:45 → 00:30 */
  T_NEXT("0 0 * * *", 1803772800, 1803859200);       /* 2027-02-28 → 03-01 */
}

static void test_impossible(void) {
  T_NEXT("0 0 30 2 *", T0, -1);
  T_NEXT("0 0 31 2,4,6,9,11 *", T0, -1);
  st_cron c;
  char err[256];
  T_EQ_INT(st_cron_parse("0 0 30 2 *", &c, err, sizeof err), ST_OK);
  T_CHECK(st_cron_next(&c, INFINITY) == -1);
  T_CHECK(st_cron_next(&c, NAN) == -1);
  T_CHECK(st_cron_next(NULL, T0) == -1);
  /* The search skips months, days and hours, so even a search that gives
   * up after 8 years is fast: 2,000 of them in well under a second. */
  clock_t start = clock();
  for (int i = 0; i < 2000; i++) T_CHECK(st_cron_next(&c, T0 + i) == -1);
  double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
  if (secs > 1.0) T_FAILF("2000 impossible searches took %.2f s", secs);
}

static void test_errors(void) {
  T_CRON_ERR(NULL, "expected 5 fields (minute hour day-of-month month "
                   "day-of-week), got 0");
  T_CRON_ERR("", "expected 5 fields (minute hour day-of-month month "
                 "day-of-week), got 0");
  T_CRON_ERR("* * * *", "expected 5 fields (minute hour day-of-month month "
                        "day-of-week), got 4");
  T_CRON_ERR("* * * * * *", "expected 5 fields (minute hour day-of-month "
                            "month day-of-week), got 6");
  T_CRON_ERR("60 * * * *", "field 1 (minute): 60 is out of range 0-59");
  T_CRON_ERR("* 24 * * *", "field 2 (hour): 24 is out of range 0-23");
  T_CRON_ERR("* * 0 * *", "field 3 (day-of-month): 0 is out of range 1-31");
  T_CRON_ERR("* * 32 * *", "field 3 (day-of-month): 32 is out of range 1-31");
  T_CRON_ERR("* * * 13 *", "field 4 (month): 13 is out of range 1-12");
  T_CRON_ERR("* * * 0 *", "field 4 (month): 0 is out of range 1-12");
  T_CRON_ERR("* * * * 8", "field 5 (day-of-week): 8 is out of range 0-7");
  T_CRON_ERR("99999999999 * * * *",
             "field 1 (minute): 99999999999 is out of range 0-59");
  T_CRON_ERR("abc * * * *", "field 1 (minute): \"abc\" is not a number");
  T_CRON_ERR("* mon * * *", "field 2 (hour): \"mon\" is not a number");
  T_CRON_ERR("* * * foo *", "field 4 (month): \"foo\" is not a number or a "
                            "month name (jan-dec)");
  T_CRON_ERR("* * * * monday", "field 5 (day-of-week): \"monday\" is not a "
                               "number or a day name (sun-sat)");
  T_CRON_ERR("* * * * jan", "field 5 (day-of-week): \"jan\" is not a "
                            "number or a day name (sun-sat)");
  T_CRON_ERR("*5 * * * *", "field 1 (minute): \"*5\" is not a number");
  T_CRON_ERR("1,,2 * * * *", "field 1 (minute): empty item in list");
  T_CRON_ERR("* * * * 1,", "field 5 (day-of-week): empty item in list");
  T_CRON_ERR("-5 * * * *", "field 1 (minute): \"-5\" has no value before '-'");
  T_CRON_ERR("/5 * * * *", "field 1 (minute): \"/5\" has no value before '/'");
  T_CRON_ERR("5- * * * *", "field 1 (minute): range \"5-\" has no end");
  T_CRON_ERR("30-10 * * * *", "field 1 (minute): range 30-10 runs backwards");
  T_CRON_ERR("* * * * fri-mon",
             "field 5 (day-of-week): range fri-mon runs backwards");
  T_CRON_ERR("*-5 * * * *", "field 1 (minute): \"*-5\": '*' cannot start a "
                            "range");
  T_CRON_ERR("*/ * * * *", "field 1 (minute): \"*/\" has no step after '/'");
  T_CRON_ERR("*/x * * * *", "field 1 (minute): step \"x\" is not a number");
  T_CRON_ERR("*/0 * * * *", "field 1 (minute): step 0 is out of range 1-60");
  T_CRON_ERR("*/61 * * * *", "field 1 (minute): step 61 is out of range 1-60");
  T_CRON_ERR("* */25 * * *", "field 2 (hour): step 25 is out of range 1-24");
  T_CRON_ERR("1-5-7 * * * *",
             "field 1 (minute): unexpected \"-7\" in \"1-5-7\"");
  T_CRON_ERR("*/5/2 * * * *",
             "field 1 (minute): unexpected \"/2\" in \"*/5/2\"");
}

static void test_every(void) {
  T_EVERY("30s", 30);
  T_EVERY("15m", 900);
  T_EVERY("1h", 3600);
  T_EVERY("2d", 172800);
  T_EVERY("1s", 1);
  T_EVERY("366d", 31622400);
  T_EVERY("0090m", 5400);
  T_EVERY_ERR("0s", "interval \"0s\" must be at least 1s");
  T_EVERY_ERR("5", "interval \"5\" has no unit (s, m, h or d)");
  T_EVERY_ERR("1x", "interval \"1x\": unknown unit \"x\" (s, m, h or d)");
  T_EVERY_ERR("1ms", "interval \"1ms\": unknown unit \"ms\" (s, m, h or d)");
  T_EVERY_ERR("1.5h", "interval \"1.5h\": unknown unit \".5h\" (s, m, h or d)");
  T_EVERY_ERR("-1m", "interval \"-1m\" must start with a positive whole "
                     "number");
  T_EVERY_ERR("m", "interval \"m\" must start with a positive whole number");
  T_EVERY_ERR("999999d", "interval \"999999d\" is longer than 366 days");
  T_EVERY_ERR("367d", "interval \"367d\" is longer than 366 days");
  T_EVERY_ERR("99999999999999999999s",
              "interval \"99999999999999999999s\" is longer than 366 days");
  T_EVERY_ERR("", "empty interval: expected a number and a unit (s, m, h, "
                  "d), such as \"15m\"");
  T_EVERY_ERR(NULL, "empty interval: expected a number and a unit (s, m, h, "
                    "d), such as \"15m\"");
}

static void test_schedule_next(void) {
  st_schedule s;
  char err[256];
  memset(&s, 0, sizeof s);
  s.is_cron = 1;
  T_EQ_INT(st_cron_parse("0 0 13 * fri", &s.cron, err, sizeof err), ST_OK);
  T_CHECK(st_schedule_next(&s, T0) == 1796947200);
  s.is_cron = 0;
  T_EQ_INT(st_every_parse("15m", &s.every, err, sizeof err), ST_OK);
  T_CHECK(st_schedule_next(&s, T0 + 0.25) == T0 + 900.25);
}

T_SUITE(T_CASE(test_parse_bits), T_CASE(test_every_minute),
        T_CASE(test_numbers), T_CASE(test_ranges), T_CASE(test_steps),
        T_CASE(test_lists), T_CASE(test_weekdays), T_CASE(test_either_rule),
        T_CASE(test_leap_day), T_CASE(test_rollovers),
        T_CASE(test_impossible), T_CASE(test_errors), T_CASE(test_every),
        T_CASE(test_schedule_next))
