-- Tests of governance.irreversible: a workflow that uses a model, at stage
-- data or later, whose decision.reversible is false has an escalation
-- response within 24 hours and a monitoring cadence of 7 days at most.
-- One finding, at the first fault (escalation before monitoring).
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- A healthy workflow making an irreversible decision, answering
-- escalations in `hours` and monitored every `cadence` days (nil: unset).
local function workflow(hours, cadence)
  return t.healthy_workflow({
    decision = { stakes = "high", reversible = false, human_in_loop = true },
    monitoring = { cadence_days = cadence },
    escalation = { response_hours = hours },
  })
end

local function check(w, opts)
  return t.check(t.registry({ intake = w }), opts or NOW)
end

t.case("24 hours and 7 days pass", function()
  t.none(check(workflow(24, 7)))
  t.none(check(workflow(1, 1)))
end)

t.case("a reversible decision, or none stated, is not judged", function()
  local w = workflow(72, 30)
  w.decision.reversible = true
  t.none(check(w))
  w = workflow(72, 30)
  w.decision.reversible = nil
  t.none(check(w))
  w = workflow(72, 30)
  w.decision = nil
  t.none(check(w))
end)

t.case("25 hours fires at escalation/response_hours", function()
  local found = check(workflow(25, 7))
  t.expect(found, { {
    policy = "governance.irreversible", subject = "intake", severity = "high",
    path = "/workflows/intake/escalation/response_hours",
    message = "escalation response in 25 hours (more than 24)",
  } })
  t.eq(found[1].evidence.faults, { "response_hours" }, "faults")
end)

t.case("24.5 hours fires", function()
  t.expect(check(workflow(24.5, 7)),
           { { path = "/workflows/intake/escalation/response_hours" } })
end)

t.case("8 days fires at monitoring/cadence_days", function()
  t.expect(check(workflow(24, 8)), { {
    subject = "intake", path = "/workflows/intake/monitoring/cadence_days",
    message = "monitoring every 8 days (more than 7)",
  } })
end)

t.case("missing response_hours or cadence_days fires", function()
  t.expect(check(workflow(nil, 7)), { {
    path = "/workflows/intake/escalation/response_hours",
    message = "no escalation.response_hours" } })
  t.expect(check(workflow(24, nil)), { {
    path = "/workflows/intake/monitoring/cadence_days",
    message = "no monitoring.cadence_days" } })
end)

t.case("a missing section fires at the section", function()
  local w = workflow(24, 7)
  w.escalation = nil
  t.expect(check(w), { { path = "/workflows/intake/escalation" } })
  w = workflow(24, 7)
  w.monitoring = nil
  t.expect(check(w), { { path = "/workflows/intake/monitoring" } })
end)

t.case("both faults: one finding at escalation, naming both", function()
  local found = check(workflow(48, 30))
  t.expect(found, { {
    path = "/workflows/intake/escalation/response_hours",
    message = "escalation response in 48 hours (more than 24); "
              .. "monitoring every 30 days (more than 7)",
  } })
  t.eq(found[1].evidence.faults, { "response_hours", "cadence_days" }, "faults")
end)

t.case("stages data to scaling are judged; earlier, retired, no model not",
       function()
  for _, stage in ipairs({ "data", "redesign", "deployment", "measurement",
                           "scaling" }) do
    local w = workflow(48, 7)
    w.stage = stage
    t.expect(check(w), { { subject = "intake" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "retired" }) do
    local w = workflow(48, 7)
    w.stage = stage
    t.none(check(w))
  end
  local w = workflow(48, 7)
  w.uses = nil
  t.none(check(w))
end)

t.case("params move both limits", function()
  local opts = { now = "2026-11-26",
                 params = { max_response_hours = 4, max_cadence_days = 1 } }
  t.none(check(workflow(4, 1), opts))
  t.expect(check(workflow(5, 1), opts),
           { { message = "5 hours (more than 4)" } })
  t.expect(check(workflow(4, 2), opts),
           { { message = "every 2 days (more than 1)" } })
end)
