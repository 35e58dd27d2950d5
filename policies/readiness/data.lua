-- readiness.data: every dataset the workflow reads, directly or
-- through a model it uses, is reachable by machine (api, batch, stream), at
-- least 95% complete and validated within 180 days; and it reads one.
local graph = require "steward.graph"
local readiness = require "steward.readiness"

return {
  id = "readiness.data",
  title = "AI reads data that is accessible, complete and recently validated",
  severity = "medium",
  enforcement = "mandatory",
  layer = "technical",
  subjects = "workflows",
  params = readiness.defaults("readiness.data"),
  check = function(w, ctx)
    if not graph.ai_or_proposed(w, ctx.graph) then return end
    local ok, why, path, evidence =
      readiness.data(w, ctx, { ["readiness.data"] = ctx.params })
    if not ok then ctx.fail(why, { path = path, evidence = evidence }) end
  end,
}
