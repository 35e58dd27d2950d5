-- measurement.incident-rate: frequent activation of governance is a signal
-- of poor AI performance to investigate. A workflow that uses a model (not
-- retired) has at most params.max_per_1000 `incident` records (of any
-- severity) per 1,000 cases over the last params.window_days days, its
-- cases being volume.cases_per_month for each 30 days of the window
-- (3 x cases_per_month for 90 days). Advisory: a rate to look into, not a
-- gate. Without a positive volume it is not judged.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"

return {
  id = "measurement.incident-rate",
  title = "Incidents are rare for the workflow's volume",
  severity = "low",
  enforcement = "advisory",
  layer = "governance",
  subjects = "workflows",
  params = { window_days = 90, max_per_1000 = 5 },
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    local volume = w.volume and w.volume.cases_per_month
    if type(volume) ~= "number" or volume <= 0 then return end
    local p = ctx.params
    local incidents = #obs.window(ctx, w, { kind = "incident",
                                            days = p.window_days })
    local cases = volume * p.window_days / 30
    local rate = incidents * 1000 / cases
    if not monitoring.exceeds(rate, p.max_per_1000) then return end
    ctx.fail(string.format("%d incident%s in the last %s days at %s cases "
        .. "a month: %s per 1,000 cases, more than %s; investigate the AI's "
        .. "performance", incidents, incidents == 1 and "" or "s",
        monitoring.num(p.window_days),
        monitoring.num(volume), monitoring.num(rate),
        monitoring.num(p.max_per_1000)), {
      path = "volume/cases_per_month",
      evidence = { incidents = incidents, cases = cases,
                   per_1000 = monitoring.round(rate, 4),
                   max_per_1000 = p.max_per_1000,
                   window_days = p.window_days,
                   since = monitoring.when(obs.window_start(ctx.now,
                                                            p.window_days)) },
    })
  end,
}
