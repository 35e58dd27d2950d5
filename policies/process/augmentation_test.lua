-- Tests of process.augmentation: a workflow that uses a model, at stage
-- deployment or later, has process.ai_output_required true.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function workflow(process, stage)
  return { stage = stage or "deployment", uses = { "scorer" }, writes = { "crm" },
           process = process }
end

local function check(w)
  return t.check({ systems = { crm = {} }, models = { scorer = { version = "1" } },
                   workflows = { intake = w } }, NOW)
end

t.case("a required AI output passes", function()
  t.none(check(workflow({ ai_output_required = true, delivery = "automated" })))
end)

t.case("ai_output_required false fires", function()
  t.expect(check(workflow({ ai_output_required = false })), { {
    policy = "process.augmentation", subject = "intake", severity = "medium",
    path = "/workflows/intake/process/ai_output_required",
    message = "the AI's output is optional",
  } })
end)

t.case("ai_output_required missing fires", function()
  t.expect(check(workflow({ delivery = "automated" })), { {
    subject = "intake", path = "/workflows/intake/process/ai_output_required",
  } })
end)

t.case("no process section fires at process", function()
  t.expect(check(workflow(nil)), { {
    subject = "intake", path = "/workflows/intake/process",
    message = "no process section",
  } })
end)

-- The registry admits only true or false: "yes" is a load error.
t.case("a non-boolean ai_output_required is a registry error", function()
  t.raises(function() check(workflow({ ai_output_required = "yes" })) end,
           "/workflows/intake/process/ai_output_required")
end)

t.case("deployment, measurement and scaling are judged", function()
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check(workflow({ ai_output_required = false }, stage)),
             { { subject = "intake" } })
  end
end)

t.case("earlier stages, retired, no stage, and no model are skipped", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign", "retired" }) do
    t.none(check(workflow({ ai_output_required = false }, stage)))
  end
  local w = workflow({ ai_output_required = false })
  w.stage = nil
  t.none(check(w))
  w = workflow({ ai_output_required = false })
  w.uses = nil
  t.none(check(w))
end)
