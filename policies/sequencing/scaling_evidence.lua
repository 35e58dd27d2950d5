-- sequencing.scaling-evidence: scale only what has been measured to work.
-- A workflow at stage `scaling` has completed step 5: at least 3
-- observations of its monitoring.metric since deployment, the latest on the
-- right side of the alert threshold.
local graph = require "steward.graph"
local sequencing = require "steward.sequencing"

return {
  id = "sequencing.scaling-evidence",
  title = "Scaling rests on measured results",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = sequencing.defaults("sequencing.scaling-evidence"),
  check = function(w, ctx)
    if w.stage ~= "scaling" or not graph.ai_integrated(w, ctx.graph) then
      return
    end
    local ok, why, path, evidence = sequencing.step(5, w, ctx,
      sequencing.params_from(ctx, "sequencing.scaling-evidence", ctx.params))
    if not ok then
      ctx.fail("scaling without measured results: " .. why,
               { path = path, evidence = evidence })
    end
  end,
}
