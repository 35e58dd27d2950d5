-- Tests of readiness.task: the task is defined before AI takes it on:
-- `task.inputs` and `task.outputs` are non-empty lists and
-- `task.quality_criteria` is there (an empty string counts as missing). One
-- finding per workflow, at the first missing field (inputs, outputs,
-- quality_criteria), or at `task` when there is no task at all.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- A defined task; changes replace fields, `without` names fields to drop.
local function task(changes, ...)
  local tk = { inputs = { "lead record" },
               outputs = { "qualification score", "routing queue" },
               quality_criteria = "agrees with sales review on 90% of leads" }
  for k, v in pairs(changes or {}) do tk[k] = v end
  for _, k in ipairs({ ... }) do tk[k] = nil end
  return tk
end

-- A registry with the healthy workflow `intake` (stage deployment, uses
-- `scorer`); `tk` is its task (nil: none), `changes` other workflow fields.
local function registry(tk, changes)
  return t.registry({ intake = t.healthy_workflow(t.merge({ task = tk },
                                                          changes)) })
end

local function check(tk, changes)
  return t.check(registry(tk, changes), NOW)
end

-- The same registry as JSON text, so that lists can be empty ([]); a Lua {}
-- would be an object.
local function check_json(task_json)
  return t.check(string.format([[{
    "models": { "scorer": { "version": "1" } },
    "workflows": { "intake": { "stage": "deployment", "uses": ["scorer"],
                               "task": %s } } }]], task_json), NOW)
end

t.case("a defined task passes", function()
  t.none(check(task()))
end)

-- One input and one output are enough: the boundary of "non-empty".
t.case("one input and one output pass", function()
  t.none(check(task({ inputs = { "a" }, outputs = { "b" } })))
end)

t.case("no task at all fires at /workflows/ID/task", function()
  t.expect(check(nil), { {
    policy = "readiness.task", subject = "intake", severity = "medium",
    enforcement = "soft-mandatory", path = "/workflows/intake/task",
    message = "no task (inputs, outputs and quality_criteria)",
  } })
end)

-- Clause: inputs missing or an empty list.
t.case("missing inputs fire at task/inputs", function()
  t.expect(check(task(nil, "inputs")), { {
    subject = "intake", path = "/workflows/intake/task/inputs",
    message = "task has no inputs",
  } })
end)

t.case("an empty inputs list fires", function()
  t.expect(check_json([[{ "inputs": [], "outputs": ["score"],
                          "quality_criteria": "agrees with review" }]]), { {
    subject = "intake", path = "/workflows/intake/task/inputs",
    message = "task has no inputs",
  } })
end)

-- Clause: outputs missing or an empty list.
t.case("missing outputs fire at task/outputs", function()
  t.expect(check(task(nil, "outputs")), { {
    subject = "intake", path = "/workflows/intake/task/outputs",
    message = "task has no outputs",
  } })
end)

t.case("an empty outputs list fires", function()
  t.expect(check_json([[{ "inputs": ["lead"], "outputs": [],
                          "quality_criteria": "agrees with review" }]]), { {
    subject = "intake", path = "/workflows/intake/task/outputs",
    message = "task has no outputs",
  } })
end)

-- Clause: quality_criteria missing or empty.
t.case("missing quality_criteria fire at task/quality_criteria", function()
  t.expect(check(task(nil, "quality_criteria")), { {
    subject = "intake", path = "/workflows/intake/task/quality_criteria",
    message = "task has no quality_criteria",
  } })
  t.expect(check(task({ quality_criteria = "" })), { {
    subject = "intake", path = "/workflows/intake/task/quality_criteria",
  } })
end)

-- A list must be a list: the registry rejects a string before any policy.
t.case("inputs as a string is a registry error", function()
  t.raises(function() check(task({ inputs = "lead record" })) end,
           "/workflows/intake/task/inputs")
end)

-- Every fault at once: one finding at the first, naming all.
t.case("an empty task fires once at inputs, naming all three", function()
  t.expect(check_json([[{ "inputs": [], "outputs": [],
                          "owner_note": "to be written" }]]), { {
    subject = "intake", path = "/workflows/intake/task/inputs",
    message = "task has no inputs and no outputs and no quality_criteria",
  } })
end)

t.case("outputs and quality_criteria missing: path at outputs", function()
  t.expect(check(task(nil, "outputs", "quality_criteria")), { {
    subject = "intake", path = "/workflows/intake/task/outputs",
    message = "task has no outputs and no quality_criteria",
  } })
end)

-- Scope: workflows that use a model or are proposed, not retired.
t.case("judged at every stage but retired", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "scaling" }) do
    t.expect(check(nil, { stage = stage }), { {
      subject = "intake", path = "/workflows/intake/task",
    } })
  end
  t.none(check(nil, { stage = "retired" }))
end)

t.case("without a model: judged only when proposed", function()
  local reg = registry(nil, { stage = "proposed" })
  reg.workflows.intake.uses = nil
  t.expect(t.check(reg, NOW), { { subject = "intake",
                                  path = "/workflows/intake/task" } })
  reg.workflows.intake.stage = "measurement"
  t.none(t.check(reg, NOW))
end)

-- Several workflows: exactly one finding for each faulty judged one.
t.case("several workflows give exactly the expected findings", function()
  local reg = registry(task())
  reg.workflows.no_task = { stage = "data", uses = { "scorer" } }
  reg.workflows.no_output = { stage = "scaling", uses = { "scorer" },
                              task = task(nil, "outputs") }
  reg.workflows.retired = { stage = "retired", uses = { "scorer" } }
  reg.workflows.manual = { stage = "deployment" }
  t.expect(t.check(reg, NOW), {
    { subject = "no_task", path = "/workflows/no_task/task" },
    { subject = "no_output", path = "/workflows/no_output/task/outputs" },
  })
end)
