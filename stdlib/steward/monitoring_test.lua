-- Tests of steward.monitoring: pure helpers, called directly (the windows
-- of observations they used to read are steward.obs's, tested there).
local t = require "steward.test"
local monitoring = require "steward.monitoring"
local time = require "steward.time"

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

-- better: baseline.better when given, else the monitoring direction of the
-- same metric; nil when nothing says.
t.case("better: baseline.better wins, whatever the monitoring", function()
  t.eq(monitoring.better({ baseline = { metric = "m", better = "lower" },
                           monitoring = { metric = "m", direction = "below" } }),
       "lower", "declared lower")
  t.eq(monitoring.better({ baseline = { metric = "m", better = "higher" } }),
       "higher", "declared, no monitoring")
  t.eq(monitoring.better({ baseline = { better = "lower" } }), "lower",
       "declared, even without a metric")
end)

t.case("better: from the direction of the same monitored metric", function()
  local function w(m) return { baseline = { metric = "m" }, monitoring = m } end
  t.eq(monitoring.better(w({ metric = "m", direction = "below" })), "higher",
       "alerts below: higher is better")
  t.eq(monitoring.better(w({ metric = "m", direction = "above" })), "lower",
       "alerts above: lower is better")
  t.eq(monitoring.better(w({ metric = "m" })), "higher",
       "no direction at all: higher")
  -- a missing direction is read as steward.monitoring reads it everywhere
  t.eq(monitoring.better(w({ metric = "m", baseline = 0.08,
                             alert_threshold = 0.12 })), "lower",
       "threshold over the baseline: alerts above")
  t.eq(monitoring.better(w({ metric = "m", baseline = 0.18,
                             alert_threshold = 0.15 })), "higher",
       "threshold under the baseline: alerts below")
end)

t.case("better: nil when nothing says", function()
  t.eq(monitoring.better({}), nil, "no baseline")
  t.eq(monitoring.better({ baseline = { metric = "m" } }), nil, "no monitoring")
  t.eq(monitoring.better({ baseline = { metric = "m" },
                           monitoring = { metric = "other", direction = "above" } }),
       nil, "another metric is monitored")
  t.eq(monitoring.better({ baseline = {}, monitoring = { direction = "above" } }),
       nil, "no baseline metric")
  t.eq(monitoring.better({ baseline = { metric = "" },
                           monitoring = { metric = "", direction = "above" } }),
       nil, "an empty metric is no metric")
  t.eq(monitoring.better({ baseline = { metric = "m", better = "up" },
                           monitoring = { metric = "m", direction = "above" } }),
       "lower", "an unknown better falls back to the direction")
end)
