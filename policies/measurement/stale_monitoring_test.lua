-- Tests of measurement.stale-monitoring (high): stage deployment or later
-- and no observation of monitoring.metric in the last 2 x cadence_days days
-- (cadence 30 when not given). No metric: left to governance.monitoring.
-- Deployed fewer than 2 x cadence days ago: not yet due.
local t = require "steward.test"

local NOW = "2026-11-26"
-- Before NOW: 14 days = 2026-11-12, 15 = 2026-11-11, 60 = 2026-09-27,
-- 61 = 2026-09-26.

-- A workflow in measurement watching qualified_to_won every 7 days;
-- `monitoring_changes` merge into its monitoring, `changes` into it.
local function workflow(monitoring_changes, changes)
  return t.measured_workflow(t.merge({ monitoring = monitoring_changes },
                                     changes))
end

local function obs(at, metric, subject)
  return { at = at, subject = subject or "intake",
           metric = metric or "qualified_to_won", value = 0.18 }
end

local function check_one(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ intake = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("a recent observation passes", function()
  t.none(check_one(workflow(), { obs("2026-11-23") }))
end)

-- Cadence 7: an observation exactly 14 days ago is in time, 15 is not.
t.case("cadence 7: 14 days ago passes, 15 fires", function()
  t.none(check_one(workflow(), { obs("2026-11-12") }))
  local found = check_one(workflow(), { obs("2026-10-01"), obs("2026-11-11") })
  t.expect(found, { {
    policy = "measurement.stale-monitoring", subject = "intake",
    severity = "high", enforcement = "soft-mandatory",
    path = "/workflows/intake/monitoring/metric",
    message = "qualified_to_won was last observed on 2026-11-11, 15 days "
      .. "ago (cadence 7 days, so at most 14)",
  } })
  local e = found[1].evidence
  t.eq(e.last_at, "2026-11-11", "evidence.last_at")
  t.eq(e.days_ago, 15, "evidence.days_ago")
  t.eq(e.cadence_days, 7, "evidence.cadence_days")
  t.eq(e.cadence_declared, true, "evidence.cadence_declared")
  t.eq(e.window_days, 14, "evidence.window_days")
  t.eq(e.since, "2026-11-12", "evidence.since")
end)

t.case("one second before the window fires", function()
  t.expect(check_one(workflow(), { obs("2026-11-11T23:59:59Z") }),
           { { subject = "intake", message = "on 2026-11-11T23:59:59Z" } })
end)

-- The window is in calendar days: the hour of now does not move it.
t.case("14 days ago passes at any hour of now", function()
  for _, now in ipairs({ "2026-11-26T00:00:00Z", "2026-11-26T23:59:59Z" }) do
    t.none(check_one(workflow(), { obs("2026-11-12") }, { now = now }))
  end
end)

t.case("without cadence_days the cadence is 30: 60 days passes, 61 fires",
       function()
  local w = workflow()
  w.monitoring.cadence_days = nil
  t.none(check_one(w, { obs("2026-09-27") }))
  local found = check_one(w, { obs("2026-09-26") })
  t.expect(found, { { subject = "intake",
                      message = "61 days ago (cadence 30 days, so at most 60)" } })
  t.eq(found[1].evidence.cadence_declared, false, "evidence.cadence_declared")
end)

t.case("never observed fires", function()
  t.expect(check_one(workflow(), {}), { {
    subject = "intake", path = "/workflows/intake/monitoring/metric",
    message = "qualified_to_won has never been observed (cadence 7 days)",
  } })
end)

t.case("other metrics and subjects do not count", function()
  t.expect(check_one(workflow(), { obs("2026-11-25", "adherence"),
                                   obs("2026-11-25", nil, "other"),
                                   { at = "2026-11-25", kind = "override",
                                     subject = "intake", count = 1, of = 10 } }),
           { { subject = "intake", message = "never been observed" } })
end)

t.case("observations after now do not count", function()
  t.expect(check_one(workflow(), { obs("2026-11-01"), obs("2026-11-27") }),
           { { subject = "intake", message = "last observed on 2026-11-01" } })
end)

-- A workflow deployed fewer than 2 x cadence days ago is not due yet.
t.case("deployed 13 days ago is not due, 14 days ago is", function()
  t.none(check_one(workflow(nil, { deployed_at = "2026-11-13" }), {}))
  t.expect(check_one(workflow(nil, { deployed_at = "2026-11-12" }), {}),
           { { subject = "intake" } })
end)

t.case("stage deployment or later", function()
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check_one(workflow(nil, { stage = stage }), {}),
             { { subject = "intake" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "retired" }) do
    t.none(check_one(workflow(nil, { stage = stage }), {}))
  end
end)

t.case("no metric or no monitoring: left to governance.monitoring", function()
  local w = workflow()
  w.monitoring.metric = nil
  t.none(check_one(w, {}))
  t.none(check_one(workflow({ metric = "" }), {}))
  w = workflow()
  w.monitoring = nil
  t.none(check_one(w, {}))
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow()
  w.uses = nil
  t.none(check_one(w, {}))
end)

t.case("cadence_factor and default_cadence_days are parameters", function()
  t.none(check_one(workflow(), { obs("2026-11-05") },
                   { params = { cadence_factor = 3 } }))        -- 21 days
  t.expect(check_one(workflow(), { obs("2026-11-04") },
                     { params = { cadence_factor = 3 } }),      -- 22 days
           { { subject = "intake", message = "so at most 21" } })
  local w = workflow()
  w.monitoring.cadence_days = nil
  t.expect(check_one(w, { obs("2026-11-01") },
                     { params = { default_cadence_days = 10 } }),
           { { subject = "intake", message = "(cadence 10 days, so at most 20)" } })
end)

t.case("several workflows give exactly the expected findings", function()
  local monthly = workflow()
  monthly.monitoring.cadence_days = 30
  t.expect(t.check(t.registry({
    fresh = workflow(), stale = workflow(), never = workflow(),
    monthly = monthly, early = workflow(nil, { stage = "redesign" }),
  }), { now = NOW, observations = {
    obs("2026-11-20", nil, "fresh"),
    obs("2026-11-01", nil, "stale"),
    obs("2026-10-01", nil, "monthly"),
  } }), {
    { subject = "stale", path = "/workflows/stale/monitoring/metric" },
    { subject = "never", path = "/workflows/never/monitoring/metric" },
  })
end)
