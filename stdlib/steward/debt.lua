-- steward.debt: the graph and observation questions of the scope, debt,
-- technical and process packs, answered once so the policies stay short.
--
-- Functions that walk the graph take `g`, the graph API of ctx.graph (or the
-- one subjects(g) receives); they only call g.nodes, g.node, g.out, g.into,
-- g.path and g.cycles, so a test may pass a table of its own.

local M = {}

-- {=== Nodes and fields ================================================ }

-- A JSON Pointer reference token: "~" → "~0", "/" → "~1" (RFC 6901).
function M.escape(token)
  return (tostring(token):gsub("~", "~0"):gsub("/", "~1"))
end

-- The entries of w.uses in order, each as { index = 0-based position,
-- model = id, version = string or nil, bare = true for a bare id }.
function M.uses_entries(w)
  local out = {}
  local uses = w.uses
  if uses == nil or type(uses) == "string" then return out end
  for i = 1, #uses do
    local e = uses[i]
    if type(e) == "string" then
      out[#out + 1] = { index = i - 1, model = e, bare = true }
    elseif e ~= nil and e.model ~= nil then
      out[#out + 1] = { index = i - 1, model = e.model, version = e.version,
                        bare = false }
    end
  end
  return out
end

-- The 0-based position of `id` in the array field `list`, or nil.
function M.index_of(list, id)
  if list == nil or type(list) == "string" then return nil end
  for i = 1, #list do
    if list[i] == id then return i - 1 end
  end
  return nil
end

-- True when the array field `list` holds `id`.
function M.lists(list, id)
  return M.index_of(list, id) ~= nil
end

-- The ids of a list of nodes, sorted.
function M.sorted_ids(nodes)
  local ids = {}
  for i, n in ipairs(nodes) do ids[i] = n.id end
  table.sort(ids)
  return ids
end

-- At most `max` (default M.EVIDENCE_MAX) items of a list for evidence:
-- returns the list (a copy when cut) and true when it was cut, else nil.
M.EVIDENCE_MAX = 1000

function M.cap(list, max)
  max = max or M.EVIDENCE_MAX
  if #list <= max then return list, nil end
  local out = {}
  for i = 1, max do out[i] = list[i] end
  return out, true
end

-- "a -> b -> c", with the middle elided beyond `max` ids (default 12).
function M.arrows(ids, max)
  max = max or 12
  if #ids <= max then return table.concat(ids, " -> ") end
  local head = {}
  for i = 1, max - 2 do head[i] = ids[i] end
  return table.concat(head, " -> ") .. " -> ... -> " .. ids[#ids - 1] ..
         " -> " .. ids[#ids]
end

-- }===

-- {=== Strongly connected components and chains ======================== }

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
    local list = M.sorted_ids(comp)
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
              error("steward.debt: the condensed graph has a cycle at " .. ids[s])
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

-- }===

return M
