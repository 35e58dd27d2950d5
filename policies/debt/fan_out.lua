-- debt.fan-out: a model that many workflows depend on, directly or through
-- the workflows they feed, cannot change without a long tail of breakage.
local evidence = require "steward.evidence"
local graph = require "steward.graph"

return {
  id = "debt.fan-out",
  title = "A model has at most a handful of dependent workflows",
  severity = "medium",
  enforcement = "mandatory",
  layer = "technical",
  subjects = "models",
  params = { max_workflows = 5 },
  check = function(m, ctx)
    local g = ctx.graph
    local max = ctx.params.max_workflows
    -- Users of the model (uses, reversed), then everything they feed,
    -- transitively, whatever its stage.
    local walk = { into = "uses", out = "feeds", kind = "workflow" }
    walk.count = true
    local n = g.reach(m, walk)
    if n <= max then return end
    walk.count = nil
    local users = {}
    for _, u in ipairs(g.into(m, "uses")) do
      if u.kind == "workflow" then users[#users + 1] = u end
    end
    local n_direct = #users
    local direct, direct_cut = evidence.cap(graph.sorted_ids(users))
    local all, all_cut = evidence.cap(graph.sorted_ids(g.reach(m, walk)))
    ctx.fail(string.format("%d dependent workflows (more than %d): %d use it "
                           .. "directly, %d more are fed by them", n, max,
                           n_direct, n - n_direct), {
      evidence = { count = n, max_workflows = max, direct = direct,
                   workflows = all, truncated = (direct_cut or all_cut) },
    })
  end,
}
