/*
 * fuzz_yaml.c - libFuzzer harness for YAML registry files (yamlreg.c and
 * the registry loader behind it).
 *
 * Input: arbitrary bytes as one YAML file. Parsed; when it parses, every
 * recorded position is looked up for the root and a few pointers and must
 * lie within the text's lines, and the tree is loaded as a registry file
 * (keep going) so the loader's checks and positions run on YAML too.
 *
 * Built by `make fuzz`; replayed by tests/unit/test_fuzz_regressions.c with
 * ST_FUZZ_NO_MAIN defined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "yamlreg.h"
#include "util.h"

static int fuzz_yaml_one(const uint8_t *data, size_t size)
{
    char *text = st_xstrndup((const char *)data, size);
    /* libyaml counts CR, LF, CRLF and the Unicode breaks as lines: a line
     * takes at least one byte, so size + 1 bounds them all. */
    size_t lines = size + 1;
    st_yaml_pos *pos = NULL;
    char err[ST_ERRLEN];
    cJSON *root = st_yaml_parse("fuzz.yaml", text, size, &pos, err,
                                sizeof err);
    if (root) {
        static const char *const ptrs[] = {"", "/workflows", "/a/0",
                                           "/models/x/version", "/~1/~0"};
        for (size_t i = 0; i < sizeof ptrs / sizeof *ptrs; i++) {
            int line, col;
            st_yaml_where(pos, ptrs[i], (int)(i & 1), &line, &col);
            if (line < 1 || col < 1 || (size_t)line > lines) abort();
        }
        st_yaml_pos_free(pos);
        cJSON_Delete(root);
        st_registry r;
        st_registry_init(&r);
        st_load_opts lo = {1};
        st_registry_load_text(&r, "fuzz.yaml", text, size, &lo, err,
                              sizeof err);
        st_registry_free(&r);
    } else if (pos) {
        abort();                       /* no tree, no positions */
    }
    free(text);
    return 0;
}

#ifndef ST_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_yaml_one(data, size);
}
#endif
