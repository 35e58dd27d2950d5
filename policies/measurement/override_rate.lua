-- measurement.override-rate: people override the AI neither never nor all
-- the time. Over the `override` observations (count of of cases) of the
-- last params.window_days days, once `of` sums to at least params.min_cases:
-- a rate below params.low is medium (possible over-reliance, nobody checks
-- the output), a rate above params.high is high (the AI or the workflow
-- design is failing the people who use it). The bounds themselves pass.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"

return {
  id = "measurement.override-rate",
  title = "The human override rate is inside its healthy band",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { window_days = 90, min_cases = 100, low = 0.01, high = 0.25 },
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    local p = ctx.params
    local list = obs.window(ctx, w, { kind = "override",
                                       days = p.window_days })
    local count, of = 0, 0
    for _, e in ipairs(list) do
      count = count + e.record.count
      of = of + e.record.of
    end
    if of < p.min_cases or of <= 0 then return end
    local rate = count / of
    local severity, key, why
    if rate < p.low then
      severity, key = "medium", "override rate low"
      why = string.format("below %s: possible over-reliance on the AI",
                          monitoring.percent(p.low))
    elseif rate > p.high then
      severity, key = "high", "override rate high"
      why = string.format("above %s: the AI or the workflow design is "
                          .. "failing people", monitoring.percent(p.high))
    else
      return
    end
    local since = obs.window_start(ctx.now, p.window_days)
    ctx.fail(string.format("overrides were %s of cases in the last %s days "
        .. "(%s of %s), %s", monitoring.percent(monitoring.round(rate, 6)),
        monitoring.num(p.window_days), monitoring.num(count),
        monitoring.num(of), why), {
      severity = severity, key = key,
      evidence = {
        rate = rate, overrides = count, cases = of, records = #list,
        since = monitoring.when(since), window_days = p.window_days,
        low = p.low, high = p.high,
      },
    })
  end,
}
