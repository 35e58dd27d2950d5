-- drift.trend: the monitored metric is heading for its alert threshold.
-- A least-squares line through the observations of monitoring.metric in the
-- last params.window_days days, extrapolated params.horizon_days past now,
-- is past alert_threshold in `direction` and moving that way, while the
-- latest value is not past it yet (once it is, drift.threshold reports it).
-- Needs at least two observations at different times in the window.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"
local stats = require "steward.stats"

local DAY = monitoring.DAY

return {
  id = "drift.trend",
  title = "The monitored metric is not trending across its alert threshold",
  severity = "medium",
  enforcement = "advisory",
  layer = "technical",
  subjects = "workflows",
  params = { window_days = 90, horizon_days = 30 },
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    local spec = monitoring.spec(w)
    if spec == nil then return end
    local p = ctx.params
    local ts, vs = obs.series(ctx, w, { metric = spec.metric,
                                            days = p.window_days })
    if #vs < 2 then return end
    local latest, latest_at = vs[#vs], ts[#ts]
    if monitoring.past(latest, spec.threshold, spec.direction) then return end
    -- x in days relative to now keeps the fit well conditioned.
    local xs = {}
    for i, t in ipairs(ts) do xs[i] = (t - ctx.now) / DAY end
    local slope, intercept = stats.linear_fit(xs, vs)
    if slope == nil then return end
    local toward = (spec.direction == "below" and slope < 0)
                or (spec.direction == "above" and slope > 0)
    if not toward then return end
    local projected = intercept + slope * p.horizon_days
    if not monitoring.past(projected, spec.threshold, spec.direction,
                           true) then
      return
    end
    -- When the line crosses, to the second (so 9.9999999 days is 10).
    local crosses_at = ctx.now
        + math.floor((spec.threshold - intercept) / slope * DAY + 0.5)
    ctx.fail(string.format("%s is trending %s its alert threshold %s: "
        .. "%s a day over the last %s days projects %s in %s days "
        .. "(latest %s on %s)", spec.metric, spec.direction,
        monitoring.num(spec.threshold), monitoring.num(slope),
        monitoring.num(p.window_days), monitoring.num(projected),
        monitoring.num(p.horizon_days), monitoring.num(latest),
        monitoring.when(latest_at)), {
      path = "monitoring/alert_threshold",
      key = "trending past alert threshold",
      evidence = {
        metric = spec.metric, alert_threshold = spec.threshold,
        direction = spec.direction, slope_per_day = slope,
        projected = projected, horizon_days = p.horizon_days,
        crosses_at = monitoring.when(math.floor(crosses_at / DAY) * DAY),
        crosses_in_days = monitoring.round((crosses_at - ctx.now) / DAY, 1),
        latest = latest, latest_at = monitoring.when(latest_at),
        points = #vs, window_days = p.window_days,
        since = monitoring.when(
          obs.window_start(ctx.now, p.window_days)),
      },
    })
  end,
}
