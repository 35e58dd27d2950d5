-- technical.latency: outputs that miss the workflow's timescale disrupt it.
-- From stage deployment on, a workflow that uses a model and states the
-- latency its work needs (latency.required_ms) has a median `latency_ms`
-- observation over the last params.window_days days (calendar days, today
-- included) no higher than that. Without an observation in the window it
-- is not judged: stale monitoring is measurement.stale-monitoring's.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"
local stats = require "steward.stats"

return {
  id = "technical.latency",
  title = "An AI workflow's outputs arrive within the time its work needs",
  severity = "medium",
  enforcement = "mandatory",
  layer = "technical",
  subjects = "workflows",
  params = { window_days = 30 },
  check = function(w, ctx)
    if not (graph.ai_integrated(w, ctx.graph)
            and graph.stage_at_least(w, "deployment")) then
      return
    end
    local required = w.latency and w.latency.required_ms
    if type(required) ~= "number" then return end
    local p = ctx.params
    local _, values = obs.series(ctx, w, { metric = "latency_ms",
                                           days = p.window_days })
    local median = stats.median(values)
    if median == nil or median <= required then return end
    ctx.fail(string.format("median latency_ms %s over the last %s days (%d "
        .. "observation%s) is above the %s ms the work needs",
        monitoring.num(median), monitoring.num(p.window_days), #values,
        #values == 1 and "" or "s", monitoring.num(required)), {
      path = "latency/required_ms",
      evidence = { median = median, observations = #values,
                   required_ms = required, window_days = p.window_days,
                   since = monitoring.when(obs.window_start(ctx.now,
                                                            p.window_days)) },
    })
  end,
}
