/* lgraph.c - see lgraph.h. */
#include "lgraph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "luacompat.h"

#include "sandbox.h"
#include "timeutil.h"

#define VIEW_META "steward.view"

/* What a state is bound to. Lives in a userdata in the Lua registry, so it
 * is freed with the state; the walker's arrays are host memory, released by
 * the userdata's __gc (set by the host, never by policy code). */
typedef struct {
  const st_registry *reg;
  const st_obsset *obs;
  st_walker walker;
  int walker_ready;
  uint32_t generation;       /* bumped by every bind */
} binding;

/* A view: which doc, which value, and the node when it is a node. */
typedef struct {
  st_val v;
  uint32_t node;             /* ST_NODE_NONE unless a node view */
  uint32_t generation;       /* the binding it was made under */
  uint8_t src;               /* 0 registry, 1 observations */
} view;

static const char BINDING_KEY = 'B';
static const char CACHE_KEY = 'C';

/* {=== Binding ========================================================== */

static int binding_gc(lua_State *L) {
  binding *b = lua_touserdata(L, 1);
  if (b->walker_ready) st_walker_free(&b->walker);
  b->walker_ready = 0;
  return 0;
}

/* The state's binding, or NULL before the first bind. [-0, +0] */
static binding *bound(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &BINDING_KEY);
  binding *b = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return b;
}

static binding *get_binding(lua_State *L) {
  binding *b = bound(L);
  if (!b || !b->reg) luaL_error(L, "steward: no registry bound to this state");
  return b;
}

static const st_doc *view_doc(const binding *b, const view *v) {
  return v->src ? &b->obs->doc : &b->reg->doc;
}

static st_walker *get_walker(binding *b) {
  if (!b->walker_ready) {
    st_walker_init(&b->walker, &b->reg->graph);
    b->walker_ready = 1;
  }
  return &b->walker;
}

static void new_binding(lua_State *L) {
  binding *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  lua_newtable(L);
  lua_pushcfunction(L, binding_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &BINDING_KEY);
}

static void reset_cache(lua_State *L) {
  lua_newtable(L);                      /* node index → view, weak values */
  lua_newtable(L);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &CACHE_KEY);
}

/* }=== */

/* {=== Pushing values =================================================== */

static void push_view(lua_State *L, st_val v, uint32_t node, uint8_t src) {
  binding *b = get_binding(L);
  view *w = lua_newuserdatauv(L, sizeof *w, 0);
  w->v = v;
  w->node = node;
  w->src = src;
  w->generation = b->generation;
  luaL_setmetatable(L, VIEW_META);
}

/* Pushes a doc value: scalars as Lua values, arrays and objects as views.
 * [-0, +1, m] */
static void push_value(lua_State *L, const st_doc *d, st_val v, uint8_t src) {
  size_t len;
  const char *s;
  switch (ST_VAL_TAG(v)) {
  case ST_T_FALSE: lua_pushboolean(L, 0); break;
  case ST_T_TRUE: lua_pushboolean(L, 1); break;
  case ST_T_INT: lua_pushinteger(L, (lua_Integer)ST_VAL_IDX(v)); break;
  case ST_T_NUM: {
    double x = st_doc_num(d, v);
    if (x == floor(x) && fabs(x) < 9007199254740992.0)
      lua_pushinteger(L, (lua_Integer)x);
    else
      lua_pushnumber(L, x);
    break;
  }
  case ST_T_STR:
    s = st_doc_str(d, v, &len);
    lua_pushlstring(L, s, len);
    break;
  case ST_T_ARR:
  case ST_T_OBJ: push_view(L, v, ST_NODE_NONE, src); break;
  default: lua_pushnil(L);
  }
}

void st_lgraph_push_node(lua_State *L, uint32_t node) {
  binding *b = get_binding(L);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &CACHE_KEY);
  if (lua_rawgeti(L, -1, (lua_Integer)node + 1) == LUA_TUSERDATA) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  push_view(L, b->reg->graph.nodes[node].value, node, 0);
  lua_pushvalue(L, -1);
  lua_rawseti(L, -3, (lua_Integer)node + 1);
  lua_remove(L, -2);
}

/* }=== */

/* {=== View metamethods ================================================= */

/* The view at idx if it is a current one, else NULL. */
static view *test_view(lua_State *L, int idx) {
  view *w = luaL_testudata(L, idx, VIEW_META);
  if (!w) return NULL;
  binding *b = bound(L);
  return b && w->generation == b->generation ? w : NULL;
}

/* A view from this binding: one kept (in a global) from an evaluation
 * over another registry would index the wrong document. [-0, +0, v] */
static view *check_view(lua_State *L, int idx) {
  view *w = luaL_checkudata(L, idx, VIEW_META);
  if (w->generation != get_binding(L)->generation)
    luaL_error(L, "a graph value kept from an earlier evaluation cannot be "
               "used");
  return w;
}

static int view_index(lua_State *L) {
  view *w = check_view(L, 1);
  binding *b = get_binding(L);
  const st_doc *d = view_doc(b, w);
  int isint;
  lua_Integer i = lua_tointegerx(L, 2, &isint);
  if (ST_VAL_TAG(w->v) == ST_T_ARR) {
    if (!isint || i < 1 || i > (lua_Integer)st_doc_len(d, w->v))
      lua_pushnil(L);
    else
      push_value(L, d, st_doc_at(d, w->v, (uint32_t)(i - 1)), w->src);
    return 1;
  }
  if (lua_type(L, 2) != LUA_TSTRING) {
    lua_pushnil(L);
    return 1;
  }
  size_t len;
  const char *key = lua_tolstring(L, 2, &len);
  if (w->node != ST_NODE_NONE) {
    const st_node *n = &b->reg->graph.nodes[w->node];
    if (!strcmp(key, "id")) {
      lua_pushstring(L, st_doc_atom_str(d, n->id, NULL));
      return 1;
    }
    if (!strcmp(key, "kind")) {
      lua_pushstring(L, st_kind_name((st_kind)n->kind));
      return 1;
    }
  }
  push_value(L, d, st_doc_get(d, w->v, st_doc_atom_find(d, key, len)),
             w->src);
  return 1;
}

static int view_newindex(lua_State *L) {
  check_view(L, 1);
  return luaL_error(L, "the graph is read-only (cannot set '%s')",
                    lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?");
}

static int view_len(lua_State *L) {
  view *w = check_view(L, 1);
  const st_doc *d = view_doc(get_binding(L), w);
  lua_pushinteger(L, ST_VAL_TAG(w->v) == ST_T_ARR ? st_doc_len(d, w->v) : 0);
  return 1;
}

static int view_eq(lua_State *L) {
  view *a = test_view(L, 1);
  view *b = test_view(L, 2);
  lua_pushboolean(L, a && b && a->v == b->v && a->src == b->src);
  return 1;
}

static int view_tostring(lua_State *L) {
  view *w = check_view(L, 1);
  binding *b = get_binding(L);
  const st_doc *d = view_doc(b, w);
  if (w->node != ST_NODE_NONE) {
    const st_node *n = &b->reg->graph.nodes[w->node];
    lua_pushfstring(L, "%s %s", st_kind_name((st_kind)n->kind),
                    st_doc_atom_str(d, n->id, NULL));
  } else {
    lua_pushfstring(L, ST_VAL_TAG(w->v) == ST_T_ARR ? "array of %d" :
                    "object of %d fields", (int)st_doc_len(d, w->v));
  }
  return 1;
}

/* pairs(view): the iterator's control variable is the position, kept as an
 * upvalue-free integer in the closure's state: (view, i) → next. Node views
 * yield id and kind first. */
static int view_next(lua_State *L) {
  view *w = check_view(L, 1);
  binding *b = get_binding(L);
  const st_doc *d = view_doc(b, w);
  lua_Integer pos = lua_tointeger(L, lua_upvalueindex(1));
  lua_Integer extra = w->node != ST_NODE_NONE ? 2 : 0;
  lua_pushinteger(L, pos + 1);
  lua_replace(L, lua_upvalueindex(1));
  if (pos < extra) {
    lua_pushstring(L, pos == 0 ? "id" : "kind");
    lua_pushvalue(L, -1);
    lua_gettable(L, 1);
    return 2;
  }
  uint32_t i = (uint32_t)(pos - extra);
  if (i >= st_doc_len(d, w->v)) return 0;
  if (ST_VAL_TAG(w->v) == ST_T_ARR) {
    lua_pushinteger(L, (lua_Integer)i + 1);
    push_value(L, d, st_doc_at(d, w->v, i), w->src);
  } else {
    lua_pushstring(L, st_doc_atom_str(d, st_doc_key_at(d, w->v, i), NULL));
    push_value(L, d, st_doc_val_at(d, w->v, i), w->src);
  }
  return 2;
}

static int view_pairs(lua_State *L) {
  check_view(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, view_next, 1);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

static void register_view_meta(lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__index", view_index}, {"__newindex", view_newindex},
    {"__len", view_len}, {"__eq", view_eq}, {"__tostring", view_tostring},
    {"__pairs", view_pairs}, {NULL, NULL}};
  if (luaL_newmetatable(L, VIEW_META)) {
    luaL_setfuncs(L, meta, 0);
    lua_pushliteral(L, "read-only");
    lua_setfield(L, -2, "__metatable");
  }
  lua_pop(L, 1);
}

/* }=== */

void st_lgraph_bind(lua_State *L, const st_registry *reg,
                    const st_obsset *obs) {
  binding *b = bound(L);
  if (!b) {
    new_binding(L);
    register_view_meta(L);
    b = bound(L);
  }
  if (b->reg != reg && b->walker_ready) {
    st_walker_free(&b->walker);
    b->walker_ready = 0;
  }
  b->reg = reg;
  b->obs = obs;
  b->generation++;
  reset_cache(L);
}

uint32_t st_lgraph_to_node(lua_State *L, int idx) {
  view *w = test_view(L, idx);
  return w ? w->node : ST_NODE_NONE;
}

int st_lgraph_test_view(lua_State *L, int idx, st_lgraph_view *out) {
  view *w = test_view(L, idx);
  binding *b = w ? bound(L) : NULL;
  if (!b || !b->reg) return 0;
  out->doc = view_doc(b, w);
  out->v = w->v;
  out->node_id = w->node != ST_NODE_NONE ?
                 st_graph_id(&b->reg->graph, w->node) : NULL;
  return 1;
}

/* {=== Graph functions ================================================== */

/* A node argument: an id string or a node view. Raises if unknown. */
static uint32_t check_node(lua_State *L, int idx, const st_graph *g) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t len;
    const char *id = lua_tolstring(L, idx, &len);
    return st_graph_find(g, id, len);
  }
  uint32_t n = st_lgraph_to_node(L, idx);
  if (n == ST_NODE_NONE)
    luaL_argerror(L, idx, "expected a node id or a node");
  return n;
}

/* An optional relation or list of relations; returns a mask. */
static unsigned check_rels(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return ST_REL_ALL;
  if (lua_type(L, idx) == LUA_TSTRING) {
    int r = st_rel_parse(lua_tostring(L, idx));
    if (r < 0) luaL_argerror(L, idx, "unknown relation");
    return ST_REL_BIT(r);
  }
  luaL_checktype(L, idx, LUA_TTABLE);
  unsigned mask = 0;
  for (lua_Integer i = 1; lua_rawgeti(L, idx, i) == LUA_TSTRING; i++) {
    int r = st_rel_parse(lua_tostring(L, -1));
    if (r < 0) luaL_argerror(L, idx, "unknown relation");
    mask |= ST_REL_BIT(r);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return mask;
}

/* Pushes a sequence of node views, charging the budget for the work. */
static void push_node_list(lua_State *L, const uint32_t *nodes, size_t n) {
  st_sandbox_tick(L, n);
  lua_createtable(L, n > INT32_MAX ? INT32_MAX : (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    st_lgraph_push_node(L, nodes[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static int g_node(lua_State *L) {
  binding *b = get_binding(L);
  uint32_t n = check_node(L, 1, &b->reg->graph);
  if (n == ST_NODE_NONE) lua_pushnil(L);
  else st_lgraph_push_node(L, n);
  return 1;
}

static int g_nodes(lua_State *L) {
  binding *b = get_binding(L);
  const st_graph *g = &b->reg->graph;
  int k = st_kind_parse(luaL_checkstring(L, 1));
  if (k < 0) return luaL_argerror(L, 1, "unknown kind");
  push_node_list(L, g->kind_nodes[k], g->kind_count[k]);
  return 1;
}

/* out(id [, rel]) and into(id [, rel]): direct neighbours. */
static int neighbours(lua_State *L, int forward) {
  binding *b = get_binding(L);
  const st_graph *g = &b->reg->graph;
  uint32_t n = check_node(L, 1, g);
  unsigned mask = check_rels(L, 2);
  lua_newtable(L);
  if (n == ST_NODE_NONE) return 1;
  uint32_t lo = forward ? st_graph_out_begin(g, n) : st_graph_in_begin(g, n);
  uint32_t hi = forward ? st_graph_out_end(g, n) : st_graph_in_end(g, n);
  const uint32_t *other = forward ? g->out_dst : g->in_src;
  const uint8_t *rel = forward ? g->out_rel : g->in_rel;
  st_sandbox_tick(L, hi - lo);
  lua_Integer k = 1;
  for (uint32_t e = lo; e < hi; e++) {
    if (!(mask & ST_REL_BIT(rel[e]))) continue;
    st_lgraph_push_node(L, other[e]);
    lua_rawseti(L, -2, k++);
  }
  return 1;
}

static int g_out(lua_State *L) { return neighbours(L, 1); }
static int g_into(lua_State *L) { return neighbours(L, 0); }

/* A rel list field of the options table at idx; dflt when absent. */
static unsigned opt_rels(lua_State *L, int idx, const char *key,
                         unsigned dflt) {
  if (lua_type(L, idx) != LUA_TTABLE) return dflt;
  lua_getfield(L, idx, key);
  unsigned mask = lua_isnil(L, -1) ? dflt : check_rels(L, lua_gettop(L));
  lua_pop(L, 1);
  return mask;
}

/* Walks from node and pushes the reached nodes (start excluded), or their
 * count with opts.count; opts.kind keeps one kind, opts.depth limits hops. */
static int push_reach(lua_State *L, binding *b, uint32_t node, int opts,
                      unsigned out_mask, unsigned in_mask) {
  int kind = -1, depth = -1, count_only = 0;
  if (lua_type(L, opts) == LUA_TTABLE) {
    if (lua_getfield(L, opts, "kind") == LUA_TSTRING &&
        (kind = st_kind_parse(lua_tostring(L, -1))) < 0)
      return luaL_argerror(L, opts, "unknown kind");
    if (lua_getfield(L, opts, "depth") == LUA_TNUMBER)
      depth = (int)lua_tointeger(L, -1);
    lua_getfield(L, opts, "count");
    count_only = lua_toboolean(L, -1);
    lua_pop(L, 3);
  }
  st_walker *w = get_walker(b);
  size_t n = st_graph_walk(w, &node, 1, out_mask, in_mask, depth);
  st_sandbox_tick(L, n);
  size_t k = 0;
  for (size_t i = 1; i < n; i++)          /* compact in place, keep order */
    if (kind < 0 || b->reg->graph.nodes[w->queue[i]].kind == kind)
      w->queue[1 + k++] = w->queue[i];
  if (count_only) lua_pushinteger(L, (lua_Integer)k);
  else push_node_list(L, w->queue + 1, k);
  return 1;
}

/* dependents(id [, opts]): every node a change to id reaches, transitively,
 * in BFS order (the node itself excluded). */
static int g_dependents(lua_State *L) {
  binding *b = get_binding(L);
  ST_CSTACK_CHECK(L);                   /* opts may have __index */
  uint32_t n = check_node(L, 1, &b->reg->graph);
  if (n == ST_NODE_NONE) {
    if (lua_type(L, 2) == LUA_TTABLE && lua_getfield(L, 2, "count") &&
        lua_toboolean(L, -1))
      lua_pushinteger(L, 0);
    else
      lua_newtable(L);
    return 1;
  }
  return push_reach(L, b, n, 2, ST_PROPAGATE_OUT, ST_PROPAGATE_IN);
}

/* reach(id, {out = rels, into = rels, kind =, depth =, count =}): a walk
 * along the out-edges and in-edges named. */
static int g_reach(lua_State *L) {
  binding *b = get_binding(L);
  ST_CSTACK_CHECK(L);                   /* opts may have __index */
  uint32_t n = check_node(L, 1, &b->reg->graph);
  luaL_checktype(L, 2, LUA_TTABLE);
  unsigned out_mask = opt_rels(L, 2, "out", 0);
  unsigned in_mask = opt_rels(L, 2, "into", 0);
  if (n == ST_NODE_NONE) {
    lua_getfield(L, 2, "count");
    if (lua_toboolean(L, -1)) lua_pushinteger(L, 0);
    else lua_newtable(L);
    return 1;
  }
  return push_reach(L, b, n, 2, out_mask, in_mask);
}

static int g_owner(lua_State *L) {
  binding *b = get_binding(L);
  const st_graph *g = &b->reg->graph;
  uint32_t n = check_node(L, 1, g);
  uint32_t o = n == ST_NODE_NONE ? ST_NODE_NONE : st_graph_owner(g, n);
  if (o == ST_NODE_NONE) lua_pushnil(L);
  else st_lgraph_push_node(L, o);
  return 1;
}

static int g_path(lua_State *L) {
  binding *b = get_binding(L);
  const st_graph *g = &b->reg->graph;
  uint32_t from = check_node(L, 1, g), to = check_node(L, 2, g);
  unsigned mask = check_rels(L, 3);
  uint32_t *path = NULL;
  size_t len = 0;
  if (from != ST_NODE_NONE && to != ST_NODE_NONE)
    len = st_graph_path(get_walker(b), from, to, mask, &path);
  if (!len) {
    lua_pushnil(L);
    return 1;
  }
  push_node_list(L, path, len);
  free(path);
  return 1;
}

static int id_cmp_graph(const st_graph *g, uint32_t a, uint32_t b) {
  return strcmp(st_graph_id(g, a), st_graph_id(g, b));
}

/* Pushes one component: its nodes sorted by id. */
static void push_component(lua_State *L, const st_graph *g, uint32_t *nodes,
                           size_t n) {
  for (size_t i = 1; i < n; i++)        /* components are small: insertion */
    for (size_t j = i; j > 0 && id_cmp_graph(g, nodes[j - 1], nodes[j]) > 0;
         j--) {
      uint32_t t = nodes[j];
      nodes[j] = nodes[j - 1];
      nodes[j - 1] = t;
    }
  push_node_list(L, nodes, n);
}

/* cycles([rels]): the strongly connected components with more than one
 * node, or one node with an edge to itself, each as a list sorted by id. */
static int g_cycles(lua_State *L) {
  binding *b = get_binding(L);
  const st_graph *g = &b->reg->graph;
  unsigned mask = check_rels(L, 1);
  size_t n = g->nnodes;
  st_sandbox_tick(L, n + g->nedges);
  uint32_t *comp = st_xmalloc((n ? n : 1) * sizeof *comp);
  size_t ncomp = st_graph_scc(g, mask, comp);
  /* Bucket nodes by component (counting sort), then emit the cyclic ones. */
  uint32_t *start = st_xcalloc(ncomp + 1, sizeof *start);
  uint32_t *order = st_xmalloc((n ? n : 1) * sizeof *order);
  for (size_t i = 0; i < n; i++) start[comp[i] + 1]++;
  for (size_t c = 0; c < ncomp; c++) start[c + 1] += start[c];
  uint32_t *fill = st_xmalloc((ncomp + 1) * sizeof *fill);
  memcpy(fill, start, (ncomp + 1) * sizeof *fill);
  for (uint32_t i = 0; i < n; i++) order[fill[comp[i]]++] = i;
  free(fill);
  lua_newtable(L);
  lua_Integer k = 1;
  for (size_t c = 0; c < ncomp; c++) {
    size_t size = start[c + 1] - start[c];
    if (size < 2 && !st_graph_self_loop(g, order[start[c]], mask)) continue;
    push_component(L, g, order + start[c], size);
    lua_rawseti(L, -2, k++);
  }
  free(comp);
  free(start);
  free(order);
  return 1;
}

void st_lgraph_push_api(lua_State *L) {
  static const luaL_Reg api[] = {
    {"node", g_node}, {"nodes", g_nodes}, {"out", g_out}, {"into", g_into},
    {"dependents", g_dependents}, {"reach", g_reach}, {"owner", g_owner},
    {"path", g_path},
    {"cycles", g_cycles}, {NULL, NULL}};
  luaL_newlib(L, api);
}

/* }=== */

/* {=== Observations ===================================================== */

/* observations(subject [, filter]): the subject's records in time order.
 * filter is a metric or kind name (either matches), or a table {name=,
 * metric=, kind=, since=, before=}: name= and metric= match a metric or a
 * kind of that name, kind= only records of that kind; times as epoch seconds or RFC 3339 strings, since
 * inclusive, before exclusive. */
typedef struct {
  uint32_t metric;           /* ST_ATOM_NONE: any */
  int want;                  /* 0 either, 2 only kinded records */
  double since, before;
} obs_filter;

static double filter_time(lua_State *L, int idx, const char *key, double dflt) {
  lua_getfield(L, idx, key);
  double t = dflt;
  if (lua_type(L, -1) == LUA_TNUMBER) t = lua_tonumber(L, -1);
  else if (lua_type(L, -1) == LUA_TSTRING &&
           st_time_parse(lua_tostring(L, -1), &t) != 0)
    luaL_error(L, "observations: '%s' is not an RFC 3339 time", key);
  lua_pop(L, 1);
  return t;
}

static void read_filter(lua_State *L, const st_doc *d, obs_filter *f) {
  f->metric = ST_ATOM_NONE;
  f->want = 0;
  f->since = -HUGE_VAL;
  f->before = HUGE_VAL;
  const char *name = NULL;
  if (lua_type(L, 2) == LUA_TSTRING) {
    name = lua_tostring(L, 2);
  } else if (lua_type(L, 2) == LUA_TTABLE) {
    static const char *const keys[] = {"name", "metric", "kind"};
    for (int k = 0; k < 3 && !name; k++) {
      if (lua_getfield(L, 2, keys[k]) == LUA_TSTRING) {
        name = lua_tostring(L, -1);       /* kept alive by the filter table */
        f->want = k == 2 ? 2 : 0;
      }
      lua_pop(L, 1);
    }
    f->since = filter_time(L, 2, "since", f->since);
    f->before = filter_time(L, 2, "before", f->before);
  }
  if (name) {
    f->metric = st_doc_atom_find(d, name, strlen(name));
    if (f->metric == ST_ATOM_NONE) f->metric = ST_ATOM_NONE - 1;  /* none */
  }
}

static int observations(lua_State *L) {
  binding *b = get_binding(L);
  ST_CSTACK_CHECK(L);                   /* the filter may have __index */
  const char *subject = NULL;
  uint32_t n = st_lgraph_to_node(L, 1);
  if (n != ST_NODE_NONE) subject = st_graph_id(&b->reg->graph, n);
  else subject = luaL_checkstring(L, 1);
  lua_newtable(L);
  if (!b->obs) return 1;
  obs_filter f;
  read_filter(L, &b->obs->doc, &f);
  size_t first, count = st_obs_range(b->obs, subject, &first);
  st_sandbox_tick(L, count);
  lua_Integer k = 1;
  for (size_t i = first; i < first + count; i++) {
    const st_obs *o = &b->obs->v[i];
    if (f.metric != ST_ATOM_NONE && o->metric != f.metric) continue;
    if (f.want == 2 && !o->is_kind) continue;
    if (o->at < f.since || o->at >= f.before) continue;
    push_view(L, o->value, ST_NODE_NONE, 1);
    lua_rawseti(L, -2, k++);
  }
  return 1;
}

void st_lgraph_push_observations(lua_State *L) {
  lua_pushcfunction(L, observations);
}

/* }=== */

/* {=== steward.core ===================================================== */

static int core_parse_time(lua_State *L) {
  double t;
  if (lua_type(L, 1) != LUA_TSTRING || st_time_parse(lua_tostring(L, 1), &t)) {
    lua_pushnil(L);
    return 1;
  }
  if (t == floor(t)) lua_pushinteger(L, (lua_Integer)t);
  else lua_pushnumber(L, t);
  return 1;
}

static int core_format_time(lua_State *L) {
  char out[32];
  double t = luaL_checknumber(L, 1);
  if (!(t > -1e13 && t < 1e13)) return luaL_error(L, "time out-of-bounds");
  st_time_format(t, out, sizeof out);
  lua_pushstring(L, out);
  return 1;
}

void st_lgraph_open_core(lua_State *L) {
  static const luaL_Reg core[] = {
    {"parse_time", core_parse_time}, {"format_time", core_format_time},
    {NULL, NULL}};
  luaL_newlib(L, core);
  st_sandbox_preload(L, "steward.core");
}

/* }=== */
