-- debt.cycle: workflows (or any nodes) that feed or depend on each other in
-- a circle: no change can be rolled out first. One finding per strongly
-- connected component of feeds + depends_on with more than one node, or a
-- node that feeds or depends on itself; the subject is its smallest id.
local evidence = require "steward.evidence"
local graph = require "steward.graph"
local lineage = require "steward.lineage"
local pointer = require "steward.pointer"

local RELS = { "feeds", "depends_on" }

local components   -- smallest id → sorted member ids, set by subjects()

local function find_components(g)
  local found = {}
  for _, comp in ipairs(g.cycles(RELS)) do
    local ids = graph.sorted_ids(comp)
    found[ids[1]] = ids
  end
  return found
end

-- The field of `node` that holds its edge to `next`: feeds/I or
-- depends_on/I (0-based), feeds first.
local function edge_field(node, next)
  for _, rel in ipairs(RELS) do
    local i = pointer.index_of(node[rel], next)
    if i ~= nil then return rel .. "/" .. i end
  end
end

return {
  id = "debt.cycle",
  title = "No cycle of feeds or depends_on",
  severity = "high",
  enforcement = "mandatory",
  layer = "technical",
  params = {},
  subjects = function(g)
    components = find_components(g)
    local subjects = {}
    for id in pairs(components) do subjects[#subjects + 1] = id end
    table.sort(subjects)
    return subjects
  end,
  check = function(node, ctx)
    local g = ctx.graph
    if components == nil or components[node.id] == nil then
      components = find_components(g)
    end
    local members = components[node.id]
    if members == nil then return end
    local cycle = lineage.cycle_through(g, node.id, members, RELS)
    local msg
    if #members == 1 then
      msg = string.format("%s feeds or depends on itself: %s", node.id,
                          evidence.arrows(cycle))
    else
      msg = string.format("a cycle of feeds/depends_on: %s",
                          evidence.arrows(cycle))
      if #members > #cycle - 1 then
        local shown = evidence.cap(members, 12)
        msg = msg .. string.format(" (%d nodes in the cycle: %s%s)", #members,
                                   table.concat(shown, ", "),
                                   #members > #shown and ", ..." or "")
      end
    end
    local cycle_shown, cycle_cut = evidence.cap(cycle)
    local members_shown, members_cut = evidence.cap(members)
    ctx.fail(msg, {
      path = edge_field(node, cycle[2]),
      evidence = { cycle = cycle_shown, members = members_shown,
                   size = #members, truncated = (cycle_cut or members_cut) },
    })
  end,
}
