-- Tests of drift.threshold: the latest observation (up to now) of a
-- workflow's monitoring.metric is strictly past monitoring.alert_threshold
-- in monitoring.direction. Judged: workflows that use a model and are not
-- retired, whatever their stage.
local t = require "steward.test"

local NOW = "2026-11-26"

-- A monitored workflow: qualified_to_won must stay at or above 0.15.
local function workflow(monitoring_changes)
  return t.measured_workflow({ monitoring = monitoring_changes })
end

-- w with the named monitoring fields removed.
local function without(w, ...)
  for _, k in ipairs({ ... }) do w.monitoring[k] = nil end
  return w
end

-- An observation of `metric` (default qualified_to_won) for `subject`
-- (default intake).
local function obs(at, value, metric, subject)
  return { at = at, subject = subject or "intake",
           metric = metric or "qualified_to_won", value = value }
end

-- One workflow `intake` checked against the observations.
local function check_one(w, observations, now)
  return t.check(t.registry({ intake = w }),
                 { now = now or NOW, observations = observations })
end

t.case("latest value on the right side passes", function()
  t.none(check_one(workflow(), { obs("2026-11-01", 0.17),
                                 obs("2026-11-20", 0.16) }))
end)

t.case("fires when the latest value is below the threshold", function()
  local found = check_one(workflow(), { obs("2026-11-01", 0.17),
                                        obs("2026-11-20", 0.14) })
  t.expect(found, { {
    policy = "drift.threshold", subject = "intake", severity = "high",
    enforcement = "soft-mandatory",
    path = "/workflows/intake/monitoring/alert_threshold",
    message = "qualified_to_won is 0.14 on 2026-11-20, below the alert threshold 0.15",
  } })
  local e = found[1].evidence
  t.eq(e.value, 0.14, "evidence.value")
  t.eq(e.at, "2026-11-20", "evidence.at")
  t.eq(e.alert_threshold, 0.15, "evidence.alert_threshold")
  t.eq(e.direction, "below", "evidence.direction")
  t.eq(e.metric, "qualified_to_won", "evidence.metric")
  t.eq(e.baseline, 0.18, "evidence.baseline")
end)

-- Equal to the threshold has not crossed it.
t.case("a value exactly at the threshold passes (below)", function()
  t.none(check_one(workflow(), { obs("2026-11-20", 0.15) }))
  t.expect(check_one(workflow(), { obs("2026-11-20", 0.1499) }),
           { { subject = "intake", message = "is 0.1499" } })
end)

t.case("direction above: past is greater, equal passes", function()
  local above = workflow({ metric = "error_rate", baseline = 0.02,
                           alert_threshold = 0.05, direction = "above" })
  t.expect(check_one(above, { obs("2026-11-20", 0.0501, "error_rate") }), { {
    subject = "intake", path = "/workflows/intake/monitoring/alert_threshold",
    message = "error_rate is 0.0501 on 2026-11-20, above the alert threshold 0.05",
  } })
  t.none(check_one(above, { obs("2026-11-20", 0.05, "error_rate") }))
  t.none(check_one(above, { obs("2026-11-20", 0.01, "error_rate") }))
end)

-- The same low value fires for `below` and not for `above`.
t.case("direction decides: below fires, above does not", function()
  local o = { obs("2026-11-20", 0.10) }
  t.expect(check_one(workflow({ direction = "below" }), o),
           { { subject = "intake" } })
  t.none(check_one(workflow({ direction = "above" }), o))
end)

t.case("only the latest value counts", function()
  -- Past before, recovered since.
  t.none(check_one(workflow(), { obs("2026-10-01", 0.10),
                                 obs("2026-11-20", 0.16) }))
  -- Fine before, past now.
  t.expect(check_one(workflow(), { obs("2026-10-01", 0.20),
                                   obs("2026-11-20", 0.12) }),
           { { subject = "intake", message = "0.12 on 2026-11-20" } })
end)

-- Observations after now were not known at now; one at now was.
t.case("observations after now are ignored, one at now counts", function()
  t.none(check_one(workflow(), { obs("2026-11-20", 0.16),
                                 obs("2026-11-26T00:00:01Z", 0.10) }))
  t.expect(check_one(workflow(), { obs("2026-11-20", 0.16),
                                   obs("2026-11-26", 0.10) }),
           { { subject = "intake", message = "0.1 on 2026-11-26" } })
end)

t.case("timestamps appear in full in the message", function()
  t.expect(check_one(workflow(), { obs("2026-11-20T13:45:00Z", 0.12) }),
           { { subject = "intake", message = "on 2026-11-20T13:45:00Z" } })
end)

-- Without a direction, the baseline says which side alerts.
t.case("a missing direction is read from the baseline", function()
  t.expect(check_one(without(workflow(), "direction"),
                     { obs("2026-11-20", 0.14) }),
           { { subject = "intake", message = "below the alert threshold" } })
  local rising = without(workflow({ baseline = 0.02,
                                    alert_threshold = 0.05 }), "direction")
  t.expect(check_one(rising, { obs("2026-11-20", 0.06) }),
           { { subject = "intake", message = "above the alert threshold" } })
  t.none(check_one(rising, { obs("2026-11-20", 0.01) }))
end)

t.case("no direction and no baseline: not judged", function()
  t.none(check_one(without(workflow(), "direction", "baseline"),
                   { obs("2026-11-20", 0.01) }))
end)

-- Missing monitoring is governance.monitoring's finding, not this one's.
t.case("no metric, threshold or monitoring: not judged", function()
  local o = { obs("2026-11-20", 0.01) }
  t.none(check_one(without(workflow(), "metric"), o))
  t.none(check_one(without(workflow(), "alert_threshold"), o))
  t.none(check_one(workflow({ metric = "" }), o))
  local w = workflow()
  w.monitoring = nil
  t.none(check_one(w, o))
end)

-- No observations is measurement.stale-monitoring's finding.
t.case("no observation of the metric: no finding", function()
  t.none(check_one(workflow(), {}))
  t.none(check_one(workflow(), nil))
end)

t.case("other metrics and other subjects are ignored", function()
  t.none(check_one(workflow(), {
    obs("2026-11-20", 0.16),
    obs("2026-11-21", 0.01, "adherence"),
    obs("2026-11-21", 0.01, "qualified_to_won", "other"),
    { at = "2026-11-22", kind = "incident", subject = "intake",
      severity = "high" },
  }))
end)

t.case("retired and model-free workflows are not judged", function()
  local retired = workflow()
  retired.stage = "retired"
  local manual = workflow()
  manual.uses = nil
  local o = { obs("2026-11-20", 0.01) }
  t.none(check_one(retired, o))
  t.none(check_one(manual, o))
end)

-- Every stage that is not retired is judged, including proposed.
t.case("fires at every stage from proposed to scaling", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "scaling" }) do
    local w = workflow()
    w.stage = stage
    t.expect(check_one(w, { obs("2026-11-20", 0.01) }),
             { { subject = "intake" } })
  end
end)

t.case("a threshold of 0 works", function()
  local w = workflow({ metric = "margin", baseline = 0.1, alert_threshold = 0,
                       direction = "below" })
  t.none(check_one(w, { obs("2026-11-20", 0, "margin") }))
  t.expect(check_one(w, { obs("2026-11-20", -0.01, "margin") }),
           { { subject = "intake", message = "is -0.01" } })
end)

t.case("several workflows give exactly the expected findings", function()
  local above = workflow({ metric = "error_rate", baseline = 0.02,
                           alert_threshold = 0.05, direction = "above" })
  local retired = workflow()
  retired.stage = "retired"
  t.expect(t.check(t.registry({
    healthy = workflow(), low = workflow(), high = above,
    at_bound = workflow(), retired = retired, silent = workflow(),
  }), { now = NOW, observations = {
    obs("2026-11-20", 0.17, nil, "healthy"),
    obs("2026-11-20", 0.11, nil, "low"),
    obs("2026-11-20", 0.09, "error_rate", "high"),
    obs("2026-11-20", 0.15, nil, "at_bound"),
    obs("2026-11-20", 0.01, nil, "retired"),
  } }), {
    { subject = "low", path = "/workflows/low/monitoring/alert_threshold" },
    { subject = "high", path = "/workflows/high/monitoring/alert_threshold" },
  })
end)
