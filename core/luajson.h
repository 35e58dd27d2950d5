/*
 * luajson.h - Lua values to JSON and JSON to Lua values, for what crosses
 * between a policy and the host: a finding's evidence, a policy's params,
 * the results `steward test` compares.
 *
 * Lua to JSON reads without running any metamethod (the host never runs
 * policy code while collecting its output) and within a budget of items,
 * so a hostile value cannot make the conversion run long or grow without
 * bound. Graph views (lgraph.h) become the JSON they name.
 *
 * Ownership: st_luajson_from_lua returns a tree the caller frees with
 * cJSON_Delete; st_luajson_push copies into the state and keeps nothing.
 * Threading: no state of its own; a lua_State is used by one thread at a
 * time, as always.
 */
#ifndef ST_LUAJSON_H
#define ST_LUAJSON_H

#include <stddef.h>

#include <cJSON.h>
#include <lua.h>

/* The item budget for what a policy hands the host (evidence, params). */
#define ST_LUAJSON_MAX_ITEMS 10000

/* Converts a Lua value to JSON without running any metamethod: tables by raw
 * access (a sequence becomes an array), views as the JSON they name (a node
 * view as its id), functions and other unrepresentable values as null.
 * Depth is capped; past max_items values, the rest of each table is
 * replaced by a member "…truncated": true. Returns a tree the caller frees.
 * [-0, +0, m] */
cJSON *st_luajson_from_lua(lua_State *L, int idx, int max_items);

/* Pushes JSON as plain Lua tables (for params and test results). [-0, +1, m] */
void st_luajson_push(lua_State *L, const cJSON *j);

/* Roughly the bytes j takes printed: strings and keys by length, a few
 * bytes for everything else. */
size_t st_luajson_size(const cJSON *j);

#endif
