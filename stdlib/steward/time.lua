-- steward.time: RFC 3339 times as epoch seconds, and day arithmetic.
local core = require "steward.core"

local M = {}

M.DAY = 86400

-- Epoch seconds of an RFC 3339 date or time, or nil when s is not one.
function M.parse(s)
  if type(s) ~= "string" then return nil end
  return core.parse_time(s)
end

-- "YYYY-MM-DDTHH:MM:SSZ" of epoch seconds.
function M.format(t)
  return core.format_time(t)
end

-- Whole and fractional days from `from` to `to` (both epoch seconds).
function M.days_between(from, to)
  return (to - from) / M.DAY
end

-- Days since the date s, at time now; nil when s is not a date.
function M.age_days(s, now)
  local t = M.parse(s)
  if t == nil then return nil end
  return M.days_between(t, now)
end

-- Calendar days (UTC) from the date of s to the date of now: a date-based
-- rule ("more than 365 days ago") must not flip at some hour of its last
-- day. nil when s is not a date.
function M.days_since(s, now)
  local t = M.parse(s)
  if t == nil then return nil end
  return math.floor(now / M.DAY) - math.floor(t / M.DAY)
end

return M
