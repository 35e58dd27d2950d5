-- readiness.human-in-loop: a high-stakes or irreversible decision needs a
-- human in the loop before an AI makes it.
local graph = require "steward.graph"
local readiness = require "steward.readiness"

return {
  id = "readiness.human-in-loop",
  title = "High-stakes or irreversible decisions keep a human in the loop",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = readiness.defaults("readiness.human-in-loop"),
  check = function(w, ctx)
    if not graph.ai_or_proposed(w, ctx.graph) then return end
    local ok, why, path, evidence =
      readiness.human_in_loop(w, ctx, { ["readiness.human-in-loop"] = ctx.params })
    if not ok then ctx.fail(why, { path = path, evidence = evidence }) end
  end,
}
