-- Tests of measurement.improvement (medium, governance layer): at stage
-- measurement or scaling, deployed more than 90 days ago, with
-- baseline.metric and baseline.value, the mean of the metric's observations
-- in the last 30 days must be better than the baseline value (equal is not
-- better). Better: baseline.better, else the monitoring direction of the
-- same metric (below or none: higher; above: lower), else not judged.
local t = require "steward.test"

local NOW = "2026-11-26"
-- 30 days before NOW is 2026-10-27; 90 days before is 2026-08-28.

-- Deployed 2026-02-01 (298 days before NOW), qualified_to_won monitored
-- with direction below; its baseline before the AI was 0.15.
local function workflow(changes)
  return t.merge(t.measured_workflow({
    baseline = { metric = "qualified_to_won", value = 0.15,
                 measured_at = "2026-01-15" },
  }), changes)
end

local function won(at, value, subject, metric)
  return { at = at, subject = subject or "leads",
           metric = metric or "qualified_to_won", value = value }
end

local function check(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ leads = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("a mean better than the baseline passes", function()
  t.none(check(workflow(), { won("2026-11-09", 0.17), won("2026-11-23", 0.18) }))
end)

t.case("a mean worse than the baseline fires", function()
  local found = check(workflow(), { won("2026-10-01", 0.2),
                                    won("2026-11-09", 0.14),
                                    won("2026-11-23", 0.13) })
  t.expect(found, { {
    policy = "measurement.improvement", subject = "leads", severity = "medium",
    enforcement = "soft-mandatory", layer = "governance",
    path = "/workflows/leads/baseline/value",
    message = "mean qualified_to_won 0.135 over the last 30 days (2 " ..
              "observations) is not better than the baseline 0.15 (higher " ..
              "is better): no measured improvement",
  } })
  t.eq(found[1].evidence, { baseline = 0.15, metric = "qualified_to_won",
                            better = "higher", mean = 0.135, count = 2,
                            window_days = 30, since = "2026-10-27" },
       "evidence")
end)

-- Equal is not better, also when the mean is equal only up to rounding:
-- (0.14 + 0.16) / 2 is 0.15000000000000002 in floating point.
t.case("a mean equal to the baseline fires", function()
  t.expect(check(workflow(), { won("2026-11-20", 0.15) }),
           { { subject = "leads", message = "mean qualified_to_won 0.15 " ..
               "over the last 30 days (1 observation)" } })
  t.expect(check(workflow(), { won("2026-11-09", 0.14), won("2026-11-23", 0.16) }),
           { { subject = "leads" } })
  t.none(check(workflow(), { won("2026-11-20", 0.1501) }))
end)

t.case("lower is better when the monitoring alerts above", function()
  local w = workflow({ monitoring = { direction = "above" },
                       baseline = { value = 0.2 } })
  t.none(check(w, { won("2026-11-20", 0.19) }))
  t.expect(check(w, { won("2026-11-20", 0.21) }),
           { { subject = "leads", message = "(lower is better)" } })
  t.expect(check(w, { won("2026-11-20", 0.2) }), { { subject = "leads" } })
end)

-- A missing direction is read as everywhere: from baseline and threshold.
t.case("no direction: read from the monitoring baseline and threshold",
       function()
  local w = workflow({ monitoring = { direction = t.NONE } })   -- 0.15 < 0.18
  t.expect(check(w, { won("2026-11-20", 0.14) }),
           { { subject = "leads", message = "(higher is better)" } })
  w = workflow({ monitoring = { direction = t.NONE, baseline = 0.08,
                                alert_threshold = 0.12 } })
  t.expect(check(w, { won("2026-11-20", 0.16) }),
           { { subject = "leads", message = "(lower is better)" } })
end)

t.case("baseline.better wins over the monitoring direction", function()
  local w = workflow({ baseline = { better = "lower" } })
  t.none(check(w, { won("2026-11-20", 0.12) }))
  t.expect(check(w, { won("2026-11-20", 0.16) }),
           { { subject = "leads", message = "(lower is better)" } })
end)

-- The baseline metric need not be the monitored one when better is given.
t.case("another metric: judged with baseline.better, else not", function()
  local obs = { won("2026-11-20", 30, "leads", "minutes_per_lead") }
  local w = workflow({ baseline = { metric = "minutes_per_lead", value = 25 } })
  t.none(check(w, obs))
  w = workflow({ baseline = { metric = "minutes_per_lead", value = 25,
                              better = "lower" } })
  t.expect(check(w, obs), { { subject = "leads",
                              message = "mean minutes_per_lead 30" } })
end)

t.case("no observation in the window: not judged", function()
  t.none(check(workflow(), {}))
  t.none(check(workflow(), { won("2026-10-26T23:59:59Z", 0.1) }))
  t.none(check(workflow(), { won("2026-11-27", 0.1) }))
end)

-- The window starts 30 days before now, at midnight, included.
t.case("one day either side of the 30-day window", function()
  t.expect(check(workflow(), { won("2026-10-27", 0.1) }),
           { { subject = "leads" } })
  t.none(check(workflow(), { won("2026-10-26", 0.1), won("2026-11-20", 0.2) }))
end)

-- "More than 90 days ago", in calendar days.
t.case("deployed exactly 90 days ago is not judged, 91 is", function()
  local obs = { won("2026-11-20", 0.1) }
  t.none(check(workflow({ deployed_at = "2026-08-28" }), obs))
  t.expect(check(workflow({ deployed_at = "2026-08-27" }), obs),
           { { subject = "leads" } })
  t.none(check(workflow({ deployed_at = t.NONE }), obs))
end)

t.case("no baseline metric or value: not judged", function()
  local obs = { won("2026-11-20", 0.1) }
  t.none(check(workflow({ baseline = t.NONE }), obs))
  t.none(check(workflow({ baseline = { value = t.NONE } }), obs))
  t.none(check(workflow({ baseline = { metric = t.NONE, better = "higher" } }),
               obs))
  t.none(check(workflow({ baseline = { metric = "" } }), obs))
end)

t.case("stage measurement or scaling; earlier stages are not judged", function()
  local obs = { won("2026-11-20", 0.1) }
  for _, stage in ipairs({ "measurement", "scaling" }) do
    t.expect(check(workflow({ stage = stage }), obs), { { subject = "leads" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "retired" }) do
    t.none(check(workflow({ stage = stage }), obs))
  end
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow()
  w.uses = nil
  t.none(check(w, { won("2026-11-20", 0.1) }))
end)

t.case("other subjects' observations do not count", function()
  t.none(check(workflow(), { won("2026-11-20", 0.1, "scorer") }))
end)

t.case("the windows are parameters", function()
  local obs = { won("2026-10-01", 0.1), won("2026-11-20", 0.2) }
  t.none(check(workflow(), obs))
  t.expect(check(workflow(), obs, { params = { window_days = 60 } }),
           { { subject = "leads", message = "over the last 60 days" } })
  t.none(check(workflow(), { won("2026-11-20", 0.1) },
               { params = { deployed_days = 298 } }))
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    better = workflow(), worse = workflow(), young = workflow({
      deployed_at = "2026-10-01" }),
  }), { now = NOW, observations = {
    won("2026-11-20", 0.2, "better"), won("2026-11-20", 0.1, "worse"),
    won("2026-11-20", 0.1, "young"),
  } }), { { subject = "worse" } })
end)
