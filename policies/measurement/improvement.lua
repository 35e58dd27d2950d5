-- measurement.improvement: the seed's measurement question, "has
-- organizational performance in this workflow improved, and is the
-- improvement attributable to the integration?". At stage measurement or
-- scaling, deployed more than params.deployed_days days ago (calendar
-- days), with baseline.metric and baseline.value set, the mean of the
-- baseline metric's observations over the last params.window_days days is
-- better than the baseline value; equal is not better. Which way is
-- better is steward.monitoring.better: baseline.better, else the
-- monitoring direction when monitoring.metric is the same metric; when
-- neither says, the workflow is not judged. No observation in the window:
-- not judged (stale monitoring is measurement.stale-monitoring's).
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"
local stats = require "steward.stats"
local time = require "steward.time"

-- True when mean is better than the baseline, beyond rounding: a mean
-- equal to the baseline (up to monitoring.slack) is no improvement.
local function improved(mean, baseline, better)
  if better == "higher" then return monitoring.exceeds(mean, baseline) end
  return monitoring.exceeds(-mean, -baseline)
end

return {
  id = "measurement.improvement",
  title = "A measured AI workflow performs better than its baseline",
  severity = "medium",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { deployed_days = 90, window_days = 30 },
  check = function(w, ctx)
    if not (graph.ai_integrated(w, ctx.graph)
            and graph.stage_at_least(w, "measurement")) then
      return
    end
    local p = ctx.params
    local deployed = time.days_since(w.deployed_at, ctx.now)
    if deployed == nil or deployed <= p.deployed_days then return end
    local b = w.baseline
    if b == nil or type(b.metric) ~= "string" or b.metric == ""
        or type(b.value) ~= "number" then
      return
    end
    local better = monitoring.better(w)
    if better == nil then return end
    local _, values = obs.series(ctx, w, { metric = b.metric,
                                           days = p.window_days })
    local mean = stats.mean(values)
    if mean == nil or improved(mean, b.value, better) then return end
    ctx.fail(string.format("mean %s %s over the last %s days (%d "
        .. "observation%s) is not better than the baseline %s (%s is "
        .. "better): no measured improvement", b.metric,
        monitoring.num(mean), monitoring.num(p.window_days), #values,
        #values == 1 and "" or "s", monitoring.num(b.value), better), {
      path = "baseline/value",
      evidence = { baseline = b.value, metric = b.metric, better = better,
                   mean = monitoring.round(mean, 6), count = #values,
                   window_days = p.window_days,
                   since = monitoring.when(obs.window_start(ctx.now,
                                                            p.window_days)) },
    })
  end,
}
