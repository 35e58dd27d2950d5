-- readiness.volume: at least 100 cases a month, or the integration costs
-- more than it returns.
local graph = require "steward.graph"
local readiness = require "steward.readiness"

return {
  id = "readiness.volume",
  title = "The workflow has the volume that makes AI worth it",
  severity = "low",
  enforcement = "advisory",
  layer = "process",
  subjects = "workflows",
  params = readiness.defaults("readiness.volume"),
  check = function(w, ctx)
    if not graph.ai_or_proposed(w, ctx.graph) then return end
    local ok, why, path, evidence =
      readiness.volume(w, ctx, { ["readiness.volume"] = ctx.params })
    if not ok then ctx.fail(why, { path = path, evidence = evidence }) end
  end,
}
