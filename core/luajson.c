/* luajson.c - see luajson.h. */
#include "luajson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lgraph.h"
#include "luacompat.h"
#include "util.h"

#define JSON_MAX_DEPTH 32

/* {=== Lua to JSON ====================================================== */

static cJSON *to_json(lua_State *L, int idx, int depth, int *budget);

/* A table is a sequence when its keys are exactly 1..#t. Every key looked
 * at is charged to the budget, and the count stops past #t, so a table of
 * many keys referenced many times cannot make the conversion run long.
 * [-0, +0] */
static int is_sequence(lua_State *L, int idx, lua_Integer *n, int *budget) {
  *n = (lua_Integer)lua_rawlen(L, idx);
  if (*n == 0) return 0;
  lua_Integer count = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    (*budget)--;
    if (++count > *n || *budget <= 0) {
      lua_pop(L, 1);
      return 0;
    }
  }
  return count == *n;
}

static int member_cmp(const void *a, const void *b) {
  return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

/* Sorts an object's members by key. Lua visits a table's keys in an order
 * that changes from run to run (string hashes are seeded per state), and
 * a report must read the same every time. */
static void sort_members(cJSON *o) {
  size_t n = 0;
  for (cJSON *c = o->child; c; c = c->next) n++;
  if (n < 2) return;
  cJSON **items = st_xmalloc(n * sizeof *items);
  n = 0;
  for (cJSON *c = o->child; c; c = c->next) items[n++] = c;
  qsort(items, n, sizeof *items, member_cmp);
  for (size_t i = 0; i < n; i++) {    /* cJSON: first->prev is the last */
    items[i]->prev = items[i ? i - 1 : n - 1];
    items[i]->next = i + 1 < n ? items[i + 1] : NULL;
  }
  o->child = items[0];
  free(items);
}

/* The sequence at idx (n items) as an array. [-0, +0, m] */
static cJSON *array_to_json(lua_State *L, int idx, lua_Integer n, int depth,
                            int *budget) {
  cJSON *a = cJSON_CreateArray();
  for (lua_Integer i = 1; i <= n; i++) {
    if (*budget <= 0) {
      cJSON_AddItemToArray(a, cJSON_CreateString("…truncated"));
      break;
    }
    lua_rawgeti(L, idx, i);
    cJSON_AddItemToArray(a, to_json(L, lua_gettop(L), depth + 1, budget));
    lua_pop(L, 1);
  }
  return a;
}

/* The member name of the table key at -2: a string as it is, a number
 * written into buf; NULL for a key JSON cannot name. [-0, +0] */
static const char *member_name(lua_State *L, char *buf, size_t size) {
  if (lua_type(L, -2) == LUA_TSTRING) return lua_tostring(L, -2);
  if (lua_type(L, -2) != LUA_TNUMBER) return NULL;
  snprintf(buf, size, "%.14g", lua_tonumber(L, -2));
  return buf;
}

/* The table at idx as an object, its members sorted. [-0, +0, m] */
static cJSON *object_to_json(lua_State *L, int idx, int depth, int *budget) {
  cJSON *o = cJSON_CreateObject();
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    if (*budget <= 0) {
      lua_pop(L, 2);                 /* the key and value lua_next pushed */
      cJSON_AddTrueToObject(o, "…truncated");
      break;
    }
    char key[64];
    const char *k = member_name(L, key, sizeof key);
    if (k) {
      size_t klen = strlen(k);
      if ((size_t)*budget < klen / 256) {
        lua_pop(L, 2);
        *budget = 0;
        cJSON_AddTrueToObject(o, "…truncated");
        break;
      }
      *budget -= (int)(klen / 256);
      cJSON_AddItemToObject(o, k, to_json(L, lua_gettop(L), depth + 1,
                                          budget));
    }
    else (*budget)--;               /* a skipped key still cost a look */
    lua_pop(L, 1);
  }
  sort_members(o);
  return o;
}

/* [-0, +0, m] */
static cJSON *table_to_json(lua_State *L, int idx, int depth, int *budget) {
  lua_Integer n;
  if (!lua_checkstack(L, 4)) return cJSON_CreateNull();
  if (is_sequence(L, idx, &n, budget))
    return array_to_json(L, idx, n, depth, budget);
  return object_to_json(L, idx, depth, budget);
}

/* The number of values in v's subtree, counting no further than cap. */
static int doc_size(const st_doc *d, st_val v, int cap) {
  int n = 1;
  unsigned t = ST_VAL_TAG(v);
  for (uint32_t i = 0; n < cap && (t == ST_T_ARR || t == ST_T_OBJ) &&
                       i < st_doc_len(d, v); i++)
    n += doc_size(d, t == ST_T_ARR ? st_doc_at(d, v, i) :
                  st_doc_val_at(d, v, i), cap - n);
  return n;
}

/* A node view becomes its id; any other view the JSON it names, charged
 * to the budget by size, so a big registry value referenced many times
 * cannot blow up the host's memory. */
static cJSON *view_to_json(const st_lgraph_view *w, int *budget) {
  if (w->node_id) return cJSON_CreateString(w->node_id);
  int size = doc_size(w->doc, w->v, *budget + 1);
  if (size > *budget) {
    *budget = 0;
    return cJSON_CreateString("…truncated");
  }
  *budget -= size;
  return st_doc_export(w->doc, w->v);
}

/* The value at idx, within the budget. [-0, +0, m] */
static cJSON *to_json(lua_State *L, int idx, int depth, int *budget) {
  (*budget)--;
  if (depth > JSON_MAX_DEPTH) return cJSON_CreateString("(nested too deep)");
  switch (lua_type(L, idx)) {
  case LUA_TBOOLEAN: return cJSON_CreateBool(lua_toboolean(L, idx));
  case LUA_TNUMBER: {
    double x = lua_tonumber(L, idx);
    return isfinite(x) ? cJSON_CreateNumber(x) : cJSON_CreateNull();
  }
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    /* Long strings cost by size: 10,000 references to one 1 MiB string
     * would otherwise be 10 GiB of evidence. */
    if ((size_t)*budget < len / 256) {
      *budget = 0;
      return cJSON_CreateString("…truncated");
    }
    *budget -= (int)(len / 256);
    char *copy = st_xstrndup(s, len);    /* NULs end the JSON string */
    cJSON *j = cJSON_CreateString(copy);
    free(copy);
    return j;
  }
  case LUA_TTABLE: return table_to_json(L, idx, depth, budget);
  case LUA_TUSERDATA: {
    st_lgraph_view w;
    return st_lgraph_test_view(L, idx, &w) ? view_to_json(&w, budget) :
           cJSON_CreateNull();
  }
  default: return cJSON_CreateNull();
  }
}

cJSON *st_luajson_from_lua(lua_State *L, int idx, int max_items) {
  int budget = max_items;
  return to_json(L, lua_absindex(L, idx), 0, &budget);
}

/* }=== */

/* {=== JSON to Lua ====================================================== */

void st_luajson_push(lua_State *L, const cJSON *j) {
  luaL_checkstack(L, 3, "JSON too deep");
  if (cJSON_IsBool(j)) lua_pushboolean(L, cJSON_IsTrue(j));
  else if (cJSON_IsNumber(j)) {
    double x = j->valuedouble;
    if (x == floor(x) && fabs(x) < 9007199254740992.0)
      lua_pushinteger(L, (lua_Integer)x);
    else
      lua_pushnumber(L, x);
  } else if (cJSON_IsString(j)) lua_pushstring(L, j->valuestring);
  else if (cJSON_IsArray(j)) {
    lua_newtable(L);
    lua_Integer i = 1;
    for (const cJSON *c = j->child; c; c = c->next, i++) {
      st_luajson_push(L, c);
      lua_rawseti(L, -2, i);
    }
  } else if (cJSON_IsObject(j)) {
    lua_newtable(L);
    for (const cJSON *c = j->child; c; c = c->next) {
      st_luajson_push(L, c);
      lua_setfield(L, -2, c->string);
    }
  } else lua_pushnil(L);
}

/* }=== */

/* {=== Size ============================================================ */

size_t st_luajson_size(const cJSON *j) {
  size_t n = 8;
  if (j->string) n += strlen(j->string);
  if (cJSON_IsString(j) && j->valuestring) n += strlen(j->valuestring);
  for (const cJSON *c = j->child; c; c = c->next) n += st_luajson_size(c);
  return n;
}

/* }=== */
