/*
 * lgraph.h - the registry and observations as Lua sees them: read-only views.
 *
 * A view is a small userdata naming one value of an st_doc (the registry's
 * or the observations'); reading a field reads the doc in C, so no policy
 * state ever holds a copy of the registry. Views support field and index
 * access, #, pairs and ==, and refuse every write. A node view also answers
 * `id` and `kind`. The graph functions (ctx.graph.node, nodes, out, into,
 * dependents, owner, path, cycles) and ctx.observations are built here.
 * Turning Lua values (views among them) into JSON and back is luajson.h.
 *
 * Binding: st_lgraph_bind attaches a registry and an observation set to a
 * state; it must be called before any view is made and again whenever the
 * policy is to see another registry (impact's before and after). The bound
 * objects are borrowed and must outlive the binding. Threading: one state,
 * one thread; the bound registry is only read.
 */
#ifndef ST_LGRAPH_H
#define ST_LGRAPH_H

#include <lua.h>

#include "doc.h"
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

/* What a view names, for C code that reads views (luajson.h turns them
 * into JSON). Borrowed from the bound registry or observations: valid
 * while they stay bound. */
typedef struct {
  const st_doc *doc;         /* the document the value is in */
  st_val v;                  /* the value */
  const char *node_id;       /* a node view's id; NULL for any other view */
} st_lgraph_view;

/* Fills *out and returns 1 when the value at idx is a view made under the
 * current binding; returns 0 for anything else (a view kept from an
 * earlier binding included). [-0, +0] */
int st_lgraph_test_view(lua_State *L, int idx, st_lgraph_view *out);

#endif
