/*
 * lgraph.h - the registry and observations as Lua sees them: read-only views.
 *
 * A view is a small userdata naming one value of an st_doc (the registry's
 * or the observations'); reading a field reads the doc in C, so no policy
 * state ever holds a copy of the registry. Views support field and index
 * access, #, pairs and ==, and refuse every write. A node view also answers
 * `id` and `kind`. The graph functions (ctx.graph.node, nodes, out, into,
 * dependents, owner, path, cycles) and ctx.observations are built here.
 *
 * Binding: st_lgraph_bind attaches a registry and an observation set to a
 * state; it must be called before any view is made and again whenever the
 * policy is to see another registry (impact's before and after). The bound
 * objects are borrowed and must outlive the binding. Threading: one state,
 * one thread; the bound registry is only read.
 */
#ifndef ST_LGRAPH_H
#define ST_LGRAPH_H

#include <cJSON.h>
#include <lua.h>

#include "obs.h"
#include "registry.h"

/* Binds reg and obs (obs may be NULL) to the state. [-0, +0, m] */
void st_lgraph_bind(lua_State *L, const st_registry *reg,
                    const st_obsset *obs);

/* Pushes the view of a node. [-0, +1, m] */
void st_lgraph_push_node(lua_State *L, uint32_t node);

/* Pushes a table of the graph functions (what policies get as ctx.graph).
 * [-0, +1, m] */
void st_lgraph_push_api(lua_State *L);

/* Pushes the observations function (ctx.observations). [-0, +1, m] */
void st_lgraph_push_observations(lua_State *L);

/* Registers "steward.core" (parse_time, format_time) in the state's module
 * cache so require finds it. [-0, +0, m] */
void st_lgraph_open_core(lua_State *L);

/* The node a view names, or ST_NODE_NONE if idx is not a node view. */
uint32_t st_lgraph_to_node(lua_State *L, int idx);

/* Converts a Lua value to JSON without running any metamethod: tables by raw
 * access (a sequence becomes an array), views as the JSON they name (a node
 * view as its id), functions and other unrepresentable values as null.
 * Depth is capped; past max_items values, the rest of each table is
 * replaced by a member "…truncated": true. Returns a tree the caller frees.
 * [-0, +0] */
cJSON *st_lgraph_to_json(lua_State *L, int idx, int max_items);

#define ST_EVIDENCE_MAX_ITEMS 10000

/* Roughly the bytes j takes printed: strings and keys by length, a few
 * bytes for everything else. */
size_t st_json_size(const cJSON *j);

/* Pushes JSON as plain Lua tables (for params and test results). [-0, +1, m] */
void st_lgraph_push_json(lua_State *L, const cJSON *j);

#endif
