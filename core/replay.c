/* replay.c - see replay.h. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "session.h"
#include "store.h"

/* The policies a run evaluated, from its record, as a list the caller
 * frees (the strings are the record's). */
static const char **policies_of(const cJSON *record, size_t *n) {
  const cJSON *list = cJSON_GetObjectItem(record, "policies"), *x;
  const char **v = st_xcalloc((size_t)cJSON_GetArraySize(list) + 1,
                              sizeof *v);
  *n = 0;
  cJSON_ArrayForEach(x, list)
    if (cJSON_IsString(x)) v[(*n)++] = x->valuestring;
  return v;
}

/* The same finding, field by field (the evidence as JSON). */
static int same_finding(const st_finding *a, const st_finding *b) {
  cJSON *ja = st_finding_json(a), *jb = st_finding_json(b);
  int same = cJSON_Compare(ja, jb, 1);
  cJSON_Delete(ja);
  cJSON_Delete(jb);
  return same;
}

static void print_finding(FILE *out, char sign, const st_finding *f) {
  cJSON *j = st_finding_json(f);
  char *text = cJSON_PrintUnformatted(j);
  fprintf(out, "%c %s\n", sign, text);
  cJSON_free(text);
  cJSON_Delete(j);
}

/* Prints the differences of two sorted lists; returns how many. */
static size_t diff(FILE *out, const st_findings *stored,
                   const st_findings *now) {
  size_t i = 0, j = 0, n = 0;
  while (i < stored->n || j < now->n) {
    int c = i == stored->n ? 1 : j == now->n ? -1 :
            st_finding_identity_cmp(&stored->v[i], &now->v[j]);
    if (c == 0 && same_finding(&stored->v[i], &now->v[j])) {
      i++, j++;
      continue;
    }
    n++;
    if (c <= 0) print_finding(out, '-', &stored->v[i++]);
    if (c >= 0) print_finding(out, '+', &now->v[j++]);
  }
  return n;
}

static int identity_order(const void *a, const void *b) {
  return st_finding_identity_cmp(a, b);
}

/* Evaluates the run again into rep. */
static int evaluate(st_store *st, const cJSON *record, st_report *rep,
                    char *err, size_t errlen) {
  const char *rh = cJSON_GetStringValue(cJSON_GetObjectItem(record,
                                                            "registry_hash"));
  const char *ph = cJSON_GetStringValue(cJSON_GetObjectItem(record,
                                                            "policy_hash"));
  char *reg = NULL, *pol = NULL;
  size_t rl, pl;
  st_report_init(rep);
  int rc = st_store_blob_get(st, rh ? rh : "", &reg, &rl, err, errlen);
  if (!rc) rc = st_store_blob_get(st, ph ? ph : "", &pol, &pl, err, errlen);
  char *home = st_session_home();
  st_session *s = NULL;
  if (!rc) rc = st_session_open_blobs(home, reg, rl, pol, pl, &s, err,
                                      errlen);
  free(home);
  free(reg);
  free(pol);
  st_obsset obs;
  st_obs_init(&obs);
  int64_t hwm = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(
      record, "obs_high_water"));
  if (!rc) rc = st_store_obs_load(st, hwm, &obs, err, errlen);
  st_obs_index(&obs);
  if (!rc) {
    size_t n;
    const char **ids = policies_of(record, &n);
    st_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.now = cJSON_GetNumberValue(cJSON_GetObjectItem(record, "clock"));
    ro.fail_on = ST_SEV_HIGH;
    ro.select = ids;
    ro.nselect = n;
    ro.obs = &obs;
    rc = n ? st_session_check(s, &ro, rep, err, errlen) : ST_OK;
    free(ids);
  }
  st_obs_free(&obs);
  st_session_close(s);
  return rc;
}

int st_replay(const char *store_path, int64_t run, FILE *out, FILE *errout) {
  char err[ST_ERRLEN];
  st_store *st = NULL;
  cJSON *record = NULL;
  st_findings stored;
  st_findings_init(&stored);
  st_report rep;
  st_report_init(&rep);
  int rc = st_store_open(store_path, 1, &st, err, sizeof err);
  if (!rc) rc = st_store_run_inputs(st, run, &record, &stored, err,
                                    sizeof err);
  if (!rc) rc = evaluate(st, record, &rep, err, sizeof err);
  int code = 2;
  if (rc) {
    fprintf(errout, "steward: %s\n", err);
  } else {
    qsort(stored.v, stored.n, sizeof *stored.v, identity_order);
    qsort(rep.findings.v, rep.findings.n, sizeof *rep.findings.v,
          identity_order);
    size_t n = diff(out, &stored, &rep.findings);
    if (n) fprintf(out, "not reproduced: %zu difference%s\n", n,
                   n == 1 ? "" : "s");
    else fprintf(out, "reproduced: run %lld, %zu findings\n", (long long)run,
                 stored.n);
    code = n ? 1 : 0;
  }
  st_report_free(&rep);
  st_findings_free(&stored);
  cJSON_Delete(record);
  st_store_close(st);
  return code;
}
