/* host.c - see host.h. */
#include "host.h"

#include <lauxlib.h>

#include "lgraph.h"
#include "luajson.h"

st_sandbox *st_host_new(const st_sandbox_opts *o, char *err, size_t errlen) {
  st_sandbox *sb = st_sandbox_new(o, err, errlen);
  if (sb) st_lgraph_open_core(st_sandbox_state(sb));
  return sb;
}

/* ctx.params_of(id): the effective parameters of another policy in the
 * run, so a policy that builds on others (sequencing on readiness and
 * governance) judges with the thresholds the user set for them. */
static int ctx_params_of(lua_State *L) {
  const char *id = luaL_checkstring(L, 1);
  lua_getfield(L, lua_upvalueindex(1), id);
  return 1;
}

/* Sets t.params_of to a closure over {policy id → params}. [-0, +0, m] */
static void set_params_of(lua_State *L, const st_policyset *set) {
  size_t n = set ? set->n : 0;
  lua_createtable(L, 0, (int)n);
  for (size_t i = 0; i < n; i++) {
    st_luajson_push(L, set->v[i].params);
    lua_setfield(L, -2, set->v[i].id);
  }
  lua_pushcclosure(L, ctx_params_of, 1);
  lua_setfield(L, -2, "params_of");
}

/* Sets params, policy and fail for the policy being evaluated.
 * [-0, +0, m] */
static void set_policy_fields(lua_State *L, const st_ctx_spec *c) {
  const st_policy *p = c->policy;
  st_luajson_push(L, p->params);
  lua_setfield(L, -2, "params");
  lua_createtable(L, 0, 3);
  lua_pushstring(L, p->id);
  lua_setfield(L, -2, "id");
  lua_pushstring(L, st_severity_name(p->severity));
  lua_setfield(L, -2, "severity");
  lua_pushstring(L, p->title);
  lua_setfield(L, -2, "title");
  lua_setfield(L, -2, "policy");
  if (c->fail) {
    lua_pushcfunction(L, c->fail);
    lua_setfield(L, -2, "fail");
  }
}

void st_host_push_ctx(lua_State *L, const st_ctx_spec *c) {
  lua_createtable(L, 0, 8);
  st_lgraph_push_api(L);
  lua_setfield(L, -2, "graph");
  st_lgraph_push_observations(L);
  lua_setfield(L, -2, "observations");
  lua_pushinteger(L, (lua_Integer)c->now);
  lua_setfield(L, -2, "now");
  set_params_of(L, c->set);
  if (c->policy) set_policy_fields(L, c);
}
