-- A probe policy for obs_test.lua: each system carries a query `q` for one
-- steward.obs function (window, series or latest) and its filter; the probe
-- runs it on the real observations and reports the result as the evidence
-- of a finding on that system.
local obs = require "steward.obs"

-- The times and the `at` strings of a window, as two arrays.
local function times_and_ats(list)
  local ts, ats = {}, {}
  for i, e in ipairs(list) do
    ts[i] = e.t
    ats[i] = e.record.at
  end
  return ts, ats
end

local QUERIES = {
  window = function(ctx, q, r)
    r.ts, r.ats = times_and_ats(obs.window(ctx, q.subject, q.filter))
  end,
  series = function(ctx, q, r)
    r.ts, r.vs = obs.series(ctx, q.subject, q.filter)
  end,
  latest = function(ctx, q, r)
    r.v, r.t = obs.latest(ctx, q.subject, q.filter)
  end,
}

return {
  id = "probe.obs",
  severity = "info",
  subjects = "systems",
  check = function(node, ctx)
    local q, r = node.q, {}
    QUERIES[q.fn](ctx, q, r)
    ctx.fail(q.fn, { evidence = r })
  end,
}
