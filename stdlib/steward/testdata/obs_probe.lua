-- A probe policy for obs_test.lua: each system carries a query `q` for one
-- steward.obs function; the probe runs it on the real observations and
-- reports the result as the evidence of a finding on that system.
local obs = require "steward.obs"

local function times_and_ats(list)
  local ts, ats = {}, {}
  for i, e in ipairs(list) do
    ts[i] = e.t
    ats[i] = e.record.at
  end
  return ts, ats
end

return {
  id = "probe.obs",
  severity = "info",
  subjects = "systems",
  check = function(node, ctx)
    local q, r = node.q, {}
    if q.fn == "records" then
      r.ts, r.ats = times_and_ats(obs.records(ctx, q.subject, q.name,
                                              q.since, q.before))
    elseif q.fn == "series" then
      r.ts, r.vs = obs.series(ctx, q.subject, q.name, q.since, q.before)
    elseif q.fn == "latest" then
      r.v, r.t = obs.latest(ctx, q.subject, q.name, q.before)
    elseif q.fn == "last_days" then
      r.vs = obs.last_days(ctx, q.subject, q.name, q.days)
    else
      error("obs_probe: unknown fn " .. tostring(q.fn))
    end
    ctx.fail(q.fn, { evidence = r })
  end,
}
