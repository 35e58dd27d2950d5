-- steward.monitoring: what the drift, adoption and measurement policies
-- share: a workflow's monitoring spec, "past the threshold in this
-- direction", and numbers and times written for a reviewer. Their
-- observations come from steward.obs (obs.window and what is built on it).
local time = require "steward.time"

local M = {}

local DAY = time.DAY
M.DAY = DAY

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

-- "higher" or "lower": which way the workflow's baseline metric improves
-- (measurement.improvement). baseline.better when it says; otherwise, when
-- monitoring.metric is the baseline's metric, its monitoring direction as
-- M.direction reads it (the field, or the side of the baseline the
-- threshold is on): alerting below, or no direction at all, means higher is
-- better, alerting above means lower is. nil when neither says, or there
-- is no baseline.metric to compare.
function M.better(w)
  local b = w.baseline
  if b == nil then return nil end
  if b.better == "higher" or b.better == "lower" then return b.better end
  local m = w.monitoring
  if m == nil or b.metric == nil or b.metric == "" or m.metric ~= b.metric then
    return nil
  end
  return M.direction(m) == "above" and "lower" or "higher"
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
