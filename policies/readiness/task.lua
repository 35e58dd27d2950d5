-- readiness.task: what goes in, what comes out and what good looks like
-- are written down before the AI is asked to do it.
local graph = require "steward.graph"
local readiness = require "steward.readiness"

return {
  id = "readiness.task",
  title = "The task is defined: inputs, outputs and quality criteria",
  severity = "medium",
  enforcement = "mandatory",
  layer = "process",
  subjects = "workflows",
  params = readiness.defaults("readiness.task"),
  check = function(w, ctx)
    if not graph.ai_or_proposed(w, ctx.graph) then return end
    local ok, why, path, evidence =
      readiness.task(w, ctx, { ["readiness.task"] = ctx.params })
    if not ok then ctx.fail(why, { path = path, evidence = evidence }) end
  end,
}
