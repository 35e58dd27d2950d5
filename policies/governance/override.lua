-- governance.override: people must be able to overrule the model without
-- heroics: a documented path, no administrator needed, tested recently.
local graph = require "steward.graph"
local governance = require "steward.governance"

return {
  id = "governance.override",
  title = "Every AI-integrated workflow has a working human override path",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { max_test_age_days = 365 },
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    local fault = governance.override(w, ctx.now, ctx.params.max_test_age_days)
    if fault then
      local evidence = w.override and { tested_at = w.override.tested_at }
      ctx.fail(fault.message, { path = fault.field, evidence = evidence })
    end
  end,
}
