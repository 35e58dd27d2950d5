-- A probe policy for monitoring_test.lua: each system carries a query `q`
-- for one steward.monitoring function that needs ctx; the probe runs it on
-- the real observations and graph and reports the result as evidence.
local monitoring = require "steward.monitoring"

local function ats(list)
  local out = {}
  for i, e in ipairs(list) do out[i] = e.record.at end
  return out
end

return {
  id = "probe.monitoring",
  severity = "info",
  subjects = "systems",
  check = function(node, ctx)
    local q, r = node.q, {}
    if q.fn == "last_days" then
      r.ats = ats(monitoring.last_days(ctx, q.subject, q.name, q.days))
    elseif q.fn == "events" then
      r.ats = ats(monitoring.events(ctx, q.subject, q.name, q.days))
    elseif q.fn == "series" then
      r.ts, r.vs = monitoring.series(ctx, q.subject, q.name, q.days)
    elseif q.fn == "values_between" then
      r.vs = monitoring.values_between(ctx, q.subject, q.name, q.from, q.to)
    elseif q.fn == "latest" then
      r.v, r.t = monitoring.latest(ctx, q.subject, q.name)
      r.latest_time = monitoring.latest_time(ctx, q.subject, q.name)
    else
      error("monitoring_probe: unknown fn " .. tostring(q.fn))
    end
    ctx.fail(q.fn, { evidence = r })
  end,
}
