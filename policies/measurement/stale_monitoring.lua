-- measurement.stale-monitoring: the monitoring exists on paper only.
-- Stage deployment or later and no observation of monitoring.metric in the
-- last params.cadence_factor x monitoring.cadence_days days (cadence
-- params.default_cadence_days when the workflow does not say). A workflow
-- without monitoring.metric is left to governance.monitoring; one deployed
-- fewer days ago than that window has not had time to report yet.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"
local time = require "steward.time"

return {
  id = "measurement.stale-monitoring",
  title = "The monitored metric is measured at its cadence",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { default_cadence_days = 30, cadence_factor = 2 },
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    if not graph.stage_at_least(w, "deployment") then return end
    local m = w.monitoring
    local metric = m and m.metric
    if type(metric) ~= "string" or metric == "" then return end
    local p = ctx.params
    local cadence = m.cadence_days
    local declared = type(cadence) == "number" and cadence > 0
    if not declared then cadence = p.default_cadence_days end
    local limit = p.cadence_factor * cadence
    local deployed_days = time.days_since(w.deployed_at, ctx.now)
    if deployed_days ~= nil and deployed_days < limit then return end
    local since = obs.window_start(ctx.now, limit)
    local _, last = obs.latest(ctx, w, { metric = metric })
    if last ~= nil and last >= since then return end
    local evidence = {
      metric = metric, cadence_days = cadence, cadence_declared = declared,
      window_days = limit, since = monitoring.when(since),
    }
    local message
    if last == nil then
      message = string.format("%s has never been observed (cadence %s days)",
                              metric, monitoring.num(cadence))
    else
      evidence.last_at = monitoring.when(last)
      evidence.days_ago = monitoring.days_ago(ctx.now, last)
      message = string.format("%s was last observed on %s, %d days ago "
          .. "(cadence %s days, so at most %s)", metric, monitoring.when(last),
          evidence.days_ago, monitoring.num(cadence), monitoring.num(limit))
    end
    ctx.fail(message, { path = "monitoring/metric", key = "stale monitoring",
                        evidence = evidence })
  end,
}
