-- Tests of process.delivery: a workflow that uses a model, at stage
-- deployment or later, delivers its outputs into a system automatically:
-- its process.delivery is not `manual` and it writes something.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function workflow(changes)
  local w = { stage = "deployment", uses = { "scorer" }, writes = { "crm" },
              process = { delivery = "automated", ai_output_required = true } }
  for k, v in pairs(changes or {}) do w[k] = v end
  return w
end

local function check(w)
  return t.check({ systems = { crm = {} }, datasets = { scores = {} },
                   models = { scorer = { version = "1" } },
                   workflows = { intake = w } }, NOW)
end

t.case("automated delivery into a system passes", function()
  t.none(check(workflow()))
end)

t.case("writing to a dataset counts as delivery", function()
  t.none(check(workflow({ writes = { "scores" } })))
end)

t.case("no process section is fine when it writes", function()
  local w = workflow()
  w.process = nil
  t.none(check(w))
end)

t.case("manual delivery fires at process/delivery", function()
  t.expect(check(workflow({ process = { delivery = "manual" } })), { {
    policy = "process.delivery", subject = "intake", severity = "medium",
    path = "/workflows/intake/process/delivery",
    message = "outputs do not reach a system automatically: its delivery is manual",
  } })
end)

t.case("writing nothing fires at writes", function()
  local w = workflow()
  w.writes = nil
  t.expect(check(w), { { subject = "intake", path = "/workflows/intake/writes",
                         message = "it writes to no system or dataset" } })
end)

t.case("an empty writes list is writing nothing", function()
  t.expect(t.check([[{
    "models": { "scorer": { "version": "1" } },
    "workflows": { "intake": { "stage": "scaling", "uses": ["scorer"], "writes": [] } }
  }]], NOW), { { path = "/workflows/intake/writes" } })
end)

t.case("both: one finding at process/delivery naming both", function()
  local w = workflow({ process = { delivery = "manual" } })
  w.writes = nil
  t.expect(check(w), { { path = "/workflows/intake/process/delivery",
    message = "its delivery is manual and it writes to no system or dataset" } })
end)

t.case("deployment, measurement and scaling are judged", function()
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check(workflow({ stage = stage, process = { delivery = "manual" } })),
             { { path = "/workflows/intake/process/delivery" } })
  end
end)

t.case("earlier stages, retired, no stage, and no model are skipped", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign", "retired" }) do
    t.none(check(workflow({ stage = stage, process = { delivery = "manual" } })))
  end
  local w = workflow({ process = { delivery = "manual" } })
  w.stage = nil
  t.none(check(w))
  w = workflow({ process = { delivery = "manual" } })
  w.uses = nil
  t.none(check(w))
end)
