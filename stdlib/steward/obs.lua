-- steward.obs: a subject's observations as time series and windows.
--
-- Built on ctx.observations(subject, filter), which returns the records in
-- time order (filter: a metric or kind name, or {metric=|kind=, since=,
-- before=} with times as epoch seconds or RFC 3339 strings).
local time = require "steward.time"

local M = {}

-- Records of `subject` for `name` (a metric, or a kind such as "usage"),
-- within [since, before) — before defaults to just after ctx.now, since
-- what happens later is not known at now — each paired with its parsed
-- time: returns a list of { t = epoch, record = view }.
function M.records(ctx, subject, name, since, before)
  local out = {}
  local list = ctx.observations(subject, { name = name, since = since,
                                          before = before or ctx.now + 1 })
  for i, r in ipairs(list) do
    out[i] = { t = time.parse(r.at), record = r }
  end
  return out
end

-- The numeric series of a metric: times and values, as two arrays.
function M.series(ctx, subject, metric, since, before)
  local ts, vs = {}, {}
  for _, e in ipairs(M.records(ctx, subject, metric, since, before)) do
    local v = e.record.value
    if type(v) == "number" then
      ts[#ts + 1] = e.t
      vs[#vs + 1] = v
    end
  end
  return ts, vs
end

-- The last value of a metric (and its time), or nil.
function M.latest(ctx, subject, metric, before)
  local ts, vs = M.series(ctx, subject, metric, nil, before)
  if #vs == 0 then return nil end
  return vs[#vs], ts[#ts]
end

-- The values of a metric in the last `days` days before now.
function M.last_days(ctx, subject, metric, days)
  local _, vs = M.series(ctx, subject, metric, ctx.now - days * time.DAY)
  return vs
end

return M
