-- A probe policy for graph_test.lua: graph.set_of on a model's list.
local graph = require "steward.graph"

return {
  id = "probe.set",
  severity = "info",
  subjects = "workflows",
  check = function(w, ctx)
    local m = ctx.graph.node("m")
    ctx.fail("validated=" .. tostring(graph.set_of(ctx, m, "validated_for")[w.id] == true))
  end,
}
