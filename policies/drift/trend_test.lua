-- Tests of drift.trend (medium, advisory): a least-squares line through the
-- observations of monitoring.metric in the last 90 days, extrapolated 30
-- days past now, is past alert_threshold in `direction` (and heading that
-- way) while the latest value is not past it yet.
local t = require "steward.test"

local NOW = "2026-11-26"
-- Days before NOW: 30 = 2026-10-27, 32 = 2026-10-25, 60 = 2026-09-27,
-- 64 = 2026-09-23, 90 = 2026-08-28, 91 = 2026-08-27.

-- A monitored workflow: qualified_to_won must stay at or above 0.15.
local function workflow(monitoring_changes)
  return t.measured_workflow({ monitoring = monitoring_changes })
end

-- Observations of qualified_to_won (or `metric`) for intake: a list of
-- {at, value} pairs.
local function series(points, metric, subject)
  local out = {}
  for i, p in ipairs(points) do
    out[i] = { at = p[1], subject = subject or "intake",
               metric = metric or "qualified_to_won", value = p[2] }
  end
  return out
end

local function check_one(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ intake = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
    policy = opts.policy,
  })
end

-- Falling 0.001 a day: 0.16 now, 0.13 in 30 days, past 0.15 in 10 days.
local FALLING = { { "2026-09-27", 0.22 }, { "2026-10-27", 0.19 },
                  { "2026-11-26", 0.16 } }
-- Falling 0.0002 a day: 0.16 now, 0.154 in 30 days: will not cross.
local SLOW = { { "2026-09-27", 0.172 }, { "2026-10-27", 0.166 },
               { "2026-11-26", 0.16 } }

t.case("a trend that will cross within 30 days fires", function()
  local found = check_one(workflow(), series(FALLING))
  t.expect(found, { {
    policy = "drift.trend", subject = "intake", severity = "medium",
    enforcement = "advisory",
    path = "/workflows/intake/monitoring/alert_threshold",
    message = "qualified_to_won is trending below its alert threshold 0.15: "
      .. "-0.001 a day over the last 90 days projects 0.13 in 30 days "
      .. "(latest 0.16 on 2026-11-26)",
  } })
  local e = found[1].evidence
  t.truthy(math.abs(e.slope_per_day + 0.001) < 1e-12, "evidence.slope_per_day")
  t.truthy(math.abs(e.projected - 0.13) < 1e-12, "evidence.projected")
  t.eq(e.crosses_at, "2026-12-06", "evidence.crosses_at")
  t.eq(e.crosses_in_days, 10, "evidence.crosses_in_days")
  t.eq(e.latest, 0.16, "evidence.latest")
  t.eq(e.points, 3, "evidence.points")
  t.eq(e.since, "2026-08-28", "evidence.since")
  t.eq(e.horizon_days, 30, "evidence.horizon_days")
end)

t.case("a trend that will not cross within 30 days passes", function()
  t.none(check_one(workflow(), series(SLOW)))
end)

-- 0.16 - 30 * 0.001 is 0.13 up to rounding: exactly at the threshold.
t.case("decimal values projecting exactly onto the threshold pass", function()
  t.none(check_one(workflow({ alert_threshold = 0.13 }), series(FALLING)))
  t.expect(check_one(workflow({ alert_threshold = 0.1301 }), series(FALLING)),
           { { subject = "intake" } })
end)

-- Exact binary values: slope -1/128 a day, 0.5 now, 0.265625 in 30 days.
t.case("a projection exactly at the threshold passes, just past fires",
       function()
  local points = series({ { "2026-09-23", 1.0 }, { "2026-10-25", 0.75 },
                          { "2026-11-26", 0.5 } })
  t.none(check_one(workflow({ baseline = 1, alert_threshold = 0.265625 }),
                   points))
  t.expect(check_one(workflow({ baseline = 1, alert_threshold = 0.2657 }),
                     points), { { subject = "intake", message = "projects 0.2656" } })
  t.none(check_one(workflow({ baseline = 1, alert_threshold = 0.2656 }),
                   points))
end)

-- Once the latest value is past, drift.threshold reports it, not drift.trend.
t.case("latest already past: only drift.threshold fires", function()
  local crossed = series({ { "2026-09-27", 0.22 }, { "2026-10-27", 0.19 },
                           { "2026-11-20", 0.14 } })
  t.none(check_one(workflow(), crossed))
  t.expect(check_one(workflow(), crossed, { policy = "threshold.lua" }),
           { { policy = "drift.threshold", subject = "intake" } })
end)

-- A latest value exactly at the threshold has not crossed: the trend
-- still warns.
t.case("latest exactly at the threshold: the trend fires", function()
  t.expect(check_one(workflow(), series({ { "2026-09-27", 0.21 },
                                          { "2026-10-27", 0.18 },
                                          { "2026-11-26", 0.15 } })),
           { { subject = "intake", message = "latest 0.15" } })
end)

-- Recovering: the line is past the threshold in the past, but rising.
t.case("a trend moving away from the threshold passes", function()
  t.none(check_one(workflow(), series({ { "2026-09-27", 0.10 },
                                        { "2026-10-27", 0.12 },
                                        { "2026-11-26", 0.16 } })))
end)

t.case("direction above: a rising metric fires, a falling one does not",
       function()
  local above = workflow({ metric = "error_rate", baseline = 0.02,
                           alert_threshold = 0.05, direction = "above" })
  t.expect(check_one(above, series({ { "2026-09-27", 0.02 },
                                     { "2026-10-27", 0.032 },
                                     { "2026-11-26", 0.044 } }, "error_rate")),
           { { subject = "intake", message = "trending above its alert threshold 0.05" } })
  t.none(check_one(above, series({ { "2026-09-27", 0.044 },
                                   { "2026-10-27", 0.032 },
                                   { "2026-11-26", 0.02 } }, "error_rate")))
end)

-- The same falling series fires for `below` and not for `above`.
t.case("direction below vs above on the same series", function()
  t.expect(check_one(workflow({ direction = "below" }), series(FALLING)),
           { { subject = "intake" } })
  t.none(check_one(workflow({ direction = "above", alert_threshold = 0.25 }),
                   series(FALLING)))
end)

-- A flat series at 0.16, plus an old high value: inside the window it
-- turns the line down past 0.15; one second outside, it is ignored.
t.case("an observation just outside the 90-day window is ignored", function()
  local flat = { { "2026-09-27", 0.16 }, { "2026-11-26", 0.16 } }
  local outside = { { "2026-08-27T23:59:59Z", 0.30 }, flat[1], flat[2] }
  local inside = { { "2026-08-28", 0.30 }, flat[1], flat[2] }
  t.none(check_one(workflow(), series(flat)))
  t.none(check_one(workflow(), series(outside)))
  t.expect(check_one(workflow(), series(inside)), { {
    subject = "intake", message = "over the last 90 days",
  } })
end)

t.case("observations after now are ignored", function()
  t.none(check_one(workflow(), series({ SLOW[1], SLOW[2], SLOW[3],
                                        { "2026-11-27", 0.01 } })))
end)

-- Two points make a line; one point or one instant does not.
t.case("needs two observations at different times", function()
  t.expect(check_one(workflow(), series({ FALLING[2], FALLING[3] })),
           { { subject = "intake" } })
  t.none(check_one(workflow(), series({ FALLING[3] })))
  t.none(check_one(workflow(), series({ { "2026-11-26", 0.16 },
                                        { "2026-11-26", 0.17 } })))
  t.none(check_one(workflow(), {}))
end)

t.case("horizon_days and window_days are parameters", function()
  -- 60 days ahead, the slow trend reaches 0.148.
  t.expect(check_one(workflow(), series(SLOW),
                     { params = { horizon_days = 60 } }),
           { { subject = "intake", message = "projects 0.148 in 60 days" } })
  -- A 30-day window sees only the last two points of the inside case.
  t.none(check_one(workflow(), series({ { "2026-08-28", 0.30 },
                                        { "2026-10-27", 0.16 },
                                        { "2026-11-26", 0.16 } }),
                   { params = { window_days = 30 } }))
end)

t.case("no metric, threshold or direction: not judged", function()
  local w = workflow()
  w.monitoring.alert_threshold = nil
  t.none(check_one(w, series(FALLING)))
  w = workflow()
  w.monitoring.metric = nil
  t.none(check_one(w, series(FALLING)))
  w = workflow()
  w.monitoring.direction, w.monitoring.baseline = nil, nil
  t.none(check_one(w, series(FALLING)))
end)

t.case("retired and model-free workflows are not judged", function()
  local retired, manual = workflow(), workflow()
  retired.stage = "retired"
  manual.uses = nil
  t.none(check_one(retired, series(FALLING)))
  t.none(check_one(manual, series(FALLING)))
end)

t.case("several workflows give exactly the expected findings", function()
  local obs = {}
  for _, s in ipairs({ series(FALLING, nil, "falling"),
                       series(SLOW, nil, "slow"),
                       series(FALLING, nil, "retired") }) do
    for _, o in ipairs(s) do obs[#obs + 1] = o end
  end
  local retired = workflow()
  retired.stage = "retired"
  t.expect(t.check(t.registry({ falling = workflow(), slow = workflow(),
                              retired = retired, silent = workflow() }),
                   { now = NOW, observations = obs }), {
    { subject = "falling",
      path = "/workflows/falling/monitoring/alert_threshold" },
  })
end)
