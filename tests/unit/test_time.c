/*
 * test_time.c - RFC 3339 parsing and formatting (core/timeutil.c) and
 * st_line_col (core/util.c).
 *
 * Expected epoch values come from `date -u -d DATE +%s`, not from the
 * module's own arithmetic, so a bug in st_time_days_from_civil cannot hide
 * behind itself.
 */
#include "timeutil.h"
#include "util.h"
#include "t.h"

#include <math.h>

/* st_time_parse(s) succeeds with exactly want. */
#define T_PARSES(s, want) do { double t_e_ = -1; \
    int t_rc_ = st_time_parse((s), &t_e_); \
    if (t_rc_ != 0) T_FAILF("st_time_parse(\"%s\") refused", (s)); \
    else if (t_e_ != (double)(want)) \
        T_FAILF("st_time_parse(\"%s\") == %.6f, expected %.6f", (s), t_e_, \
                (double)(want)); } while (0)

/* Within a microsecond: fractional seconds are summed digit by digit. */
#define T_PARSES_NEAR(s, want) do { double t_e_ = -1; \
    int t_rc_ = st_time_parse((s), &t_e_); \
    if (t_rc_ != 0) T_FAILF("st_time_parse(\"%s\") refused", (s)); \
    else if (fabs(t_e_ - (double)(want)) > 1e-6) \
        T_FAILF("st_time_parse(\"%s\") == %.9f, expected %.9f", (s), t_e_, \
                (double)(want)); } while (0)

/* st_time_parse(s) refuses and leaves *epoch alone. */
#define T_REFUSES(s) do { double t_e_ = 12345; \
    if (st_time_parse((s), &t_e_) != -1) \
        T_FAILF("st_time_parse(\"%s\") accepted (%.3f)", (s), t_e_); \
    else if (t_e_ != 12345) \
        T_FAILF("st_time_parse(\"%s\") wrote *epoch on failure", (s)); \
    } while (0)

#define NOV26 1795651200.0   /* 2026-11-26T00:00:00Z */

static void test_dates(void)
{
    T_PARSES("1970-01-01", 0);
    T_PARSES("2026-11-26", NOV26);
    T_PARSES("2000-01-01", 946684800);
    T_PARSES("1969-12-31", -86400);
    T_PARSES("2026-12-31", NOV26 + 35 * 86400.0);
    T_PARSES("2027-01-01", NOV26 + 36 * 86400.0);
    T_PARSES("0001-01-01", -62135596800.0);
    T_PARSES("9999-12-31", 253402214400.0);
}

static void test_times_utc(void)
{
    T_PARSES("2026-11-26T00:00:00Z", NOV26);
    T_PARSES("2026-11-26T13:45:07Z", NOV26 + 13 * 3600 + 45 * 60 + 7);
    T_PARSES("2026-11-26T23:59:59Z", NOV26 + 86399);
    T_PARSES("2026-11-26t13:45:07z", NOV26 + 13 * 3600 + 45 * 60 + 7);
    T_PARSES("2026-11-26 13:45:07Z", NOV26 + 13 * 3600 + 45 * 60 + 7);
    T_PARSES("2016-12-31T23:59:59Z", 1483228799);
    /* RFC 3339 allows a leap second: it reads as the next midnight. */
    T_PARSES("2016-12-31T23:59:60Z", 1483228800);
}

static void test_offsets(void)
{
    T_PARSES("2026-11-26T02:00:00+02:00", NOV26);
    T_PARSES("2026-11-25T18:30:00-05:30", NOV26);
    T_PARSES("2026-11-26T00:00:00+00:00", NOV26);
    T_PARSES("2026-11-26T00:00:00-00:00", NOV26);
    T_PARSES("2026-11-26T12:00:00+14:00", NOV26 - 2 * 3600);
    T_PARSES("2026-11-26T00:00:00-23:59", NOV26 + 23 * 3600 + 59 * 60);
    /* An offset that moves the instant across a year boundary. */
    T_PARSES("2027-01-01T01:00:00+02:00", NOV26 + 35 * 86400.0 + 23 * 3600);
}

static void test_fractions(void)
{
    T_PARSES("2026-11-26T00:00:00.5Z", NOV26 + 0.5);
    T_PARSES("2026-11-26T00:00:00.25+02:00", NOV26 - 7200 + 0.25);
    T_PARSES_NEAR("2026-11-26T13:45:07.123Z", NOV26 + 49507.123);
    T_PARSES_NEAR("2026-11-26T13:45:07.123456789Z", NOV26 + 49507.123456789);
    T_PARSES_NEAR("2026-11-26T00:00:00.000001Z", NOV26 + 0.000001);
    T_PARSES("2026-11-26T00:00:00.0Z", NOV26);
}

static void test_leap_years(void)
{
    T_PARSES("2000-02-29", 951782400);            /* divisible by 400 */
    T_PARSES("2024-02-29", 1709164800);           /* divisible by 4 */
    T_REFUSES("1900-02-29");                      /* divisible by 100 */
    T_REFUSES("2100-02-29");
    T_REFUSES("2026-02-29");
    T_REFUSES("2024-02-30");
    T_PARSES("1900-03-01", -2203891200.0);
    T_PARSES("1900-02-28", -2203891200.0 - 86400);
    T_EQ_INT(st_time_days_from_civil(1970, 1, 1), 0);
    T_EQ_INT(st_time_days_from_civil(2000, 3, 1) -
             st_time_days_from_civil(2000, 2, 1), 29);
    T_EQ_INT(st_time_days_from_civil(1900, 3, 1) -
             st_time_days_from_civil(1900, 2, 1), 28);
    T_EQ_INT(st_time_days_from_civil(2024, 3, 1) -
             st_time_days_from_civil(2024, 2, 1), 29);
    T_EQ_INT(st_time_days_from_civil(2001, 1, 1) -
             st_time_days_from_civil(2000, 1, 1), 366);
    T_EQ_INT(st_time_days_from_civil(1901, 1, 1) -
             st_time_days_from_civil(1900, 1, 1), 365);
}

static void test_rejections(void)
{
    T_REFUSES("2026-02-30");
    T_REFUSES("2026-04-31");
    T_REFUSES("2026-13-01");
    T_REFUSES("2026-00-10");
    T_REFUSES("2026-01-00");
    T_REFUSES("2026-01-32");
    T_REFUSES("2026-11-26T24:00:00Z");
    T_REFUSES("2026-11-26T23:60:00Z");
    T_REFUSES("2026-11-26T23:59:61Z");
    T_REFUSES("2026-11-26T13:45:07");        /* a time needs a zone */
    T_REFUSES("2026-11-26T13:45Z");          /* seconds are required */
    T_REFUSES("2026-11-26T13:45:07.Z");      /* a dot needs digits */
    T_REFUSES("2026-11-26T13:45:07+0200");
    T_REFUSES("2026-11-26T13:45:07+2:00");
    T_REFUSES("2026-11-26T13:45:07+24:00");
    T_REFUSES("2026-11-26T13:45:07+02:60");
    T_REFUSES("2026-11-26T");
    T_REFUSES("2026-11-26 ");
    T_REFUSES("2026-11-26Z");
    T_REFUSES("2026-11-26x");
    T_REFUSES("2026-11-26T13:45:07Zjunk");
    T_REFUSES("2026-11-26T13:45:07Z ");
    T_REFUSES(" 2026-11-26");
    T_REFUSES("2026-1-26");
    T_REFUSES("26-11-26");
    T_REFUSES("2026/11/26");
    T_REFUSES("20261126");
    T_REFUSES("");
    T_REFUSES("yesterday");
    double e = 7;
    T_EQ_INT(st_time_parse(NULL, &e), -1);
    T_CHECK(e == 7);
}

static void test_format(void)
{
    char out[32];
    st_time_format(0, out, sizeof out);
    T_EQ_STR(out, "1970-01-01T00:00:00Z");
    st_time_format(NOV26, out, sizeof out);
    T_EQ_STR(out, "2026-11-26T00:00:00Z");
    st_time_format(NOV26 + 49507.999, out, sizeof out);   /* floored */
    T_EQ_STR(out, "2026-11-26T13:45:07Z");
    st_time_format(-0.5, out, sizeof out);                /* floored */
    T_EQ_STR(out, "1969-12-31T23:59:59Z");
    st_time_format(951782400 + 86399, out, sizeof out);
    T_EQ_STR(out, "2000-02-29T23:59:59Z");
    st_time_format(-2203891200.0 - 1, out, sizeof out);
    T_EQ_STR(out, "1900-02-28T23:59:59Z");

    /* Round trips: parse, format, parse again. */
    static const char *const samples[] = {
        "2026-11-26T13:45:07Z", "2000-02-29T00:00:00Z", "1999-12-31T23:59:59Z",
        "1969-07-20T20:17:40Z", "2038-01-19T03:14:08Z", "1900-01-01T00:00:00Z",
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        double a = 0, b = 1;
        T_EQ_INT(st_time_parse(samples[i], &a), 0);
        st_time_format(a, out, sizeof out);
        T_EQ_STR(out, samples[i]);
        T_EQ_INT(st_time_parse(out, &b), 0);
        T_CHECK(a == b);
    }
    /* An offset comes back as the same instant in UTC. */
    double a = 0;
    T_EQ_INT(st_time_parse("2026-11-25T18:30:00-05:30", &a), 0);
    st_time_format(a, out, sizeof out);
    T_EQ_STR(out, "2026-11-26T00:00:00Z");
    /* A short buffer is truncated, never overrun. */
    char small[11];
    memset(small, 'x', sizeof small);
    st_time_format(NOV26, small, sizeof small);
    T_EQ_STR(small, "2026-11-26");
}

static void test_split(void)
{
    st_tm tm;
    st_time_split(0, &tm);                       /* a Thursday */
    T_EQ_INT(tm.year, 1970); T_EQ_INT(tm.month, 1); T_EQ_INT(tm.day, 1);
    T_EQ_INT(tm.wday, 4); T_EQ_INT(tm.yday, 0);

    st_time_split(NOV26 + 13 * 3600 + 45 * 60 + 7, &tm);  /* Thursday */
    T_EQ_INT(tm.year, 2026); T_EQ_INT(tm.month, 11); T_EQ_INT(tm.day, 26);
    T_EQ_INT(tm.hour, 13); T_EQ_INT(tm.min, 45); T_EQ_INT(tm.sec, 7);
    T_EQ_INT(tm.wday, 4); T_EQ_INT(tm.yday, 329);

    st_time_split(946684800, &tm);               /* 2000-01-01, Saturday */
    T_EQ_INT(tm.wday, 6); T_EQ_INT(tm.yday, 0);

    st_time_split(951782400, &tm);               /* 2000-02-29, Tuesday */
    T_EQ_INT(tm.month, 2); T_EQ_INT(tm.day, 29); T_EQ_INT(tm.wday, 2);
    T_EQ_INT(tm.yday, 59);

    st_time_split(1709164800 + 86400, &tm);      /* 2024-03-01, Friday */
    T_EQ_INT(tm.month, 3); T_EQ_INT(tm.day, 1); T_EQ_INT(tm.wday, 5);
    T_EQ_INT(tm.yday, 60);

    st_time_split(1483228799, &tm);              /* 2016-12-31, Saturday */
    T_EQ_INT(tm.wday, 6); T_EQ_INT(tm.yday, 365);
    T_EQ_INT(tm.hour, 23); T_EQ_INT(tm.min, 59); T_EQ_INT(tm.sec, 59);

    st_time_split(-86400, &tm);                  /* 1969-12-31, Wednesday */
    T_EQ_INT(tm.year, 1969); T_EQ_INT(tm.month, 12); T_EQ_INT(tm.day, 31);
    T_EQ_INT(tm.wday, 3); T_EQ_INT(tm.yday, 364);

    st_time_split(-1, &tm);                      /* the last second of 1969 */
    T_EQ_INT(tm.year, 1969); T_EQ_INT(tm.hour, 23); T_EQ_INT(tm.min, 59);
    T_EQ_INT(tm.sec, 59); T_EQ_INT(tm.wday, 3);

    st_time_split(-2203891200.0, &tm);           /* 1900-03-01, Thursday */
    T_EQ_INT(tm.year, 1900); T_EQ_INT(tm.month, 3); T_EQ_INT(tm.day, 1);
    T_EQ_INT(tm.wday, 4); T_EQ_INT(tm.yday, 59);

    /* Seven consecutive days give seven consecutive weekdays. */
    for (int i = 0; i < 7; i++) {
        st_time_split(NOV26 + i * 86400.0, &tm);
        T_EQ_INT(tm.wday, (4 + i) % 7);
    }
}

static void test_line_col(void)
{
    const char *t = "ab\ncd\n\nxyz";
    size_t len = strlen(t);
    int line = 0, col = 0;
    st_line_col(t, len, 0, &line, &col);
    T_EQ_INT(line, 1); T_EQ_INT(col, 1);
    st_line_col(t, len, 1, &line, &col);
    T_EQ_INT(line, 1); T_EQ_INT(col, 2);
    st_line_col(t, len, 2, &line, &col);          /* the newline itself */
    T_EQ_INT(line, 1); T_EQ_INT(col, 3);
    st_line_col(t, len, 3, &line, &col);
    T_EQ_INT(line, 2); T_EQ_INT(col, 1);
    st_line_col(t, len, 6, &line, &col);          /* an empty line */
    T_EQ_INT(line, 3); T_EQ_INT(col, 1);
    st_line_col(t, len, 9, &line, &col);
    T_EQ_INT(line, 4); T_EQ_INT(col, 3);
    st_line_col(t, len, len, &line, &col);        /* end of text */
    T_EQ_INT(line, 4); T_EQ_INT(col, 4);
    st_line_col(t, len, len + 100, &line, &col);  /* clamped */
    T_EQ_INT(line, 4); T_EQ_INT(col, 4);
    st_line_col("", 0, 0, &line, &col);
    T_EQ_INT(line, 1); T_EQ_INT(col, 1);
    /* Columns count bytes: "é" is two. */
    st_line_col("\xc3\xa9x", 3, 2, &line, &col);
    T_EQ_INT(line, 1); T_EQ_INT(col, 3);
    /* A tab is one column; \r is not a line break. */
    st_line_col("\tx\r\ny", 5, 4, &line, &col);
    T_EQ_INT(line, 2); T_EQ_INT(col, 1);
}

T_SUITE(T_CASE(test_dates), T_CASE(test_times_utc), T_CASE(test_offsets),
        T_CASE(test_fractions), T_CASE(test_leap_years),
        T_CASE(test_rejections), T_CASE(test_format), T_CASE(test_split),
        T_CASE(test_line_col))
