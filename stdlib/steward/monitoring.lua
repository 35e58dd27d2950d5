-- steward.monitoring: what the drift, adoption and measurement policies
-- share: which workflows they judge, a workflow's monitoring spec, "past the
-- threshold in this direction", windows of observations that end at now,
-- and numbers and times written for a reviewer.
--
-- Windows. "The last N days" is every observation from midnight UTC N days
-- before the date of now up to now itself, both ends included: a record
-- dated exactly N days before now is inside, one a second earlier is not,
-- and the answer does not change with the hour of now. Observations after
-- now are never seen (a run with an earlier --now sees what was known then).
local time = require "steward.time"

local M = {}

local DAY = time.DAY
M.DAY = DAY

-- Start (epoch seconds) of the window of the last `days` days before now.
function M.window_start(now, days)
  return (math.floor(now / DAY) - days) * DAY
end

-- "below" or "above": the side of the threshold that alerts. A missing
-- direction is read from the baseline (a threshold under the baseline
-- alerts below it); nil when neither says.
function M.direction(m)
  if m == nil then return nil end
  if m.direction == "below" or m.direction == "above" then
    return m.direction
  end
  local b, th = m.baseline, m.alert_threshold
  if type(b) == "number" and type(th) == "number" and b ~= th then
    return th < b and "below" or "above"
  end
  return nil
end

-- Relative slack for comparing computed numbers (means, projections) with
-- a bound: 0.8 * 0.75 is 0.6000000000000001 in floating point, and a drop
-- from 0.8 to 0.6 is exactly 25%, not more.
M.TOLERANCE = 1e-9

-- The slack for comparing with bound b.
function M.slack(b)
  return M.TOLERANCE * math.max(1, math.abs(b))
end

-- True when value is strictly past threshold in direction: a value equal
-- to the threshold has not crossed it. With `computed` true, the value is
-- the result of arithmetic and must be past by more than M.slack.
function M.past(value, threshold, direction, computed)
  local slack = computed and M.slack(threshold) or 0
  if direction == "below" then return value < threshold - slack end
  if direction == "above" then return value > threshold + slack end
  return false
end

-- True when computed value a is greater than bound b by more than M.slack.
function M.exceeds(a, b)
  return a > b + M.slack(b)
end

-- A workflow's monitoring as the drift policies need it: { metric,
-- threshold, direction, baseline }, or nil when it has no metric, no
-- numeric alert_threshold, or no direction (governance.monitoring reports
-- what is missing).
function M.spec(w)
  local m = w.monitoring
  if m == nil or type(m.metric) ~= "string" or m.metric == "" then
    return nil
  end
  if type(m.alert_threshold) ~= "number" then return nil end
  local direction = M.direction(m)
  if direction == nil then return nil end
  return { metric = m.metric, threshold = m.alert_threshold,
           direction = direction, baseline = m.baseline }
end

-- Records of subject named `name` (a metric or a kind) at or after `since`
-- (epoch seconds, or nil for all) and at or before now, in time order:
-- a list of { t = epoch seconds, record = view }.
function M.records(ctx, subject, name, since)
  local out = {}
  local list = ctx.observations(subject, { metric = name, since = since })
  for _, r in ipairs(list) do
    local t = time.parse(r.at)
    if t ~= nil and t <= ctx.now then out[#out + 1] = { t = t, record = r } end
  end
  return out
end

-- The records of the last `days` days (all up to now when days is nil).
function M.last_days(ctx, subject, name, days)
  return M.records(ctx, subject, name,
                   days and M.window_start(ctx.now, days) or nil)
end

-- The engine indexes metric and kind names together, so a metric named
-- "override" and the override records share one name: these two keep
-- each to its own.
local function is_metric(r)
  return r.kind == nil and type(r.value) == "number"
end

-- Records of kind `kind` (override, incident, ...) in the last `days`
-- days (all up to now when days is nil): a list of { t, record }.
function M.events(ctx, subject, kind, days)
  local out = {}
  for _, e in ipairs(M.last_days(ctx, subject, kind, days)) do
    if e.record.kind == kind then out[#out + 1] = e end
  end
  return out
end

-- A metric's numeric values as two arrays, times and values, over the last
-- `days` days (all up to now when days is nil).
function M.series(ctx, subject, metric, days)
  local ts, vs = {}, {}
  for _, e in ipairs(M.last_days(ctx, subject, metric, days)) do
    if is_metric(e.record) then
      ts[#ts + 1] = e.t
      vs[#vs + 1] = e.record.value
    end
  end
  return ts, vs
end

-- The numeric values of a metric in [from, to) (epoch seconds), capped at
-- now: for windows that are not "the last N days".
function M.values_between(ctx, subject, metric, from, to)
  local vs = {}
  local list = ctx.observations(subject, { metric = metric, since = from,
                                           before = to })
  for _, r in ipairs(list) do
    local t = time.parse(r.at)
    if t ~= nil and t <= ctx.now and is_metric(r) then
      vs[#vs + 1] = r.value
    end
  end
  return vs
end

-- The latest value of a metric up to now and its time, or nil.
function M.latest(ctx, subject, metric)
  local ts, vs = M.series(ctx, subject, metric)
  if #vs == 0 then return nil end
  return vs[#vs], ts[#ts]
end

-- The time of the latest value of a metric up to now, or nil.
function M.latest_time(ctx, subject, metric)
  local _, t = M.latest(ctx, subject, metric)
  return t
end

-- Whole days from the date of t to the date of now (UTC calendar days).
function M.days_ago(now, t)
  return math.floor(now / DAY) - math.floor(t / DAY)
end

-- A time for a message: "2026-11-23" at midnight UTC, else the full time.
function M.when(t)
  local s = time.format(t)
  return (s:gsub("T00:00:00Z$", ""))
end

-- A number for a message: integers in full, others to 4 significant
-- digits (so rounding noise such as 0.13000000000000003 does not show).
function M.num(x)
  if x == math.floor(x) and math.abs(x) < 1e15 then
    return string.format("%d", math.floor(x))
  end
  return string.format("%.4g", x)
end

-- A share as a percentage for a message: 0.0123 -> "1.23%".
function M.percent(x)
  return M.num(x * 100) .. "%"
end

-- x rounded to `digits` decimals, for evidence a reviewer reads.
function M.round(x, digits)
  local f = 10 ^ (digits or 4)
  return math.floor(x * f + 0.5) / f
end

return M
