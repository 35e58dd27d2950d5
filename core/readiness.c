/* readiness.c - see readiness.h. */
#include "readiness.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lgraph.h"
#include "luajson.h"
#include "sandbox.h"

/* Runs in the sandbox with (workflow, ctx, params); returns the rows. */
static const char READINESS_CHUNK[] =
  "local w, ctx, params = ...\n"
  "local readiness = require 'steward.readiness'\n"
  "local sequencing = require 'steward.sequencing'\n"
  "return { criteria = readiness.criteria(w, ctx, params),\n"
  "         steps = sequencing.steps(w, ctx, params),\n"
  "         required = sequencing.required(w.stage) or 0 }\n";

/* Pushes the ctx the stdlib functions expect: graph, observations, now,
 * params_of. [-0, +1, m] */
static void push_ctx(lua_State *L, const st_policyset *set, int params) {
  lua_createtable(L, 0, 4);
  st_lgraph_push_api(L);
  lua_setfield(L, -2, "graph");
  st_lgraph_push_observations(L);
  lua_setfield(L, -2, "observations");
  lua_pushinteger(L, (lua_Integer)set->now);
  lua_setfield(L, -2, "now");
  st_policyset_push_params_of(L, params);
  lua_setfield(L, -2, "params_of");
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

/* Ready: the five criteria pass and every required step is complete. */
static void add_verdict(cJSON *r) {
  int ready = 1;
  const cJSON *x;
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "criteria"))
    ready &= cJSON_IsTrue(cJSON_GetObjectItem(x, "ok"));
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "steps"))
    if (cJSON_IsTrue(cJSON_GetObjectItem(x, "required")))
      ready &= cJSON_IsTrue(cJSON_GetObjectItem(x, "ok"));
  cJSON_AddBoolToObject(r, "ready", ready);
}

cJSON *st_readiness_run(const st_registry *reg, const st_obsset *obs,
                        const st_policyset *set, uint32_t node, char *err,
                        size_t errlen) {
  st_sandbox_opts o = {"steward readiness", set->stdlib_dir, set->now,
                       set->limits, NULL};
  st_sandbox *sb = st_sandbox_new(&o, err, errlen);
  if (!sb) return NULL;
  lua_State *L = st_sandbox_state(sb);
  st_lgraph_open_core(L);
  st_lgraph_bind(L, reg, obs);
  cJSON *r = NULL;
  int kind;
  if (st_sandbox_load(sb, READINESS_CHUNK, sizeof READINESS_CHUNK - 1,
                      "=readiness", err, errlen) == ST_OK) {
    st_lgraph_push_node(L, node);
    st_policyset_push_params(L, set);
    push_ctx(L, set, lua_gettop(L));
    lua_pushvalue(L, -2);
    lua_remove(L, -3);              /* function, node, ctx, params */
    if (st_sandbox_call(sb, 3, 1, &kind, err, errlen) == ST_OK) {
      cJSON *rows = st_luajson_from_lua(L, -1, 100000);
      r = cJSON_CreateObject();
      cJSON_AddStringToObject(r, "workflow", st_graph_id(&reg->graph, node));
      const char *stage = st_doc_str(&reg->doc, st_doc_getk(&reg->doc,
                                     reg->graph.nodes[node].value, "stage"),
                                     NULL);
      if (stage) cJSON_AddStringToObject(r, "stage", stage);
      else cJSON_AddNullToObject(r, "stage");
      for (const char *k = "criteria\0steps\0required\0"; *k; k += strlen(k) + 1)
        cJSON_AddItemToObject(r, k, cJSON_DetachItemFromObject(rows, k));
      cJSON_Delete(rows);
      absolute_paths(r, reg, node);
      mark_required(r);
      add_verdict(r);
    }
  }
  st_sandbox_free(sb);
  return r;
}

void st_readiness_text(FILE *out, const cJSON *r) {
  const cJSON *x;
  const char *stage = cJSON_GetStringValue(cJSON_GetObjectItem(r, "stage"));
  int required = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "required"));
  fprintf(out, "%s (stage %s)\n\nreadiness criteria:\n",
          cJSON_GetStringValue(cJSON_GetObjectItem(r, "workflow")),
          stage ? stage : "none");
  cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "criteria")) {
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(x, "path"));
    fprintf(out, "  %s  %-24s %s", cJSON_IsTrue(cJSON_GetObjectItem(x, "ok")) ?
            "pass" : "FAIL", cJSON_GetStringValue(cJSON_GetObjectItem(x, "id")),
            cJSON_GetStringValue(cJSON_GetObjectItem(x, "why")));
    if (path) fprintf(out, " (at %s)", path);
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
