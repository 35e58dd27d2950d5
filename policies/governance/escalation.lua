-- governance.escalation: when the model fails, somebody is called and the
-- work has somewhere to go.
local graph = require "steward.graph"
local governance = require "steward.governance"

return {
  id = "governance.escalation",
  title = "Every AI-integrated workflow has an escalation contact and fallback",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    local fault = governance.escalation(w)
    if fault then ctx.fail(fault.message, { path = fault.field }) end
  end,
}
