-- process.delivery: from stage deployment on, the AI's outputs reach a
-- system automatically. A workflow whose delivery is `manual`, or that
-- writes nothing, is assisted, not integrated.
local graph = require "steward.graph"

return {
  id = "process.delivery",
  title = "A deployed AI workflow delivers its outputs into a system",
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
    local faults, path = {}, nil
    local p = w.process
    if type(p) == "userdata" and p.delivery == "manual" then
      faults[#faults + 1] = "its delivery is manual"
      path = "process/delivery"
    end
    if #g.out(w, "writes") == 0 then
      faults[#faults + 1] = "it writes to no system or dataset"
      path = path or "writes"
    end
    if #faults == 0 then return end
    ctx.fail("outputs do not reach a system automatically: "
             .. table.concat(faults, " and "), { path = path })
  end,
}
