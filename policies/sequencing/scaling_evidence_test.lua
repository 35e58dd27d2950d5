-- Tests of sequencing.scaling-evidence: a workflow at stage `scaling` has
-- completed step 5: at least 3 (params.min_observations) observations of
-- its `monitoring.metric` on or after `deployed_at` and not after now, the
-- latest on the right side of `monitoring.alert_threshold`. With
-- `direction: below` (the default) a value under the threshold alerts; with
-- `above`, a value over it; the threshold itself is fine either way.
local t = require "steward.test"

-- A registry with workflow `intake` at stage scaling, deployed 2026-02-01,
-- monitoring qualified_to_won against 0.15; `monitoring` changes fields.
local function registry(monitoring, changes)
  return t.registry({ intake = t.healthy_workflow(t.merge({
    stage = "scaling", deployed_at = "2026-02-01", monitoring = monitoring,
  }, changes)) })
end

-- Observations of `metric` (default qualified_to_won) for intake: one per
-- value, on the dates given, or monthly from 2026-03-01.
local function series(values, dates, metric, subject)
  local out = {}
  for i, v in ipairs(values) do
    out[i] = { at = dates and dates[i] or string.format("2026-%02d-01", i + 2),
               subject = subject or "intake",
               metric = metric or "qualified_to_won", value = v }
  end
  return out
end

local function check(reg, observations, params, now)
  return t.check(reg, { now = now or "2026-11-26", observations = observations,
                        params = params })
end

t.case("three observations, the latest above the threshold, pass", function()
  t.none(check(registry(), series({ 0.17, 0.18, 0.16 })))
end)

-- The count: 3 passes, 2 fires.
t.case("two observations fire", function()
  local found = check(registry(), series({ 0.17, 0.18 }))
  t.expect(found, { {
    policy = "sequencing.scaling-evidence", subject = "intake",
    severity = "high", enforcement = "soft-mandatory",
    message = "scaling without measured results: 2 observations of " ..
              "qualified_to_won since deployment on 2026-02-01 (needs at " ..
              "least 3)",
  } })
  t.eq(found[1].path, nil, "no field is at fault")
  t.eq(found[1].evidence, { metric = "qualified_to_won", observations = 2,
                            needed = 3 }, "evidence")
end)

t.case("no observations fire", function()
  t.expect(check(registry(), nil), { {
    subject = "intake", message = "0 observations of qualified_to_won",
  } })
end)

-- Direction below (the default): under the threshold alerts.
t.case("below: the latest at the threshold passes, under it fires", function()
  t.none(check(registry(), series({ 0.17, 0.16, 0.15 })))
  local found = check(registry(), series({ 0.17, 0.16, 0.149 }))
  t.expect(found, { {
    subject = "intake",
    message = "latest qualified_to_won 0.149 on 2026-05-01 is below the " ..
              "alert threshold 0.15",
  } })
  t.eq(found[1].evidence, { metric = "qualified_to_won", observations = 3,
                            latest = 0.149, latest_at = "2026-05-01",
                            alert_threshold = 0.15, direction = "below" },
       "evidence")
end)

t.case("direction below written out behaves as the default", function()
  local reg = registry({ direction = "below" })
  t.none(check(reg, series({ 0.1, 0.1, 0.15 })))
  t.expect(check(reg, series({ 0.2, 0.2, 0.14 })), { {
    subject = "intake", message = "is below the alert threshold",
  } })
end)

-- Direction above: over the threshold alerts.
t.case("above: the latest at the threshold passes, over it fires", function()
  local reg = registry({ metric = "error_rate", alert_threshold = 0.05,
                         direction = "above" })
  t.none(check(reg, series({ 0.01, 0.02, 0.05 }, nil, "error_rate")))
  t.none(check(reg, series({ 0.09, 0.09, 0.01 }, nil, "error_rate")))
  t.expect(check(reg, series({ 0.01, 0.02, 0.051 }, nil, "error_rate")), { {
    subject = "intake",
    message = "latest error_rate 0.051 on 2026-05-01 is above the alert " ..
              "threshold 0.05",
  } })
end)

-- Only the latest decides.
t.case("earlier values on the wrong side do not matter", function()
  t.none(check(registry(), series({ 0.01, 0.02, 0.16 })))
  t.expect(check(registry(), series({ 0.3, 0.3, 0.3, 0.1 })), { {
    subject = "intake", message = "latest qualified_to_won 0.1",
  } })
end)

-- Observations count from deployed_at on: the day itself counts.
t.case("an observation at deployed_at counts, one just before does not",
       function()
  t.none(check(registry(), series({ 0.2, 0.2, 0.2 },
    { "2026-02-01", "2026-03-01", "2026-04-01" })))
  t.expect(check(registry(), series({ 0.2, 0.2, 0.2 },
    { "2026-01-31T23:59:59Z", "2026-03-01", "2026-04-01" })), { {
    subject = "intake", message = "2 observations",
  } })
end)

-- Observations after now have not happened yet.
t.case("observations after now do not count", function()
  t.expect(check(registry(), series({ 0.2, 0.2, 0.2 },
    { "2026-10-01", "2026-11-01", "2026-12-01" })), { {
    subject = "intake", message = "2 observations",
  } })
  t.none(check(registry(), series({ 0.2, 0.2, 0.2, 0.01 },
    { "2026-10-01", "2026-11-01", "2026-11-26", "2026-12-01" })))
end)

t.case("an observation at now counts, a second later does not", function()
  local now = "2026-11-26T12:00:00Z"
  t.none(check(registry(), series({ 0.2, 0.2, 0.2 },
    { "2026-10-01", "2026-11-01", "2026-11-26T12:00:00Z" }), nil, now))
  t.expect(check(registry(), series({ 0.2, 0.2, 0.2 },
    { "2026-10-01", "2026-11-01", "2026-11-26T12:00:01Z" }), nil, now), { {
    subject = "intake", message = "2 observations",
  } })
end)

-- Other metrics and other subjects are not evidence.
t.case("other metrics and subjects do not count", function()
  local obs = series({ 0.2, 0.2 })
  for _, o in ipairs(series({ 0.2 }, { "2026-06-01" }, "adherence")) do
    obs[#obs + 1] = o
  end
  for _, o in ipairs(series({ 0.2 }, { "2026-06-01" }, nil, "scorer")) do
    obs[#obs + 1] = o
  end
  t.expect(check(registry(), obs), { {
    subject = "intake", message = "2 observations",
  } })
end)

-- What step 5 needs from the registry.
t.case("no monitoring, metric, threshold or deployed_at fire at the field",
       function()
  local obs = series({ 0.2, 0.2, 0.2 })
  local none = registry()
  none.workflows.intake.monitoring = nil
  t.expect(check(none, obs), { {
    subject = "intake", path = "/workflows/intake/monitoring",
    message = "no monitoring.metric",
  } })
  local no_metric = registry()
  no_metric.workflows.intake.monitoring.metric = nil
  t.expect(check(no_metric, obs), { {
    subject = "intake", path = "/workflows/intake/monitoring/metric",
  } })
  local no_threshold = registry()
  no_threshold.workflows.intake.monitoring.alert_threshold = nil
  t.expect(check(no_threshold, obs), { {
    subject = "intake", path = "/workflows/intake/monitoring/alert_threshold",
    message = "no monitoring.alert_threshold",
  } })
  local undeployed = registry()
  undeployed.workflows.intake.deployed_at = nil
  t.expect(check(undeployed, obs), { {
    subject = "intake", path = "/workflows/intake/deployed_at",
    message = "not deployed",
  } })
end)

-- A threshold of 0 is a threshold.
t.case("an alert_threshold of 0 is measured against", function()
  t.none(check(registry({ alert_threshold = 0 }), series({ 0, 0, 0 })))
  t.expect(check(registry({ alert_threshold = 0 }), series({ 1, 1, -0.5 })),
           { { subject = "intake", message = "is below the alert threshold 0" } })
end)

-- params.min_observations moves the count.
t.case("min_observations = 5: 5 pass, 4 fire", function()
  local p = { min_observations = 5 }
  t.none(check(registry(), series({ 0.2, 0.2, 0.2, 0.2, 0.2 }), p))
  t.expect(check(registry(), series({ 0.2, 0.2, 0.2, 0.2 }), p), { {
    subject = "intake", message = "4 observations of qualified_to_won " ..
                                  "since deployment on 2026-02-01 (needs at least 5)",
  } })
end)

t.case("min_observations = 0 still needs a latest value", function()
  local p = { min_observations = 0 }
  t.expect(check(registry(), nil, p), { {
    subject = "intake", message = "0 observations",
  } })
  t.none(check(registry(), series({ 0.2 }), p))
end)

-- Only stage scaling; only AI workflows.
t.case("stages other than scaling are not judged", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "retired" }) do
    t.none(check(registry(nil, { stage = stage }), nil))
  end
end)

t.case("a scaling workflow without a model is not judged", function()
  local reg = registry()
  reg.workflows.intake.uses = nil
  t.none(check(reg, nil))
end)

t.case("several workflows give exactly the expected findings", function()
  local reg = registry()
  local function wf(changes)
    return registry(nil, changes).workflows.intake
  end
  reg.workflows.thin = wf()
  reg.workflows.alerting = wf()
  reg.workflows.measuring = wf({ stage = "measurement" })
  local obs = series({ 0.2, 0.2, 0.2 })
  for _, s in ipairs({ "thin", "alerting" }) do
    for _, o in ipairs(series(s == "thin" and { 0.2, 0.2 } or { 0.2, 0.2, 0.1 },
                              nil, nil, s)) do
      obs[#obs + 1] = o
    end
  end
  t.expect(check(reg, obs), {
    { subject = "thin", message = "2 observations" },
    { subject = "alerting", message = "is below the alert threshold" },
  })
end)
