/*
 * t.h - the tiny unit-test harness every C test binary in tests/unit uses.
 *
 * A test file defines functions `static void test_NAME(void)` and lists them
 * in a `T_SUITE(...)` at the end, which provides main(). Each check that
 * fails prints `FAIL test_NAME: FILE:LINE: what` and marks the test failed;
 * a test passes when none of its checks failed. The last line a binary
 * prints is `RESULT passed=N failed=M`, which tests/run.sh sums into the
 * project's `N passed, N failed`. Single-threaded; no allocation.
 */
#ifndef ST_T_H
#define ST_T_H

#include <stdio.h>
#include <string.h>

static int t_failed_checks;
static const char *t_current;

#define T_FAILF(...) do { \
    fprintf(stderr, "FAIL %s: %s:%d: ", t_current, __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
    t_failed_checks++; } while (0)

#define T_CHECK(cond) do { if (!(cond)) T_FAILF("%s", #cond); } while (0)

#define T_EQ_INT(a, b) do { long long t_a_ = (long long)(a), t_b_ = (long long)(b); \
    if (t_a_ != t_b_) T_FAILF("%s == %lld, expected %lld", #a, t_a_, t_b_); } while (0)

#define T_EQ_STR(a, b) do { const char *t_a_ = (a), *t_b_ = (b); \
    if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0) \
        T_FAILF("%s == \"%s\", expected \"%s\"", #a, t_a_ ? t_a_ : "(null)", \
                t_b_ ? t_b_ : "(null)"); } while (0)

/* Substring check: the message names what matters without freezing wording
 * that is not part of the contract. */
#define T_CONTAINS(hay, needle) do { const char *t_h_ = (hay), *t_n_ = (needle); \
    if (!t_h_ || !strstr(t_h_, t_n_)) \
        T_FAILF("%s == \"%s\", expected to contain \"%s\"", #hay, \
                t_h_ ? t_h_ : "(null)", t_n_); } while (0)

typedef struct { const char *name; void (*fn)(void); } t_case;

#define T_CASE(fn) { #fn, fn }

#define T_SUITE(...) \
    int main(int argc, char **argv) { \
        static const t_case cases[] = { __VA_ARGS__ }; \
        int passed = 0, failed = 0; \
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) { \
            if (argc > 1 && !strstr(cases[i].name, argv[1])) continue; \
            int before = t_failed_checks; \
            t_current = cases[i].name; \
            cases[i].fn(); \
            if (t_failed_checks == before) passed++; else failed++; \
        } \
        printf("RESULT passed=%d failed=%d\n", passed, failed); \
        return failed ? 1 : 0; \
    }

#endif
