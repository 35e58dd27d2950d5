-- northwind.second-reviewer: Northwind Supply's finance control FIN-7, the
-- "four eyes" rule, written as a steward policy. A high-stakes decision
-- that a finance team owns is not left to one person and a model: the
-- workflow names a second reviewer in decision.second_reviewer, who is a
-- registered person other than the workflow's owner.
--
-- Judged like the governance pack: workflows that use a model, at stage
-- `data` or later. "Owned in finance" means the owner is the team
-- params.team itself or a person whose `team` field is params.team; a
-- workflow without an owner is governance.owner's business. "High-stakes"
-- means decision.stakes is one of params.stakes.
--
-- Run it beside the built-in packs:
--   steward check examples/registry --policies examples/policies ...
-- and test it with `steward test examples/policies`.
local graph = require "steward.graph"
local fields = require "steward.fields"

local function listed(list, value)
  for _, v in ipairs(list) do
    if v == value then return true end
  end
  return false
end

-- True when the owner node belongs to `team`.
local function in_team(owner, team)
  return owner ~= nil and owner.kind == "owner"
     and (owner.id == team or owner.team == team)
end

return {
  id = "northwind.second-reviewer",
  title = "High-stakes finance workflows name a second reviewer (FIN-7)",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { team = "finance", stakes = { "high" } },
  check = function(w, ctx)
    local g = ctx.graph
    if not graph.governed(w, g) then return end
    if not fields.present(w.owner) then return end
    local owner = g.node(w.owner)
    if not in_team(owner, ctx.params.team) then return end
    local d = w.decision
    if d == nil or not listed(ctx.params.stakes, d.stakes) then return end

    local reviewer = d.second_reviewer
    local evidence = { owner = w.owner, team = ctx.params.team,
                       stakes = d.stakes, second_reviewer = reviewer }
    local path = "decision/second_reviewer"
    if not fields.present(reviewer) then
      return ctx.fail(string.format("%s-stakes decision owned by %s (%s) "
          .. "names no second reviewer (decision.second_reviewer)",
          tostring(d.stakes), w.owner, ctx.params.team),
        { path = path, evidence = evidence })
    end
    local r = g.node(reviewer)
    if r == nil or r.kind ~= "owner" then
      return ctx.fail(string.format("second reviewer '%s' is not a "
          .. "registered owner", tostring(reviewer)),
        { path = path, evidence = evidence })
    end
    if r.id == w.owner then
      return ctx.fail(string.format("second reviewer '%s' is the workflow's "
          .. "own owner: four eyes need two people", r.id),
        { path = path, evidence = evidence })
    end
    if r.type == "team" then
      return ctx.fail(string.format("second reviewer '%s' is a team: name "
          .. "the person who signs off", r.id),
        { path = path, evidence = evidence })
    end
  end,
}
