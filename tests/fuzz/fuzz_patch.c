/*
 * fuzz_patch.c - libFuzzer harness for change sets (patch.c): RFC 7386
 * merge patches, RFC 6902 JSON Patches and RFC 6901 pointers.
 *
 * Input: a JSON document and a change set, split at the first NUL byte
 * (with no NUL, the document is {"a":1} and the whole input is the change
 * set). Both are parsed with cJSON_ParseWithLength; the change set goes to
 * st_patch_apply. Properties checked, beyond the sanitizers:
 *   - all-or-nothing: when st_patch_apply fails, the document is the same
 *     root pointer and prints byte-identically to before;
 *   - a successful result prints, and st_patch_equal holds between it and
 *     its own duplicate;
 *   - the "path" and "from" of every operation resolve (or not) through
 *     st_pointer_get without harm, and st_pointer_append either fits or
 *     leaves its buffer unchanged.
 *
 * Built by `make fuzz`; replayed by tests/unit/test_fuzz_regressions.c with
 * ST_FUZZ_NO_MAIN defined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "patch.h"
#include "util.h"

static void fuzz_patch_pointers(const cJSON *doc, const cJSON *ops)
{
    if (!cJSON_IsArray(ops))
        return;
    const cJSON *op;
    cJSON_ArrayForEach(op, ops) {
        static const char *const keys[] = {"path", "from"};
        for (int k = 0; k < 2; k++) {
            const cJSON *p = cJSON_GetObjectItemCaseSensitive(op, keys[k]);
            if (!cJSON_IsString(p))
                continue;
            st_pointer_get(doc, p->valuestring);
            char buf[64] = "/x";
            if (st_pointer_append(buf, sizeof buf, p->valuestring) != 0 &&
                strcmp(buf, "/x") != 0)
                abort();               /* a refused append changed buf */
        }
    }
}

static int fuzz_patch_one(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    const char *dtext = nul ? (const char *)data : "{\"a\":1}";
    size_t dlen = nul ? (size_t)(nul - data) : strlen(dtext);
    const char *ctext = nul ? (const char *)nul + 1 : (const char *)data;
    size_t clen = nul ? size - dlen - 1 : size;
    cJSON *doc = cJSON_ParseWithLength(dtext, dlen);
    cJSON *change = cJSON_ParseWithLength(ctext, clen);
    if (doc && change) {
        fuzz_patch_pointers(doc, change);
        char *before = cJSON_PrintUnformatted(doc);
        cJSON *root_before = doc;
        char err[256];
        if (st_patch_apply(&doc, change, err, sizeof err) != 0) {
            char *after = cJSON_PrintUnformatted(doc);
            if (doc != root_before || !before || !after ||
                strcmp(before, after) != 0)
                abort();               /* not all-or-nothing */
            free(after);
        } else {
            char *after = cJSON_PrintUnformatted(doc);
            cJSON *copy = cJSON_Duplicate(doc, 1);
            if (!after || (copy && !st_patch_equal(doc, copy)))
                abort();
            cJSON_Delete(copy);
            free(after);
        }
        free(before);
    }
    cJSON_Delete(doc);
    cJSON_Delete(change);
    return 0;
}

#ifndef ST_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_patch_one(data, size);
}
#endif
