-- process.augmentation: from stage deployment on, the AI's output is a
-- required input to the next step, not an optional tool beside the work.
local graph = require "steward.graph"

return {
  id = "process.augmentation",
  title = "A deployed AI workflow requires the AI's output",
  severity = "medium",
  enforcement = "mandatory",
  layer = "process",
  subjects = "workflows",
  params = {},
  check = function(w, ctx)
    local g = ctx.graph
    if not (graph.ai_integrated(w, g)
            and graph.stage_at_least(w, "deployment")) then
      return
    end
    local p = w.process
    if type(p) ~= "userdata" then
      return ctx.fail("no process section: the AI's output is not a required "
                      .. "input to the work", { path = "process" })
    end
    if p.ai_output_required ~= true then
      return ctx.fail("the AI's output is optional (process.ai_output_required "
                      .. "is not true): a tool beside the work",
                      { path = "process/ai_output_required" })
    end
  end,
}
