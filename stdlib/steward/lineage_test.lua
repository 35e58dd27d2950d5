-- Tests of steward.lineage on plain tables: a fake graph with the same
-- API as ctx.graph. The debt.chain-depth and debt.cycle tests run the same
-- functions on the real graph.
local t = require "steward.test"
local lineage = require "steward.lineage"

-- A graph of workflows: edges = { a = { feeds = {"b"}, depends_on = {...} } },
-- comps = what cycles() returns (lists of ids).
local function fake(edges, comps)
  local nodes, order = {}, {}
  local function node(id)
    if not nodes[id] then
      nodes[id] = { id = id, kind = "workflow" }
      order[#order + 1] = id
    end
    return nodes[id]
  end
  local ids = {}
  for id in pairs(edges) do ids[#ids + 1] = id end
  table.sort(ids)
  for _, id in ipairs(ids) do
    node(id)
    for _, list in pairs(edges[id]) do
      for _, to in ipairs(list) do node(to) end
    end
  end
  local function rels_of(rels)
    if type(rels) == "string" then return { rels } end
    return rels
  end
  local g = {}
  function g.nodes() local out = {} for i, id in ipairs(order) do out[i] = nodes[id] end return out end
  function g.node(id) return nodes[id] end
  function g.out(x, rels)
    local id = type(x) == "table" and x.id or x
    local out = {}
    for _, rel in ipairs(rels_of(rels)) do
      for _, to in ipairs((edges[id] or {})[rel] or {}) do out[#out + 1] = nodes[to] end
    end
    return out
  end
  function g.cycles()
    local out = {}
    for i, c in ipairs(comps or {}) do
      out[i] = {}
      for j, id in ipairs(c) do out[i][j] = nodes[id] end
    end
    return out
  end
  function g.path(a, b, rels)
    a = type(a) == "table" and a.id or a
    local via, queue, head = { [a] = false }, { a }, 1
    while head <= #queue do
      local id = queue[head]
      head = head + 1
      if id == b then
        local p = {}
        while id do table.insert(p, 1, nodes[id]) id = via[id] end
        return p
      end
      for _, n in ipairs(g.out(id, rels)) do
        if via[n.id] == nil then via[n.id] = id queue[#queue + 1] = n.id end
      end
    end
    return nil
  end
  return g
end

t.case("condense collapses components under their smallest id", function()
  local g = fake({ a = { feeds = { "c" } }, c = { feeds = { "b" } },
                   b = { feeds = { "c", "d" } } }, { { "b", "c" } })
  local c = lineage.condense(g, "feeds")
  local function name(r) return c.ids[r] end
  local function succ(id)
    local out = {}
    for i, r in ipairs(c.succ[c.rep[c.index[id]]]) do out[i] = name(r) end
    table.sort(out)
    return out
  end
  t.eq(name(c.rep[c.index.c]), "b", "c is in b's component")
  t.eq(name(c.rep[c.index.a]), "a", "a alone")
  t.eq(lineage.members_of(c, "c"), { "b", "c" }, "members")
  t.eq(lineage.members_of(c, "a"), nil, "not collapsed")
  t.eq(succ("b"), { "d" }, "no edge to itself")
  t.eq(succ("c"), { "d" }, "one component")
  t.eq(succ("a"), { "b" }, "edge into the component")
end)

t.case("longest_chains: hops and the next step, ties to the smallest id", function()
  local g = fake({ h = { feeds = { "y", "x" } }, x = { feeds = { "z" } },
                   y = { feeds = { "z" } }, z = {} })
  local c = lineage.chains(g, "feeds")
  t.eq(lineage.hops_from(c, "h"), 2, "h -> x -> z")
  t.eq(lineage.hops_from(c, "z"), 0, "z ends")
  t.eq(lineage.hops_from(c, "nobody"), nil, "unknown")
  t.eq(lineage.chain_from(c, "h"), { "h", "x", "z" }, "x before y")
  t.eq(lineage.chain_from(c, "h", 2), { "h", "x" }, "limit")
end)

t.case("longest_chains counts a collapsed cycle as one hop", function()
  local g = fake({ h = { feeds = { "a" } }, a = { feeds = { "b" } },
                   b = { feeds = { "a", "e" } } }, { { "a", "b" } })
  local c = lineage.chains(g, "feeds")
  t.eq(lineage.hops_from(c, "h"), 2, "h -> {a,b} -> e")
  t.eq(lineage.hops_from(c, "b"), 1, "a member: its component's hops")
  t.eq(lineage.chain_from(c, "h"), { "h", "a", "e" }, "chain")
end)

t.case("longest_chains is iterative: 20,000 deep", function()
  local edges = {}
  for i = 1, 20000 do edges["n" .. i] = { feeds = { "n" .. (i + 1) } } end
  local c = lineage.chains(fake(edges), "feeds")
  t.eq(lineage.hops_from(c, "n1"), 20000, "hops")
end)

t.case("cycle_through: shortest, another node before a self-loop", function()
  local g = fake({ a = { feeds = { "a", "b", "d" } }, b = { feeds = { "c" } },
                   c = { feeds = { "a" } }, d = { depends_on = { "a" } } })
  local members = { "a", "b", "c", "d" }
  t.eq(lineage.cycle_through(g, "a", members, { "feeds", "depends_on" }),
       { "a", "d", "a" }, "through d")
  t.eq(lineage.cycle_through(g, "a", members, { "feeds" }),
       { "a", "b", "c", "a" }, "feeds only")
  local loop = fake({ s = { feeds = { "s" } } })
  t.eq(lineage.cycle_through(loop, "s", { "s" }, { "feeds" }), { "s", "s" }, "self")
end)
