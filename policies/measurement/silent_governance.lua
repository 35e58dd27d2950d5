-- measurement.silent-governance: a busy workflow whose governance never
-- speaks. Stage deployment or later, deployed more than
-- params.deployed_days days ago (calendar days), volume.cases_per_month at
-- least params.min_cases_per_month, and not one `incident`, nor one
-- `override` record with a count above zero, in the last
-- params.window_days days. Zero incidents and zero overrides at that volume
-- means nobody is looking, not that nothing goes wrong.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"
local time = require "steward.time"

return {
  id = "measurement.silent-governance",
  title = "A high-volume workflow records incidents or overrides",
  severity = "medium",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { deployed_days = 180, min_cases_per_month = 1000,
             window_days = 180 },
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    if not graph.stage_at_least(w, "deployment") then return end
    local p = ctx.params
    local age = time.days_since(w.deployed_at, ctx.now)
    if age == nil or age <= p.deployed_days then return end
    local volume = w.volume and w.volume.cases_per_month
    if type(volume) ~= "number" or volume < p.min_cases_per_month then
      return
    end
    if #obs.window(ctx, w, { kind = "incident", days = p.window_days }) > 0 then
      return
    end
    local cases, records = 0, 0
    for _, e in ipairs(obs.window(ctx, w, { kind = "override",
                                            days = p.window_days })) do
      if e.record.count > 0 then return end
      cases = cases + e.record.of
      records = records + 1
    end
    local since = obs.window_start(ctx.now, p.window_days)
    ctx.fail(string.format("no incident and no override in the last %s days "
        .. "at %s cases a month, deployed %d days ago: is anybody looking?",
        monitoring.num(p.window_days), monitoring.num(volume), age), {
      key = "silent governance",
      evidence = {
        cases_per_month = volume, deployed_at = w.deployed_at,
        deployed_days = age, since = monitoring.when(since),
        window_days = p.window_days, override_records = records,
        override_cases = cases,
      },
    })
  end,
}
