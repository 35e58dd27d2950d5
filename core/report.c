/* report.c - see report.h. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "registry.h"

void st_report_init(st_report *r) {
  memset(r, 0, sizeof *r);
  st_findings_init(&r->findings);
}

void st_report_free(st_report *r) {
  st_findings_free(&r->findings);
  if (r->owns_registry && r->registry) {
    st_registry_free((st_registry *)r->registry);
    free((st_registry *)r->registry);
  }
  memset(r, 0, sizeof *r);
}

void st_summarize(const st_findings *f, int fail_on, size_t policies,
                  st_summary *s) {
  memset(s, 0, sizeof *s);
  s->fail_on = fail_on;
  s->policies = policies;
  const char *last = NULL;
  for (size_t i = 0; i < f->n; i++) {
    const st_finding *x = &f->v[i];
    s->findings++;
    if (x->waiver) s->waived++;
    if (x->error) s->errors++;
    if (st_finding_blocks(x, fail_on)) s->blocking++;
    if (x->severity < ST_SEV_COUNT) s->by_severity[x->severity]++;
    if (!x->waiver) s->by_layer[x->layer < ST_LAYER_COUNT ? x->layer : 0]++;
    if (!last || strcmp(last, x->subject)) s->subjects++;
    last = x->subject;
  }
}

int st_exit_code(const st_summary *s) {
  if (s->errors) return 3;
  return s->blocking ? 1 : 0;
}

cJSON *st_finding_json(const st_finding *f) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "policy", f->policy);
  cJSON_AddStringToObject(o, "subject", f->subject);
  cJSON_AddStringToObject(o, "severity", st_severity_name(f->severity));
  cJSON_AddStringToObject(o, "enforcement",
                          st_enforcement_name(f->enforcement));
  if (st_layer_name(f->layer))
    cJSON_AddStringToObject(o, "layer", st_layer_name(f->layer));
  else cJSON_AddNullToObject(o, "layer");
  cJSON_AddStringToObject(o, "message", f->message);
  if (f->path) cJSON_AddStringToObject(o, "path", f->path);
  else cJSON_AddNullToObject(o, "path");
  cJSON_AddItemToObject(o, "evidence", f->evidence ?
                        cJSON_Duplicate(f->evidence, 1) : cJSON_CreateNull());
  if (f->error) cJSON_AddStringToObject(o, "error", st_errkind_name(f->error));
  if (f->waiver) cJSON_AddStringToObject(o, "waived_by", f->waiver);
  cJSON_AddStringToObject(o, "key", f->key ? f->key : "");
  char fp[ST_FINGERPRINT_LEN + 1];
  st_finding_fingerprint(f, fp);
  cJSON_AddStringToObject(o, "identity", fp);
  return o;
}

static cJSON *summary_json(const st_summary *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "findings", (double)s->findings);
  cJSON_AddNumberToObject(o, "blocking", (double)s->blocking);
  cJSON_AddNumberToObject(o, "waived", (double)s->waived);
  cJSON_AddNumberToObject(o, "errors", (double)s->errors);
  cJSON_AddNumberToObject(o, "policies", (double)s->policies);
  cJSON_AddNumberToObject(o, "subjects", (double)s->subjects);
  cJSON *sev = cJSON_AddObjectToObject(o, "by_severity");
  for (int i = 0; i < ST_SEV_COUNT; i++)
    cJSON_AddNumberToObject(sev, st_severity_name(i),
                            (double)s->by_severity[i]);
  cJSON *layer = cJSON_AddObjectToObject(o, "by_layer");
  for (int i = ST_LAYER_TECHNICAL; i < ST_LAYER_COUNT; i++)
    cJSON_AddNumberToObject(layer, st_layer_name(i), (double)s->by_layer[i]);
  cJSON_AddNumberToObject(layer, "none", (double)s->by_layer[ST_LAYER_NONE]);
  cJSON_AddStringToObject(o, "fail_on", s->fail_on >= ST_SEV_COUNT ? "none" :
                          st_severity_name(s->fail_on));
  cJSON_AddNumberToObject(o, "exit_code", st_exit_code(s));
  return o;
}

/* Written a finding at a time: a million findings must not be a second
 * million-node tree in memory just to be printed. */
void st_report_json(FILE *out, const st_findings *f, const st_summary *s) {
  fputs("{\n\t\"findings\":\t[", out);
  for (size_t i = 0; i < f->n; i++) {
    cJSON *x = st_finding_json(&f->v[i]);
    char *text = cJSON_Print(x);
    fputs(i ? ", " : "", out);
    for (const char *p = text; *p; p++) {   /* as cJSON nests it */
      fputc(*p, out);
      if (*p == '\n') fputs("\t\t", out);
    }
    cJSON_free(text);
    cJSON_Delete(x);
  }
  cJSON *sum = summary_json(s);
  char *text = cJSON_Print(sum);
  fputs("],\n\t\"summary\":\t", out);
  for (const char *p = text; *p; p++) {
    fputc(*p, out);
    if (*p == '\n') fputc('\t', out);
  }
  fputs("\n}\n", out);
  cJSON_free(text);
  cJSON_Delete(sum);
}

static const char *sev_color(int sev) {
  static const char *const colors[ST_SEV_COUNT] = {
    "\033[2m", "\033[36m", "\033[33m", "\033[31m", "\033[1;31m"};
  return sev >= 0 && sev < ST_SEV_COUNT ? colors[sev] : "";
}

static void text_finding(FILE *out, const st_finding *x, int color) {
  const char *on = color ? sev_color(x->severity) : "";
  const char *off = color ? "\033[0m" : "";
  fprintf(out, "  %s%-8s%s %-28s %s", on, st_severity_name(x->severity), off,
          x->policy, x->message);
  if (x->error) fprintf(out, " [error: %s]", st_errkind_name(x->error));
  if (x->enforcement == ST_ENF_ADVISORY) fputs(" (advisory)", out);
  if (x->waiver) fprintf(out, " (waived: %s)", x->waiver);
  fputc('\n', out);
  if (x->path) fprintf(out, "  %8s %-28s at %s\n", "", "", x->path);
}

/* Findings arrive sorted by subject; within a subject, most severe first. */
void st_report_text(FILE *out, const st_findings *f, const st_summary *s,
                    int color) {
  for (size_t i = 0; i < f->n;) {
    size_t j = i;
    while (j < f->n && !strcmp(f->v[j].subject, f->v[i].subject)) j++;
    fprintf(out, "%s%s%s\n", color ? "\033[1m" : "",
            *f->v[i].subject ? f->v[i].subject : "(no subject)",
            color ? "\033[0m" : "");
    for (int sev = ST_SEV_COUNT - 1; sev >= 0; sev--)
      for (size_t k = i; k < j; k++)
        if (f->v[k].severity == sev) text_finding(out, &f->v[k], color);
    fputc('\n', out);
    i = j;
  }
  fprintf(out, "%zu finding%s (%zu critical, %zu high, %zu medium, %zu low, "
          "%zu info) on %zu subject%s from %zu polic%s",
          s->findings, s->findings == 1 ? "" : "s",
          s->by_severity[ST_SEV_CRITICAL], s->by_severity[ST_SEV_HIGH],
          s->by_severity[ST_SEV_MEDIUM], s->by_severity[ST_SEV_LOW],
          s->by_severity[ST_SEV_INFO], s->subjects,
          s->subjects == 1 ? "" : "s", s->policies,
          s->policies == 1 ? "y" : "ies");
  if (s->waived) fprintf(out, "; %zu waived", s->waived);
  if (s->errors) fprintf(out, "; %zu failed to run", s->errors);
  fprintf(out, "\n%zu open by layer: %zu technical, %zu process, %zu "
          "governance", s->findings - s->waived,
          s->by_layer[ST_LAYER_TECHNICAL], s->by_layer[ST_LAYER_PROCESS],
          s->by_layer[ST_LAYER_GOVERNANCE]);
  if (s->by_layer[ST_LAYER_NONE])
    fprintf(out, ", %zu with no layer", s->by_layer[ST_LAYER_NONE]);
  fprintf(out, "\n%zu blocking at --fail-on %s\n", s->blocking,
          s->fail_on >= ST_SEV_COUNT ? "none" : st_severity_name(s->fail_on));
}
