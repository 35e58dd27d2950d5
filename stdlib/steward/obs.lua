-- steward.obs: a subject's observations in a window of time.
--
-- obs.window is the one way the stdlib and the built-in policies read
-- observations, so that "the last 30 days", "since deployment" and "up to
-- now" mean the same in every pack. The filter:
--
--   metric = NAME  the records of that metric ({metric=, value=}, no kind)
--   kind = NAME    the records of that kind (usage, override, incident...)
--                  (exactly one of the two: the engine indexes metric and
--                  kind names together, so a metric named "override" and
--                  the override records share a name; this keeps them apart)
--   since = T      at or after T, included (epoch seconds or RFC 3339)
--   before = T     before T, excluded
--   days = N       the last N days: at or after midnight UTC N days before
--                  the date of now, so a record dated exactly N days before
--                  now is in, one a second earlier is not, whatever the hour
--                  of now (with `since` too, the later of the two counts)
--
-- and always up to ctx.now itself, included: what happens after now is not
-- known at now (a run with an earlier --now sees what was known then).
local time = require "steward.time"

local M = {}

local DAY = time.DAY

-- Start (epoch seconds) of the window of the last `days` days before now.
function M.window_start(now, days)
  return (math.floor(now / DAY) - days) * DAY
end

-- A bound of the filter as epoch seconds (nil stays nil).
local function bound(v, name)
  if v == nil or type(v) == "number" then return v end
  local t = time.parse(v)
  if t == nil then
    error(string.format("obs.window: %s %q is not an RFC 3339 time", name,
                        tostring(v)), 3)
  end
  return t
end

-- The records of `subject` (an id or a node) the filter selects, oldest
-- first (input order among equal times), each as { t = epoch seconds,
-- record = the read-only record }.
function M.window(ctx, subject, filter)
  local metric, kind = filter.metric, filter.kind
  if (metric == nil) == (kind == nil) then
    error("obs.window: the filter names a metric or a kind, one of them", 2)
  end
  local since = bound(filter.since, "since")
  if filter.days ~= nil then
    local start = M.window_start(ctx.now, filter.days)
    if since == nil or start > since then since = start end
  end
  local list = ctx.observations(subject, {
    metric = metric, kind = kind, since = since,
    before = bound(filter.before, "before"),
  })
  local out, now = {}, ctx.now
  for _, r in ipairs(list) do
    local t = time.parse(r.at)          -- the loader checked every `at`
    if t > now then break end           -- time order: the rest is later
    if kind ~= nil or r.kind == nil then
      out[#out + 1] = { t = t, record = r }
    end
  end
  return out
end

-- The numeric `value`s of the window as two arrays, times and values.
function M.series(ctx, subject, filter)
  local ts, vs = {}, {}
  for _, e in ipairs(M.window(ctx, subject, filter)) do
    local v = e.record.value
    if type(v) == "number" then
      ts[#ts + 1] = e.t
      vs[#vs + 1] = v
    end
  end
  return ts, vs
end

-- The last numeric value of the window and its time, or nil.
function M.latest(ctx, subject, filter)
  local ts, vs = M.series(ctx, subject, filter)
  if #vs == 0 then return nil end
  return vs[#vs], ts[#ts]
end

return M
