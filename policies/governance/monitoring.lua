-- governance.monitoring: a metric, its baseline, an alert threshold, and a
-- machine that measures it; without them drift goes unnoticed.
local graph = require "steward.graph"
local governance = require "steward.governance"

return {
  id = "governance.monitoring",
  title = "Every AI-integrated workflow is monitored against a baseline",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    local fault = governance.monitoring(w)
    if fault then
      ctx.fail(fault.message, { path = fault.field,
                                evidence = fault.faults and { faults = fault.faults } })
    end
  end,
}
