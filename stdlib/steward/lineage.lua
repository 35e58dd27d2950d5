-- steward.lineage: how workflows hang together through `feeds` (and
-- `depends_on`): the longest chain downstream of a workflow, with every
-- cycle collapsed to one node, and a shortest cycle through a node. Used by
-- debt.chain-depth and debt.cycle.
--
-- Every function that walks the graph takes `g`, the graph API of
-- ctx.graph (or the one subjects(g) receives); they only call g.nodes,
-- g.out, g.path and g.cycles, so a test may pass a table of its own.
local graph = require "steward.graph"

local M = {}

-- The graph of `rel` edges between workflows with every strongly connected
-- component collapsed to one node, in integer arrays (linear time):
--   ids[i], index[id]  workflow i in load order, and back
--   rep[i]             the component of workflow i: the index of its
--                      smallest id
--   members[r]         the sorted ids of component r (collapsed ones only)
--   succ[r]            the components r has an edge to (no r, no repeats)
function M.condense(g, rel)
  local ws = g.nodes("workflow")
  local n = #ws
  local ids, index, rep, members = {}, {}, {}, {}
  for i = 1, n do
    local id = ws[i].id
    ids[i], index[id], rep[i] = id, i, i
  end
  for _, comp in ipairs(g.cycles(rel)) do
    local list = graph.sorted_ids(comp)
    local r = index[list[1]]
    if r ~= nil then
      for _, id in ipairs(list) do
        local i = index[id]
        if i ~= nil then rep[i] = r end
      end
      members[r] = list
    end
  end
  -- One component at a time, so mark[s] == r means s is in r's list.
  local succ, mark = {}, {}
  local function add_edges(r, i)
    local list = succ[r]
    for _, to in ipairs(g.out(ws[i], rel)) do
      local j = index[to.id]
      if j ~= nil then
        local s = rep[j]
        if s ~= r and mark[s] ~= r then
          mark[s] = r
          list[#list + 1] = s
        end
      end
    end
  end
  for r = 1, n do
    if rep[r] == r then
      succ[r] = {}
      if members[r] then
        for _, id in ipairs(members[r]) do add_edges(r, index[id]) end
      else
        add_edges(r, r)
      end
    end
  end
  return { n = n, ids = ids, index = index, rep = rep, members = members,
           succ = succ }
end

-- The longest path, in hops, from every component of a condensed graph
-- (M.condense): adds hops[r] and next[r] (the first step of a longest path,
-- the smallest id among equals) to it and returns it. Iterative, so a chain
-- of any length costs linear time and no C stack.
function M.longest_chains(c)
  local hops, nxt, pos = {}, {}, {}
  local succ, ids, rep = c.succ, c.ids, c.rep
  local stack = {}
  for start = 1, c.n do
    if rep[start] == start and hops[start] == nil then
      local top = 1
      stack[1] = start
      pos[start] = 0
      while top > 0 do
        local r = stack[top]
        local list = succ[r]
        local i = pos[r] + 1
        pos[r] = i
        local s = list[i]
        if s ~= nil then
          if hops[s] == nil then
            if pos[s] ~= nil then
              error("steward.lineage: the condensed graph has a cycle at "
                    .. ids[s])
            end
            pos[s] = 0
            top = top + 1
            stack[top] = s
          end
        else
          local best, via = 0, nil
          for k = 1, #list do
            local t = list[k]
            local h = hops[t] + 1
            if h > best or (h == best and ids[t] < ids[via]) then
              best, via = h, t
            end
          end
          hops[r], nxt[r] = best, via
          stack[top] = nil
          top = top - 1
        end
      end
    end
  end
  c.hops, c.next = hops, nxt
  return c
end

-- Longest chains of `rel` (default "feeds") over the workflows, collapsed.
function M.chains(g, rel)
  return M.longest_chains(M.condense(g, rel or "feeds"))
end

-- The hops of the longest chain from the workflow `id`, or nil.
function M.hops_from(c, id)
  local i = c.index[id]
  return i and c.hops[c.rep[i]]
end

-- The components along a longest chain from the workflow `id`, at most
-- `limit` of them (default all), each named by its smallest id.
function M.chain_from(c, id, limit)
  local out = {}
  local i = c.index[id]
  local r = i and c.rep[i]
  while r ~= nil and (limit == nil or #out < limit) do
    out[#out + 1] = c.ids[r]
    r = c.next[r]
  end
  return out
end

-- The sorted members of the collapsed component named `id`, or nil.
function M.members_of(c, id)
  local i = c.index[id]
  return i and c.members[c.rep[i]]
end

-- A shortest cycle through `id` inside its strongly connected component
-- (`members`, sorted ids) along `rels`, as ids in order, first = last =
-- id: {"a", "b", "a"}; {"a", "a"} for a node alone with a self-loop.
-- Another member is preferred to a self-loop; ties go to the smallest next
-- id. nil when there is none.
function M.cycle_through(g, id, members, rels)
  local inside = {}
  for _, m in ipairs(members) do inside[m] = true end
  local nexts = {}
  local self_loop = false
  for _, n in ipairs(g.out(id, rels)) do
    if n.id == id then self_loop = true
    elseif inside[n.id] then nexts[#nexts + 1] = n.id end
  end
  table.sort(nexts)
  local best
  for _, n in ipairs(nexts) do
    local p = g.path(n, id, rels)
    if p and (best == nil or #p + 1 < #best) then
      best = { id }
      for _, node in ipairs(p) do best[#best + 1] = node.id end
    end
  end
  if best == nil and self_loop then best = { id, id } end
  return best
end

return M
