/* readiness.c - see readiness.h. */
#include "readiness.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "host.h"
#include "lgraph.h"
#include "luajson.h"
#include "sandbox.h"

/* Runs in the sandbox with (workflow, ctx, findings); returns the rows.
 * The stdlib functions take the parameters as a map of policy id to
 * parameters, read here through ctx.params_of; the layers are judged from
 * the workflow's findings (findings_of). */
static const char READINESS_CHUNK[] =
  "local w, ctx, findings = ...\n"
  "local params = setmetatable({}, { __index = function(t, id)\n"
  "  local p = ctx.params_of(id); rawset(t, id, p); return p end })\n"
  "local readiness = require 'steward.readiness'\n"
  "local sequencing = require 'steward.sequencing'\n"
  "local layers = require 'steward.layers'\n"
  "return { layers = layers.status(findings),\n"
  "         criteria = readiness.criteria(w, ctx, params),\n"
  "         steps = sequencing.steps(w, ctx, params),\n"
  "         required = sequencing.required(w.stage) or 0 }\n";

/* The workflow's findings from one run of every loaded policy, the run
 * `steward check` would make, as [{policy, layer, waived}] for
 * steward.layers; NULL with err filled when the run cannot be made. */
static cJSON *findings_of(const st_session *s, const st_readiness_opts *o,
                          const char *wf, char *err, size_t errlen) {
  st_run_opts ro;
  memset(&ro, 0, sizeof ro);
  ro.now = o->now;
  ro.fail_on = ST_SEV_COUNT;
  ro.obs = o->obs;
  st_report rep;
  cJSON *list = NULL;
  if (st_session_check(s, &ro, &rep, err, errlen) == ST_OK) {
    list = cJSON_CreateArray();
    for (size_t i = 0; i < rep.findings.n; i++) {
      const st_finding *f = &rep.findings.v[i];
      if (strcmp(f->subject, wf)) continue;
      cJSON *x = cJSON_CreateObject();
      cJSON_AddStringToObject(x, "policy", f->policy);
      if (st_layer_name(f->layer))
        cJSON_AddStringToObject(x, "layer", st_layer_name(f->layer));
      cJSON_AddBoolToObject(x, "waived", f->waiver != NULL);
      cJSON_AddItemToArray(list, x);
    }
  }
  st_report_free(&rep);
  return list;
}

/* A list the stdlib returned empty, which converts as {}: as []. */
static void as_array(cJSON *o, const char *key) {
  cJSON *x = cJSON_GetObjectItem(o, key);
  if (x && !cJSON_IsArray(x) && !x->child)
    cJSON_ReplaceItemInObject(o, key, cJSON_CreateArray());
}

/* Makes criteria paths absolute: "task/outputs" → "/workflows/W/task/outputs". */
static void absolute_paths(cJSON *r, const st_registry *reg, uint32_t node) {
  char *base = st_registry_node_pointer(reg, node);
  cJSON *x;
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "criteria")) {
    const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(x, "path"));
    if (!p || p[0] == '/') continue;
    st_buf b;
    st_buf_init(&b);
    st_buf_printf(&b, "%s/%s", base, p);
    cJSON_ReplaceItemInObject(x, "path", cJSON_CreateString(b.data));
    st_buf_free(&b);
  }
  free(base);
}

/* Marks each step with whether the workflow's stage requires it. */
static void mark_required(cJSON *r) {
  int required = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "required"));
  cJSON *step;
  cJSON_ArrayForEach(step, cJSON_GetObjectItem(r, "steps")) {
    int k = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(step, "step"));
    cJSON_AddBoolToObject(step, "required", k <= required);
  }
}

/* A failing criterion as the finding its policy would report, so whether
 * it blocks is decided by the one rule (finding.h) and a waiver on that
 * policy and workflow is honoured as check honours it. */
static int criterion_blocks(cJSON *x, const st_session *s, const char *wf,
                            double now) {
  const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(x, "id"));
  const st_policy *p = id ? st_policyset_find(st_session_policies(s), id)
                          : NULL;
  st_finding f;
  memset(&f, 0, sizeof f);
  f.policy = (char *)(id ? id : "");
  f.subject = (char *)wf;
  f.severity = p ? (uint8_t)p->severity : ST_SEV_HIGH;
  f.enforcement = p ? (uint8_t)p->enforcement : ST_ENF_SOFT;
  const st_waiver *w = f.enforcement == ST_ENF_HARD ? NULL :
      st_registry_waiver(st_session_registry(s), f.policy, wf, now);
  if (w) {
    f.waiver = w->id;
    cJSON_AddStringToObject(x, "waived_by", w->id);
  }
  return st_finding_blocks(&f, ST_SEV_INFO);
}

/* Ready: no failing criterion blocks and every required step is done. */
static void add_verdict(cJSON *r, const st_session *s, const char *wf,
                        double now) {
  int ready = 1;
  cJSON *x;
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "criteria"))
    if (!cJSON_IsTrue(cJSON_GetObjectItem(x, "ok")))
      ready &= !criterion_blocks(x, s, wf, now);
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "steps"))
    if (cJSON_IsTrue(cJSON_GetObjectItem(x, "required")))
      ready &= cJSON_IsTrue(cJSON_GetObjectItem(x, "ok"));
  cJSON_AddBoolToObject(r, "ready", ready);
}

/* The rows the chunk returned at the top of the stack, as the result. */
static cJSON *result_of(lua_State *L, const st_session *s, uint32_t node,
                        double now) {
  const st_registry *reg = st_session_registry(s);
  const char *wf = st_graph_id(&reg->graph, node);
  cJSON *rows = st_luajson_from_lua(L, -1, 100000);
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "workflow", wf);
  const char *stage = st_doc_str(&reg->doc, st_doc_getk(&reg->doc,
                                 reg->graph.nodes[node].value, "stage"), NULL);
  if (stage) cJSON_AddStringToObject(r, "stage", stage);
  else cJSON_AddNullToObject(r, "stage");
  for (const char *k = "layers\0criteria\0steps\0required\0"; *k;
       k += strlen(k) + 1)
    cJSON_AddItemToObject(r, k, cJSON_DetachItemFromObject(rows, k));
  cJSON_Delete(rows);
  cJSON *x;
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "layers")) {
    as_array(x, "failing");
    as_array(x, "waived");
  }
  absolute_paths(r, reg, node);
  mark_required(r);
  add_verdict(r, s, wf, now);
  return r;
}

cJSON *st_readiness_run(const st_session *s, const st_readiness_opts *o,
                        uint32_t node, char *err, size_t errlen) {
  cJSON *findings = findings_of(s, o, st_graph_id(&st_session_registry(s)->graph,
                                                  node), err, errlen);
  if (!findings) return NULL;
  st_sandbox_opts so = {"steward readiness", st_session_stdlib(s), o->now,
                        *st_session_limits(s), NULL};
  st_sandbox *sb = st_host_new(&so, err, errlen);
  if (!sb) {
    cJSON_Delete(findings);
    return NULL;
  }
  lua_State *L = st_sandbox_state(sb);
  st_lgraph_bind(L, st_session_registry(s),
                 o->obs ? o->obs : st_session_observations(s));
  cJSON *r = NULL;
  int kind;
  if (st_sandbox_load(sb, READINESS_CHUNK, sizeof READINESS_CHUNK - 1,
                      "=readiness", err, errlen) == ST_OK) {
    st_lgraph_push_node(L, node);
    st_ctx_spec spec = {st_session_policies(s), NULL, NULL, o->now};
    st_host_push_ctx(L, &spec);
    st_luajson_push(L, findings);
    if (st_sandbox_call(sb, 3, 1, &kind, err, errlen) == ST_OK)
      r = result_of(L, s, node, o->now);
  }
  st_sandbox_free(sb);
  cJSON_Delete(findings);
  return r;
}

/* The strings of a list, ", "-separated, the first after `lead`. */
static void print_ids(FILE *out, const cJSON *list, const char *lead) {
  const cJSON *id;
  int first = 1;
  cJSON_ArrayForEach(id, list) {
    fprintf(out, "%s%s", first ? lead : ", ", cJSON_GetStringValue(id));
    first = 0;
  }
}

void st_readiness_text(FILE *out, const cJSON *r) {
  const cJSON *x;
  const char *stage = cJSON_GetStringValue(cJSON_GetObjectItem(r, "stage"));
  int required = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "required"));
  fprintf(out, "%s (stage %s)\n\nlayers:\n",
          cJSON_GetStringValue(cJSON_GetObjectItem(r, "workflow")),
          stage ? stage : "none");
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "layers")) {
    int complete = cJSON_IsTrue(cJSON_GetObjectItem(x, "complete"));
    fprintf(out, "  %-11s %s",
            cJSON_GetStringValue(cJSON_GetObjectItem(x, "layer")),
            complete ? "complete" : "incomplete:");
    print_ids(out, cJSON_GetObjectItem(x, "failing"), " ");
    if (cJSON_GetArraySize(cJSON_GetObjectItem(x, "waived")) > 0) {
      fputs(" (waived: ", out);
      print_ids(out, cJSON_GetObjectItem(x, "waived"), "");
      fputc(')', out);
    }
    fputc('\n', out);
  }
  fputs("\nreadiness criteria:\n", out);
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "criteria")) {
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(x, "path"));
    const char *waiver = cJSON_GetStringValue(cJSON_GetObjectItem(x,
                                                                  "waived_by"));
    fprintf(out, "  %s  %-24s %s", cJSON_IsTrue(cJSON_GetObjectItem(x, "ok")) ?
            "pass" : waiver ? "WAIV" : "FAIL",
            cJSON_GetStringValue(cJSON_GetObjectItem(x, "id")),
            cJSON_GetStringValue(cJSON_GetObjectItem(x, "why")));
    if (path) fprintf(out, " (at %s)", path);
    if (waiver) fprintf(out, " (waived: %s)", waiver);
    fputc('\n', out);
  }
  if (required > 1)
    fprintf(out, "\nsequencing (stage %s requires steps 1-%d):\n", stage,
            required);
  else if (required == 1)
    fprintf(out, "\nsequencing (stage %s requires step 1):\n", stage);
  else fprintf(out, "\nsequencing (stage %s requires no step yet):\n",
               stage ? stage : "none");
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "steps")) {
    int req = cJSON_IsTrue(cJSON_GetObjectItem(x, "required"));
    int ok = cJSON_IsTrue(cJSON_GetObjectItem(x, "ok"));
    fprintf(out, "  %s  %d %-12s %-9s %s\n", ok ? "done" : req ? "FAIL" : "todo",
            (int)cJSON_GetNumberValue(cJSON_GetObjectItem(x, "step")),
            cJSON_GetStringValue(cJSON_GetObjectItem(x, "name")),
            req ? "required" : "", cJSON_GetStringValue(cJSON_GetObjectItem(x,
                                                                     "why")));
  }
  fprintf(out, "\n%s\n", cJSON_IsTrue(cJSON_GetObjectItem(r, "ready")) ?
          "ready: the criteria pass and every step the stage needs is done" :
          "not ready: a criterion fails or a step the stage needs is missing");
}
