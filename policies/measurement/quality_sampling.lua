-- measurement.quality-sampling: nobody checks a sample of the AI's output.
-- Stage deployment or later and no `quality_score` observation in the last
-- monitoring.sampling_days days (params.default_sampling_days when the
-- workflow does not say). One deployed fewer days ago than that has not
-- had time to sample yet.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"
local time = require "steward.time"

return {
  id = "measurement.quality-sampling",
  title = "The AI's output quality is sampled at its cadence",
  severity = "medium",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { default_sampling_days = 30, metric = "quality_score" },
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    if not graph.stage_at_least(w, "deployment") then return end
    local p = ctx.params
    local days = w.monitoring and w.monitoring.sampling_days
    local declared = type(days) == "number" and days > 0
    if not declared then days = p.default_sampling_days end
    local deployed_days = time.days_since(w.deployed_at, ctx.now)
    if deployed_days ~= nil and deployed_days < days then return end
    local since = obs.window_start(ctx.now, days)
    local _, last = obs.latest(ctx, w, { metric = p.metric })
    if last ~= nil and last >= since then return end
    local evidence = {
      metric = p.metric, sampling_days = days, sampling_declared = declared,
      since = monitoring.when(since),
    }
    local message
    if last == nil then
      message = string.format("no %s has ever been recorded (sampling every "
                              .. "%s days)", p.metric, monitoring.num(days))
    else
      evidence.last_at = monitoring.when(last)
      evidence.days_ago = monitoring.days_ago(ctx.now, last)
      message = string.format("the last %s is from %s, %d days ago "
          .. "(sampling every %s days)", p.metric, monitoring.when(last),
          evidence.days_ago, monitoring.num(days))
    end
    ctx.fail(message, { path = "monitoring/sampling_days",
                        key = "stale quality sampling", evidence = evidence })
  end,
}
