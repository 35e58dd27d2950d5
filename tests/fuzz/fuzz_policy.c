/*
 * fuzz_policy.c - libFuzzer harness for policy loading and evaluation
 * through the sandbox (policy.c, sandbox.c, lgraph.c, lpattern.c).
 *
 * Input: arbitrary bytes as the source of a policy file. It is loaded with
 * st_policyset_load_text into a set whose run limits are a 50 ms deadline
 * and a 16 MiB heap (st_limits; the instruction budget stays at its
 * default, so the deadline is what ends a loop), then evaluated twice
 * against a small fixed registry and observation set, so a kill's rebuild
 * runs too. A policy may raise its own limits; the harness clamps what
 * the loader accepted back to the run's, so that every input ends within
 * the deadline. Findings are printed as JSON and freed.
 *
 * Built by `make fuzz`; replayed by tests/unit/test_fuzz_regressions.c with
 * ST_FUZZ_NO_MAIN defined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "obs.h"
#include "policy.h"
#include "runner.h"
#include "registry.h"
#include "util.h"

#define FUZZ_POLICY_NOW 1795651200.0    /* 2026-11-26T00:00:00Z */

static const char FUZZ_POLICY_REGISTRY[] =
    "{\"owners\": {\"alice\": {\"name\": \"Alice\"}, \"team\": {}},"
    " \"systems\": {\"crm\": {\"name\": \"CRM\"}},"
    " \"datasets\": {\"leads\": {\"owner\": \"team\"}},"
    " \"models\": {\"scorer\": {\"owner\": \"team\", \"version\": \"1.0\","
    "   \"reads\": [\"leads\"]}},"
    " \"workflows\": {"
    "   \"a\": {\"owner\": \"alice\", \"stage\": \"measurement\","
    "     \"uses\": [{\"model\": \"scorer\", \"version\": \"1.0\"}],"
    "     \"reads\": [\"leads\"], \"writes\": [\"crm\"], \"feeds\": [\"b\"],"
    "     \"task\": {\"inputs\": [\"x\"], \"outputs\": [\"y\"]}},"
    "   \"b\": {\"owner\": \"alice\", \"feeds\": [\"a\"]}},"
    " \"waivers\": {\"w1\": {\"policy\": \"p\", \"subject\": \"a\","
    "   \"owner\": \"alice\", \"reason\": \"r\", \"expires\": \"2027-01-01\"}}}";

static const char *const FUZZ_POLICY_OBS[] = {
    "{\"at\":\"2026-01-01\",\"subject\":\"a\",\"metric\":\"psi\",\"value\":0.1}",
    "{\"at\":\"2026-02-01\",\"subject\":\"a\",\"metric\":\"psi\",\"value\":0.3}",
    "{\"at\":\"2026-01-15\",\"kind\":\"incident\",\"subject\":\"a\","
    "\"severity\":\"high\"}",
    "{\"at\":\"2026-01-20\",\"kind\":\"usage\",\"model\":\"scorer\","
    "\"caller\":\"a\",\"count\":120}",
};

static st_registry fuzz_policy_reg;
static st_obsset fuzz_policy_obs;

static void fuzz_policy_fixtures(void)
{
    static int ready;
    if (ready)
        return;
    char err[ST_ERRLEN];
    cJSON *root = cJSON_Parse(FUZZ_POLICY_REGISTRY);
    st_registry_init(&fuzz_policy_reg);
    if (!root ||
        st_registry_add(&fuzz_policy_reg, root, "reg.json",
                        FUZZ_POLICY_REGISTRY, err, sizeof err) != ST_OK ||
        st_registry_finish(&fuzz_policy_reg, NULL, err, sizeof err) != ST_OK)
        abort();                       /* the fixture itself is broken */
    cJSON_Delete(root);
    st_obs_init(&fuzz_policy_obs);
    for (size_t i = 0; i < sizeof FUZZ_POLICY_OBS / sizeof *FUZZ_POLICY_OBS;
         i++)
        if (st_obs_add_line(&fuzz_policy_obs, FUZZ_POLICY_OBS[i],
                            strlen(FUZZ_POLICY_OBS[i]), "obs.jsonl",
                            (int)i + 1, err, sizeof err) != ST_OK)
            abort();
    st_obs_index(&fuzz_policy_obs);
    ready = 1;
}

static int fuzz_policy_one(const uint8_t *data, size_t size)
{
    fuzz_policy_fixtures();
    st_limits limits = {0, (size_t)16 << 20, 0.05};
    st_policyset set;
    char err[ST_ERRLEN];
    st_policyset_init(&set, "stdlib", FUZZ_POLICY_NOW, &limits);
    if (st_policyset_load_text(&set, "fuzz.lua", (const char *)data, size,
                               err, sizeof err) == ST_OK) {
        for (size_t i = 0; i < set.n; i++) {
            st_policy *p = &set.v[i];
            if (p->limits.instructions > set.limits.instructions)
                p->limits.instructions = set.limits.instructions;
            if (p->limits.memory > set.limits.memory)
                p->limits.memory = set.limits.memory;
            if (p->limits.seconds > set.limits.seconds)
                p->limits.seconds = set.limits.seconds;
        }
        st_runner runner;
        st_runner_init(&runner, &set);
        st_run_input in = {&fuzz_policy_reg, &fuzz_policy_obs,
                           FUZZ_POLICY_NOW, 0, NULL};
        for (int round = 0; round < 2; round++) {
            st_findings f;
            st_findings_init(&f);
            st_runner_eval_all(&runner, &in, &f);
            st_registry_apply_waivers(&fuzz_policy_reg, &f, FUZZ_POLICY_NOW);
            st_findings_sort(&f);
            for (size_t i = 0; i < f.n; i++)
                if (f.v[i].evidence) {
                    char *js = cJSON_PrintUnformatted(f.v[i].evidence);
                    free(js);
                }
            st_findings_free(&f);
        }
        st_runner_free(&runner);
    }
    st_policyset_free(&set);
    return 0;
}

#ifndef ST_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_policy_one(data, size);
}
#endif
