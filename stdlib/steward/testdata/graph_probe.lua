-- A probe policy for graph_test.lua: reports what steward.graph says of
-- each workflow, so the test can check the helpers on real node views.
local graph = require "steward.graph"

return {
  id = "probe.graph",
  severity = "info",
  subjects = "workflows",
  check = function(w, ctx)
    ctx.fail(string.format(
      "governed=%s integrated=%s or_proposed=%s uses=%s rank=%s data+=%s",
      tostring(graph.governed(w, ctx.graph)),
      tostring(graph.ai_integrated(w, ctx.graph)),
      tostring(graph.ai_or_proposed(w, ctx.graph)),
      tostring(graph.uses_model(w, ctx.graph)),
      tostring(graph.stage_rank(w.stage)),
      tostring(graph.stage_at_least(w, "data"))))
  end,
}
