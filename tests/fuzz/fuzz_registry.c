/*
 * fuzz_registry.c - libFuzzer harness for the registry loader (registry.c)
 * and the position finder its errors use (jsonpos.c).
 *
 * Input: arbitrary bytes. When they contain a NUL byte, the bytes before
 * the first NUL are a JSON Pointer and the rest is the JSON text; else the
 * whole input is the text and a few fixed pointers are used. The text goes
 * through st_json_parse (as the loader parses files; on a parse error
 * st_line_col places it), st_registry_add (with the text, so errors carry
 * FILE:LINE:COL found by jsonpos), st_registry_finish (keep_going from the input's
 * length, so both modes run), and on success st_registry_export and
 * st_registry_where; the pointer goes through st_json_locate, _key and _dup
 * on the raw text, and the offsets they return must lie within it.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined; the
 * replay test (tests/unit/test_fuzz_regressions.c) includes this file with
 * ST_FUZZ_NO_MAIN defined and calls fuzz_registry_one on stored inputs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "jsonpos.h"
#include "registry.h"
#include "util.h"

static void fuzz_registry_locate(const char *text, size_t len,
                                 const char *pointer)
{
    size_t off = 0;
    st_json_locate(text, len, pointer, &off);
    if (off > len)
        abort();
    off = 0;
    st_json_locate_key(text, len, pointer, &off);
    if (off > len)
        abort();
    off = 0;
    st_json_locate_dup(text, len, pointer, &off);
    if (off > len)
        abort();
}

static int fuzz_registry_one(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t plen = nul ? (size_t)(nul - data) : 0;
    const char *body = (const char *)data + (nul ? plen + 1 : 0);
    size_t len = size - (nul ? plen + 1 : 0);
    char *pointer = st_xstrndup((const char *)data, plen);
    char *text = st_xstrndup(body, len);   /* NUL-terminated copy */

    static const char *const fixed[] = {"", "/workflows", "/owners/a/name",
                                        "/models/m/uses/0/version", "/0",
                                        "/waivers/w/expires", "/a~1b/~0"};
    if (nul)
        fuzz_registry_locate(text, len, pointer);
    else
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
            fuzz_registry_locate(text, len, fixed[i]);

    size_t at = 0;
    int trailing = 0, line, col;
    cJSON *root = st_json_parse(text, len, &at, &trailing);
    if (!root) {
        if (at > len)
            abort();
        st_line_col(text, len, at, &line, &col);
    } else {
        st_registry r;
        char err[ST_ERRLEN];
        st_registry_init(&r);
        if (st_registry_add(&r, root, "fuzz.json", text, err, sizeof err) ==
            ST_OK) {
            st_load_opts opts = {(int)(size & 1)};
            if (st_registry_finish(&r, &opts, err, sizeof err) == ST_OK) {
                cJSON *all = st_registry_export(&r);
                cJSON_Delete(all);
                char where[256];
                st_registry_where(&r, 0, nul ? pointer : "/workflows", 0,
                                  where, sizeof where);
                st_registry_where(&r, 0, nul ? pointer : "/owners", 1, where,
                                  sizeof where);
                for (uint32_t n = 0; n < r.graph.nnodes && n < 64; n++)
                    free(st_registry_node_pointer(&r, n));
            }
        }
        st_registry_free(&r);
        cJSON_Delete(root);
    }
    free(text);
    free(pointer);
    return 0;
}

#ifndef ST_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_registry_one(data, size);
}
#endif
