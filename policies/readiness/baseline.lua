-- readiness.baseline: without a metric, a value and a date measured no
-- later than deployment, nobody can tell whether the AI helped.
local graph = require "steward.graph"
local readiness = require "steward.readiness"

return {
  id = "readiness.baseline",
  title = "A baseline is measured before deployment",
  severity = "medium",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = readiness.defaults("readiness.baseline"),
  check = function(w, ctx)
    if not graph.ai_or_proposed(w, ctx.graph) then return end
    local ok, why, path, evidence =
      readiness.baseline(w, ctx, { ["readiness.baseline"] = ctx.params })
    if not ok then ctx.fail(why, { path = path, evidence = evidence }) end
  end,
}
