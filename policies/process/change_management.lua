-- process.change-management: the redesigned workflow is validated with the
-- people who do the work. From stage deployment on, a workflow that uses a
-- model has process.change.validated_with_users true and a change lead in
-- process.change.lead. One finding, at the first field missing
-- (steward.process.change, which sequencing step 3 shares).
local graph = require "steward.graph"
local process = require "steward.process"

return {
  id = "process.change-management",
  title = "A deployed redesign was validated with the people who do the work",
  severity = "medium",
  enforcement = "mandatory",
  layer = "process",
  subjects = "workflows",
  params = {},
  check = function(w, ctx)
    if not (graph.ai_integrated(w, ctx.graph)
            and graph.stage_at_least(w, "deployment")) then
      return
    end
    local fault = process.change(w)
    if fault then
      ctx.fail(fault.message, { path = fault.field,
                                evidence = { faults = fault.faults } })
    end
  end,
}
