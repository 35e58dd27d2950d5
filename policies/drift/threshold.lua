-- drift.threshold: the monitored metric has crossed its alert threshold.
-- The latest observation of monitoring.metric (up to now) is strictly past
-- monitoring.alert_threshold in monitoring.direction (`below` or `above`;
-- when direction is missing it is read from the baseline). A workflow with
-- no metric, threshold or observation is left to governance.monitoring and
-- measurement.stale-monitoring.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"

return {
  id = "drift.threshold",
  title = "The monitored metric is on the right side of its alert threshold",
  severity = "high",
  enforcement = "mandatory",
  layer = "technical",
  subjects = "workflows",
  params = {},
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    local spec = monitoring.spec(w)
    if spec == nil then return end
    local value, at = obs.latest(ctx, w, { metric = spec.metric })
    if value == nil then return end
    if not monitoring.past(value, spec.threshold, spec.direction) then
      return
    end
    ctx.fail(string.format("%s is %s on %s, %s the alert threshold %s",
        spec.metric, monitoring.num(value), monitoring.when(at),
        spec.direction, monitoring.num(spec.threshold)), {
      path = "monitoring/alert_threshold",
      key = "past alert threshold",
      evidence = {
        metric = spec.metric, value = value, at = monitoring.when(at),
        alert_threshold = spec.threshold, direction = spec.direction,
        baseline = spec.baseline,
      },
    })
  end,
}
