-- sequencing.order: governance → data → redesign → deployment →
-- measurement → scaling. A workflow at a stage has completed every step
-- that stage needs: `data` needs step 1 (governance), `redesign` steps 1-2,
-- `deployment` 1-3, `measurement` and `scaling` 1-4. One finding, naming the
-- earliest incomplete step and why; the evidence lists every incomplete one.
local graph = require "steward.graph"
local sequencing = require "steward.sequencing"

return {
  id = "sequencing.order",
  title = "No stage before the steps it needs",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = sequencing.defaults("sequencing.order"),
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    local params = sequencing.params_from(ctx, "sequencing.order", ctx.params)
    local gap = sequencing.first_gap(w, ctx, params)
    if not gap then return end
    ctx.fail(string.format("at stage %s, step %d (%s) is incomplete: %s",
                           w.stage, gap.step, gap.name, gap.why), {
      path = gap.path,
      evidence = { stage = w.stage, required = gap.required, step = gap.step,
                   name = gap.name, incomplete = gap.incomplete },
    })
  end,
}
