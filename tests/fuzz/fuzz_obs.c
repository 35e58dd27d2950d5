/*
 * fuzz_obs.c - libFuzzer harness for the observations reader (obs.c).
 *
 * Input: arbitrary bytes, split into lines at '\n' as st_obs_load splits a
 * file (blank lines skipped); each line goes to st_obs_add_line within the
 * whole buffer (lines are not NUL-terminated on their own, as in a file).
 * After the last line, st_obs_index and st_obs_range for a few subjects and
 * for every subject read; each range must lie within the set.
 *
 * Built by `make fuzz`; replayed by tests/unit/test_fuzz_regressions.c with
 * ST_FUZZ_NO_MAIN defined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obs.h"
#include "util.h"

static int fuzz_obs_one(const uint8_t *data, size_t size)
{
    char *text = st_xstrndup((const char *)data, size);
    st_obsset s;
    char err[ST_ERRLEN];
    st_obs_init(&s);
    int lineno = 0;
    for (size_t pos = 0; pos < size;) {
        size_t eol = pos;
        while (eol < size && text[eol] != '\n')
            eol++;
        lineno++;
        size_t l = eol - pos;
        if (strspn(text + pos, " \t\r") < l)
            st_obs_add_line(&s, text + pos, l, "fuzz.jsonl", lineno, err,
                            sizeof err);
        pos = eol + 1;
    }
    st_obs_index(&s);
    static const char *const subjects[] = {"a", "lead-scorer", "", "x"};
    for (size_t i = 0; i < sizeof subjects / sizeof *subjects; i++) {
        size_t first = 0, n = st_obs_range(&s, subjects[i], &first);
        if (first + n > s.n)
            abort();
    }
    for (size_t i = 0; i < s.n && i < 32; i++) {
        size_t slen = 0;
        const char *subj = st_doc_atom_str(&s.doc, s.v[i].subject, &slen);
        if (strlen(subj) != slen)
            continue;                  /* "\u0000" inside: no C name for it */
        size_t first = 0, n = st_obs_range(&s, subj, &first);
        if (n == 0 || first + n > s.n)
            abort();                   /* a subject that is there is found */
    }
    st_obs_free(&s);
    free(text);
    return 0;
}

#ifndef ST_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_obs_one(data, size);
}
#endif
