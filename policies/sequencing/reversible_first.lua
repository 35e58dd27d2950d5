-- sequencing.reversible-first: the prudent sequence starts with reversible
-- decisions. A workflow that uses a model to make an irreversible decision
-- (decision.reversible false), at stage deployment or later, has an owner
-- who already owns another AI workflow whose decisions are reversible
-- (decision.reversible true) and that has reached stage measurement or
-- scaling: the organization learnt on decisions it could undo first. A
-- workflow without an owner is governance.owner's business.
local fields = require "steward.fields"
local graph = require "steward.graph"

-- The owner's other AI workflows, and those of them that are reversible
-- and measured (at measurement or scaling), as sorted ids.
local function owned(w, owner, g)
  local others, proven = {}, {}
  for _, x in ipairs(g.into(owner, "owner")) do
    if x.kind == "workflow" and x.id ~= w.id and graph.ai_integrated(x, g) then
      others[#others + 1] = x
      local d = x.decision
      if d ~= nil and d.reversible == true
          and graph.stage_at_least(x, "measurement") then
        proven[#proven + 1] = x
      end
    end
  end
  return graph.sorted_ids(others), graph.sorted_ids(proven)
end

return {
  id = "sequencing.reversible-first",
  title = "Irreversible decisions come after measured reversible ones",
  severity = "medium",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = {},
  check = function(w, ctx)
    local g = ctx.graph
    if not (graph.ai_integrated(w, g)
            and graph.stage_at_least(w, "deployment")) then
      return
    end
    local d = w.decision
    if d == nil or d.reversible ~= false then return end
    if not fields.present(w.owner) then return end
    local others, proven = owned(w, w.owner, g)
    if #proven > 0 then return end
    ctx.fail(string.format("irreversible decision at stage %s, but its owner "
        .. "%s owns no reversible AI workflow at stage measurement or "
        .. "scaling: the prudent sequence starts with reversible decisions",
        w.stage, w.owner), {
      path = "decision/reversible",
      evidence = { owner = w.owner, stage = w.stage,
                   owner_ai_workflows = others },
    })
  end,
}
