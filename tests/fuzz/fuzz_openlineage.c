/*
 * fuzz_openlineage.c - libFuzzer harness for the OpenLineage importer
 * (openlineage.c, ol_*.c).
 *
 * Input: arbitrary bytes, converted as one input (JSON Lines, an array or
 * one event) twice, through one state (a run's START in the first pass
 * ends in the second), with a small registry and map file mapping some of
 * the names the seed corpus uses. Properties: every record made is an
 * observation steward accepts (st_obs_check on its printed text), and a
 * failed conversion adds nothing. The suggestions fragment is built and
 * printed.
 *
 * Built by `make fuzz`; replayed by tests/unit/test_fuzz_regressions.c with
 * ST_FUZZ_NO_MAIN defined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "obs.h"
#include "openlineage.h"
#include "util.h"

static const char FUZZ_REG[] =
  "{\"datasets\": {\"crm.leads\": {\"schema_version\": \"5\", \"openlineage\":"
  " {\"namespace\": \"postgres://crm-db.internal:5432\", \"name\":"
  " \"crm.public.leads\"}}},"
  " \"models\": {\"lead-scorer\": {\"mlflow_name\": \"LeadScorer\","
  " \"input_schema\": {\"crm.leads\": \"5\"}}, \"churn-predictor\":"
  " {\"openlineage\": {\"namespace\": \"s3://northwind-ml-models\", \"name\":"
  " \"churn-predictor\"}}},"
  " \"workflows\": {\"lead-qualification\": {\"uses\": [\"lead-scorer\"],"
  " \"openlineage\": {\"namespace\": \"airflow-prod\", \"name\":"
  " \"sales_scoring.score_leads\"}}}}";

static const char FUZZ_MAP[] =
  "{\"jobs\": [{\"namespace\": \"spark-prod\", \"name\": \"churn_features."
  "execute_insert_into_hadoop_fs_relation_command\", \"id\":"
  " \"churn-outreach\"}], \"models\": [{\"name\": \"lead_scorer_v3\","
  " \"id\": \"lead-scorer\"}]}";

/* Every record must be an observation as POST /v1/observations checks it. */
static void check_records(const cJSON *records)
{
    int i = 0;
    for (const cJSON *r = records->child; r; r = r->next, i++) {
        char *line = cJSON_PrintUnformatted(r);
        size_t at;
        int trailing;
        cJSON *again = st_json_parse(line, strlen(line), &at, &trailing);
        st_obs_fields f;
        char err[ST_ERRLEN];
        if (!again || st_obs_check(again, line, strlen(line), "fuzz", i + 1,
                                   &f, err, sizeof err) != ST_OK)
            abort();
        cJSON_Delete(again);
        cJSON_free(line);
    }
}

static int fuzz_openlineage_one(const uint8_t *data, size_t size)
{
    char err[ST_ERRLEN];
    st_registry reg;
    st_registry_init(&reg);
    st_load_opts lo = {1};
    st_ol_map *m = NULL;
    if (st_registry_load_text(&reg, "reg.json", FUZZ_REG, strlen(FUZZ_REG),
                              &lo, err, sizeof err) != ST_OK ||
        st_ol_map_new(&reg, "map.json", FUZZ_MAP, strlen(FUZZ_MAP), &m, err,
                      sizeof err) != ST_OK)
        abort();
    st_ol_state *s = st_ol_state_new(NULL, NULL, 1);
    for (int pass = 0; pass < 2; pass++) {
        cJSON *records = cJSON_CreateArray();
        size_t events = 0;
        int rc = st_ol_convert(m, s, "fuzz.jsonl", (const char *)data, size,
                               records, &events, err, sizeof err);
        if (rc != ST_OK && cJSON_GetArraySize(records) != 0) abort();
        check_records(records);
        cJSON_Delete(records);
    }
    cJSON *frag = st_ol_suggest(s, m);
    char *text = cJSON_PrintUnformatted(frag);
    cJSON_free(text);
    cJSON_Delete(frag);
    char **ids, **states;
    size_t n = st_ol_state_changed(s, &ids, &states);
    for (size_t i = 0; i < n; i++) {
        free(ids[i]);
        free(states[i]);
    }
    free(ids);
    free(states);
    st_ol_state_free(s);
    st_ol_map_free(m);
    st_registry_free(&reg);
    return 0;
}

#ifndef ST_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_openlineage_one(data, size);
}
#endif
