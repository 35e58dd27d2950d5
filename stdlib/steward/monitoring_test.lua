-- Tests of steward.monitoring: the pure helpers directly, the ones that
-- read observations and the graph through a probe policy
-- (testdata/monitoring_probe.lua) on the real engine.
local t = require "steward.test"
local monitoring = require "steward.monitoring"
local time = require "steward.time"

local DAY = 86400

t.case("past: strictly past the threshold in the direction", function()
  t.eq(monitoring.past(0.14, 0.15, "below"), true, "below, under")
  t.eq(monitoring.past(0.15, 0.15, "below"), false, "below, equal")
  t.eq(monitoring.past(0.16, 0.15, "below"), false, "below, over")
  t.eq(monitoring.past(0.06, 0.05, "above"), true, "above, over")
  t.eq(monitoring.past(0.05, 0.05, "above"), false, "above, equal")
  t.eq(monitoring.past(0.04, 0.05, "above"), false, "above, under")
  t.eq(monitoring.past(0.01, 0.05, nil), false, "no direction")
  t.eq(monitoring.past(0.01, 0.05, "sideways"), false, "unknown direction")
end)

t.case("past with computed values allows for rounding", function()
  local projected = 0.16 + 30 * -0.001        -- 0.13 up to rounding
  t.eq(monitoring.past(projected, 0.13, "below", true), false, "equal-ish")
  t.eq(monitoring.past(0.1299, 0.13, "below", true), true, "clearly below")
  t.eq(monitoring.past(0.8 * 0.75, 0.6, "above", true), false,
       "0.6000000000000001 is 0.6")
  t.eq(monitoring.past(0.6 + 1e-6, 0.6, "above", true), true, "clearly above")
end)

t.case("exceeds: greater by more than the rounding slack", function()
  t.eq(monitoring.exceeds((0.8 - 0.6) / 0.8, 0.25), false,
       "0.25000000000000006 is 0.25")
  t.eq(monitoring.exceeds(0.2501, 0.25), true, "0.2501")
  t.eq(monitoring.exceeds(0.25, 0.25), false, "equal")
  t.eq(monitoring.exceeds(1e6 + 1, 1e6), true, "large numbers: scaled slack")
  t.eq(monitoring.exceeds(1e6 + 1e-4, 1e6), false, "large numbers: noise")
end)

t.case("direction: declared, else read from the baseline", function()
  t.eq(monitoring.direction({ direction = "above", baseline = 0.9,
                              alert_threshold = 0.5 }), "above", "declared wins")
  t.eq(monitoring.direction({ baseline = 0.18, alert_threshold = 0.15 }),
       "below", "threshold under the baseline")
  t.eq(monitoring.direction({ baseline = 0.02, alert_threshold = 0.05 }),
       "above", "threshold over the baseline")
  t.eq(monitoring.direction({ baseline = 0.1, alert_threshold = 0.1 }), nil,
       "equal: no side")
  t.eq(monitoring.direction({ alert_threshold = 0.1 }), nil, "no baseline")
  t.eq(monitoring.direction(nil), nil, "no monitoring")
end)

t.case("spec: metric, numeric threshold and a direction, or nil", function()
  t.eq(monitoring.spec({ monitoring = { metric = "m", alert_threshold = 0.1,
                                        direction = "below", baseline = 0.2 } }),
       { metric = "m", threshold = 0.1, direction = "below", baseline = 0.2 },
       "complete")
  t.eq(monitoring.spec({ monitoring = { metric = "m", alert_threshold = 0,
                                        baseline = 1 } }),
       { metric = "m", threshold = 0, direction = "below", baseline = 1 },
       "threshold 0, direction from the baseline")
  t.eq(monitoring.spec({}), nil, "no monitoring")
  t.eq(monitoring.spec({ monitoring = { metric = "", alert_threshold = 1,
                                        direction = "above" } }), nil,
       "empty metric")
  t.eq(monitoring.spec({ monitoring = { metric = "m", direction = "above" } }),
       nil, "no threshold")
  t.eq(monitoring.spec({ monitoring = { metric = "m", alert_threshold = 1 } }),
       nil, "no direction, no baseline")
end)

t.case("window_start: midnight UTC N days before the date of now", function()
  local now = time.parse("2026-11-26")
  t.eq(monitoring.window_start(now, 30), time.parse("2026-10-27"), "30 days")
  t.eq(monitoring.window_start(now + 15 * 3600, 30), time.parse("2026-10-27"),
       "the hour of now does not move it")
  t.eq(monitoring.window_start(now, 0), now, "0 days: today")
end)

t.case("days_ago counts calendar days", function()
  local now = time.parse("2026-11-26T15:00:00Z")
  t.eq(monitoring.days_ago(now, time.parse("2026-11-12T23:00:00Z")), 14, "14")
  t.eq(monitoring.days_ago(now, time.parse("2026-11-26")), 0, "today")
end)

t.case("when: dates at midnight, full times otherwise", function()
  t.eq(monitoring.when(time.parse("2026-11-23")), "2026-11-23", "midnight")
  t.eq(monitoring.when(time.parse("2026-11-23T09:30:00Z")),
       "2026-11-23T09:30:00Z", "a time")
end)

t.case("num, percent and round write numbers for people", function()
  t.eq(monitoring.num(4200), "4200", "an integer")
  t.eq(monitoring.num(4200.0), "4200", "an integral float")
  t.eq(monitoring.num(0.15), "0.15", "a share")
  t.eq(monitoring.num(0.13000000000000003), "0.13", "rounding noise")
  t.eq(monitoring.num(-0.001), "-0.001", "a small slope")
  t.eq(monitoring.num(0.0000125), "1.25e-05", "tiny values keep an exponent")
  t.eq(monitoring.num(2 / 3), "0.6667", "four significant digits")
  t.eq(monitoring.percent(0.01), "1%", "1%")
  t.eq(monitoring.percent(0.3035), "30.35%", "30.35%")
  t.eq(monitoring.percent(0), "0%", "0%")
  t.eq(monitoring.round(0.123456, 2), 0.12, "two decimals")
  t.eq(monitoring.round(9.99999999, 1), 10, "up")
end)

-- {=== Through the engine ===================================================

local NOW = "2026-11-26T15:00:00Z"

local OBSERVATIONS = {
  { at = "2026-11-11T23:59:59Z", subject = "w", metric = "acc", value = 0.1 },
  { at = "2026-11-12", subject = "w", metric = "acc", value = 0.2 },
  { at = "2026-11-26T15:00:00Z", subject = "w", metric = "acc", value = 0.3 },
  { at = "2026-11-26T15:00:01Z", subject = "w", metric = "acc", value = 0.4 },
  { at = "2026-11-20", subject = "w", metric = "override", value = 7 },
  { at = "2026-11-21", kind = "override", subject = "w", count = 1, of = 9 },
  { at = "2026-11-27", kind = "override", subject = "w", count = 2, of = 9 },
}

local function run(queries, registry)
  registry = registry or {}
  registry.systems = {}
  for i, q in ipairs(queries) do
    registry.systems[string.format("q%02d", i)] = { name = "query", q = q }
  end
  local found = t.check(registry, { now = NOW, observations = OBSERVATIONS,
                                    policy = "testdata/monitoring_probe.lua" })
  local by = {}
  for _, f in ipairs(found) do
    if f.policy == "probe.monitoring" then by[f.subject] = f.evidence or {} end
  end
  local out = {}
  for i = 1, #queries do out[i] = by[string.format("q%02d", i)] end
  return out
end

t.case("last_days: from midnight N days back to now, both included", function()
  local r = run({
    { fn = "last_days", subject = "w", name = "acc", days = 14 },
    { fn = "last_days", subject = "w", name = "acc", days = 15 },
    { fn = "last_days", subject = "w", name = "acc" },
  })
  t.eq(r[1].ats, { "2026-11-12", "2026-11-26T15:00:00Z" },
       "14 days at 15:00: 11-12 in, a second before out, after now out")
  t.eq(r[2].ats, { "2026-11-11T23:59:59Z", "2026-11-12",
                   "2026-11-26T15:00:00Z" }, "15 days")
  t.eq(#r[3].ats, 3, "no window: everything up to now")
end)

t.case("series: metric records only, capped at now", function()
  local r = run({
    { fn = "series", subject = "w", name = "acc", days = 14 },
    { fn = "series", subject = "w", name = "override" },
  })
  t.eq(r[1].vs, { 0.2, 0.3 }, "values")
  t.eq(r[1].ts, { time.parse("2026-11-12"), time.parse(NOW) }, "times")
  t.eq(r[2].vs, { 7 }, "a metric named override, not the override records")
end)

t.case("events: records of one kind only, capped at now", function()
  local r = run({ { fn = "events", subject = "w", name = "override" },
                  { fn = "events", subject = "w", name = "override", days = 3 },
                  { fn = "events", subject = "w", name = "incident" } })
  t.eq(r[1].ats, { "2026-11-21" }, "the override record, not the metric")
  t.eq(r[2].ats or {}, {}, "3 days: from 11-23")
  t.eq(r[3].ats or {}, {}, "no incidents")
end)

t.case("values_between: [from, to), capped at now", function()
  local r = run({
    { fn = "values_between", subject = "w", name = "acc",
      from = "2026-11-11T23:59:59Z", to = "2026-11-12" },
    { fn = "values_between", subject = "w", name = "acc",
      from = "2026-11-12", to = "2026-12-31" },
  })
  t.eq(r[1].vs, { 0.1 }, "from included, to excluded")
  t.eq(r[2].vs, { 0.2, 0.3 }, "nothing after now")
end)

t.case("latest and latest_time: the last value up to now", function()
  local r = run({ { fn = "latest", subject = "w", name = "acc" },
                  { fn = "latest", subject = "w", name = "none" } })
  t.eq(r[1].v, 0.3, "value at now, not after")
  t.eq(r[1].t, time.parse(NOW), "time")
  t.eq(r[1].latest_time, time.parse(NOW), "latest_time")
  t.eq(r[2].v, nil, "no value")
  t.eq(r[2].latest_time, nil, "no time")
end)

-- }===
