-- Tests of readiness.baseline: `baseline.metric`, `.value` and
-- `.measured_at` are there, and `measured_at` is not later than
-- `deployed_at` (compared as calendar dates, so the day of deployment is in
-- time). One finding, at the first missing field, at `baseline` when there
-- is none, or at baseline/measured_at when it is too late.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function baseline(changes, ...)
  local b = { metric = "qualified_to_won", value = 0.18,
              measured_at = "2026-01-15" }
  for k, v in pairs(changes or {}) do b[k] = v end
  for _, k in ipairs({ ... }) do b[k] = nil end
  return b
end

-- A registry with the healthy workflow `intake` (stage measurement,
-- deployed 2026-02-01, uses `scorer`) whose baseline is `b` (nil: none).
local function registry(b, changes)
  return t.registry({ intake = t.healthy_workflow(t.merge({
    stage = "measurement", deployed_at = "2026-02-01", baseline = b,
  }, changes)) })
end

local function check(b, changes)
  return t.check(registry(b, changes), NOW)
end

-- A workflow without deployed_at (the registry needs a real value to drop).
local function undeployed(b)
  local reg = registry(b)
  reg.workflows.intake.deployed_at = nil
  reg.workflows.intake.stage = "redesign"
  return t.check(reg, NOW)
end

t.case("a baseline measured before deployment passes", function()
  t.none(check(baseline()))
end)

-- Clause 2 and its boundary: the same day passes, a day later fires.
t.case("measured on the day of deployment passes", function()
  t.none(check(baseline({ measured_at = "2026-02-01" })))
end)

t.case("measured a day after deployment fires at baseline/measured_at",
       function()
  local found = check(baseline({ measured_at = "2026-02-02" }))
  t.expect(found, { {
    policy = "readiness.baseline", subject = "intake", severity = "medium",
    enforcement = "soft-mandatory",
    path = "/workflows/intake/baseline/measured_at",
    message = "baseline measured 2026-02-02, after deployment on 2026-02-01",
  } })
  t.eq(found[1].evidence, { measured_at = "2026-02-02",
                            deployed_at = "2026-02-01" }, "evidence")
end)

-- Calendar dates: a time later on the day of deployment is still that day.
t.case("times on the day of deployment pass, the next day fires", function()
  t.none(check(baseline({ measured_at = "2026-02-01T23:59:59Z" })))
  t.none(check(baseline({ measured_at = "2026-02-01T18:00:00Z" }),
               { deployed_at = "2026-02-01T09:00:00Z" }))
  t.expect(check(baseline({ measured_at = "2026-02-02T00:00:00Z" })), { {
    subject = "intake", path = "/workflows/intake/baseline/measured_at",
  } })
end)

-- Without deployed_at there is nothing to be later than.
t.case("a workflow not yet deployed needs only the three fields", function()
  t.none(undeployed(baseline({ measured_at = "2026-11-20" })))
  t.expect(undeployed(nil), { { subject = "intake",
                                path = "/workflows/intake/baseline" } })
end)

-- Clause 1: the fields.
t.case("no baseline fires at /workflows/ID/baseline", function()
  t.expect(check(nil), { {
    subject = "intake", severity = "medium",
    path = "/workflows/intake/baseline",
    message = "no baseline (metric, value and measured_at)",
  } })
end)

t.case("each missing field fires at that field", function()
  for _, field in ipairs({ "metric", "value", "measured_at" }) do
    t.expect(check(baseline(nil, field)), { {
      subject = "intake", path = "/workflows/intake/baseline/" .. field,
      message = "baseline has no " .. field,
    } })
  end
end)

t.case("several missing fields: one finding at the first", function()
  t.expect(check(baseline(nil, "value", "measured_at")), { {
    subject = "intake", path = "/workflows/intake/baseline/value",
    message = "baseline has no value and no measured_at",
  } })
  t.expect(check({ note = "tbd" }), { {
    subject = "intake", path = "/workflows/intake/baseline/metric",
    message = "baseline has no metric and no value and no measured_at",
  } })
end)

-- Zero is a value; an empty metric is not.
t.case("a value of 0 passes, an empty metric fires", function()
  t.none(check(baseline({ value = 0 })))
  t.expect(check(baseline({ metric = "" })), { {
    subject = "intake", path = "/workflows/intake/baseline/metric",
  } })
end)

t.case("a measured_at that is not a date is a registry error", function()
  t.raises(function() check(baseline({ measured_at = "last spring" })) end,
           "/workflows/intake/baseline/measured_at")
end)

-- Scope: workflows that use a model or are proposed, not retired.
t.case("judged at every stage but retired", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "scaling" }) do
    t.expect(check(nil, { stage = stage }), { { subject = "intake" } })
  end
  t.none(check(nil, { stage = "retired" }))
end)

t.case("without a model: judged only when proposed", function()
  local reg = registry(nil, { stage = "proposed" })
  reg.workflows.intake.uses = nil
  t.expect(t.check(reg, NOW), { { subject = "intake" } })
  reg.workflows.intake.stage = "deployment"
  t.none(t.check(reg, NOW))
end)

t.case("several workflows give exactly the expected findings", function()
  local reg = registry(baseline())
  local function wf(b, deployed)
    return { stage = "scaling", uses = { "scorer" }, baseline = b,
             deployed_at = deployed }
  end
  reg.workflows.same_day = wf(baseline({ measured_at = "2026-03-01" }),
                              "2026-03-01")
  reg.workflows.late = wf(baseline({ measured_at = "2026-03-02" }),
                          "2026-03-01")
  reg.workflows.none = wf(nil, "2026-03-01")
  t.expect(t.check(reg, NOW), {
    { subject = "late", path = "/workflows/late/baseline/measured_at" },
    { subject = "none", path = "/workflows/none/baseline" },
  })
end)
