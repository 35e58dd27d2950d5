-- Tests of process.change-management (medium, process layer): a workflow
-- that uses a model, at stage deployment or later, has
-- process.change.validated_with_users true and process.change.lead set;
-- one finding at the first field missing.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function workflow(change, stage)
  return t.healthy_workflow({
    stage = stage or "deployment",
    process = { ai_output_required = true, change = change },
  })
end

local VALIDATED = { validated_with_users = true, lead = "li.wei" }

local function check(w)
  return t.check(t.registry({ intake = w }), NOW)
end

t.case("validated with users and led passes", function()
  t.none(check(workflow(VALIDATED)))
end)

t.case("not validated fires at validated_with_users", function()
  local found = check(workflow({ validated_with_users = false, lead = "li.wei" }))
  t.expect(found, { {
    policy = "process.change-management", subject = "intake",
    severity = "medium", enforcement = "soft-mandatory", layer = "process",
    path = "/workflows/intake/process/change/validated_with_users",
    message = "the redesigned workflow was not validated with the people " ..
              "who do the work (process.change.validated_with_users is not " ..
              "true)",
  } })
  t.eq(found[1].evidence, { faults = { "validated_with_users" } }, "evidence")
end)

t.case("no lead fires at process/change/lead", function()
  t.expect(check(workflow({ validated_with_users = true })), { {
    subject = "intake", path = "/workflows/intake/process/change/lead",
    message = "no change lead (process.change.lead)",
  } })
  t.expect(check(workflow({ validated_with_users = true, lead = "" })), { {
    subject = "intake", path = "/workflows/intake/process/change/lead",
  } })
end)

t.case("neither: one finding naming both", function()
  local found = check(workflow({ planned = true }))
  t.expect(found, { {
    subject = "intake",
    path = "/workflows/intake/process/change/validated_with_users",
    message = "is not true); no change lead",
  } })
  t.eq(found[1].evidence, { faults = { "validated_with_users", "lead" } },
       "evidence")
end)

t.case("no change or no process section fires at the section", function()
  t.expect(check(workflow(nil)), { {
    subject = "intake", path = "/workflows/intake/process/change",
    message = "no change management",
  } })
  local w = workflow(VALIDATED)
  w.process = nil
  t.expect(check(w), { { subject = "intake", path = "/workflows/intake/process" } })
end)

t.case("stage deployment or later; earlier stages are not judged", function()
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check(workflow(nil, stage)), { { subject = "intake" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "retired" }) do
    t.none(check(workflow(nil, stage)))
  end
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow(nil)
  w.uses = nil
  t.none(check(w))
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    validated = workflow(VALIDATED, "scaling"),
    imposed = workflow({ validated_with_users = false, lead = "li.wei" },
                       "measurement"),
    leaderless = workflow({ validated_with_users = true }),
    redesigning = workflow(nil, "redesign"),
  }), NOW), {
    { subject = "imposed",
      path = "/workflows/imposed/process/change/validated_with_users" },
    { subject = "leaderless", path = "/workflows/leaderless/process/change/lead" },
  })
end)
