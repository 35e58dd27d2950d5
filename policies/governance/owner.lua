-- governance.owner: somebody must answer for the model's mistakes.
local graph = require "steward.graph"
local governance = require "steward.governance"

return {
  id = "governance.owner",
  title = "Every AI-integrated workflow names an accountability owner",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    local fault = governance.owner(w)
    if fault then ctx.fail(fault.message, { path = fault.field }) end
  end,
}
