/*
 * host.h - what steward adds to a sandbox: its host modules and ctx.
 *
 * Every sandbox steward runs Lua in (a policy's, `steward readiness`'s, a
 * test file's) is made by st_host_new, so each has the same host modules
 * (steward.core), and every ctx a policy or the stdlib sees is built by
 * st_host_push_ctx, so the shape of ctx is defined once:
 *
 *   ctx.graph         the graph API (lgraph.h)
 *   ctx.observations  observations(subject [, filter]) (lgraph.h)
 *   ctx.now           the evaluation clock, integer epoch seconds
 *   ctx.params_of     params_of(id): any policy's effective parameters
 *   ctx.params        this policy's parameters       } only when a policy
 *   ctx.policy        {id, severity, title}          } is being evaluated
 *   ctx.fail          fail(message [, options])      }
 *
 * The state must be bound (st_lgraph_bind) before ctx is used.
 * Ownership: st_host_new returns a sandbox the caller frees with
 * st_sandbox_free; the ctx spec is borrowed for the call. Threading: one
 * state, one thread.
 */
#ifndef ST_HOST_H
#define ST_HOST_H

#include <lua.h>

#include "policy.h"
#include "sandbox.h"

/* A sandbox with the host modules opened, or NULL with err filled. */
st_sandbox *st_host_new(const st_sandbox_opts *o, char *err, size_t errlen);

typedef struct {
  const st_policyset *set;   /* for params_of; may be NULL (an empty map) */
  const st_policy *policy;   /* the policy evaluated, or NULL */
  lua_CFunction fail;        /* ctx.fail when policy is set */
  double now;
} st_ctx_spec;

/* Pushes a new ctx table. [-0, +1, m] */
void st_host_push_ctx(lua_State *L, const st_ctx_spec *c);

#endif
