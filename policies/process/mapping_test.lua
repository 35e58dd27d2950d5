-- Tests of process.mapping (medium, process layer): a workflow that uses a
-- model, at stage redesign or later, has process.mapping.documented true
-- and process.mapping.mapped_at set; one finding at the first field
-- missing.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function workflow(mapping, stage)
  return t.healthy_workflow({
    stage = stage or "redesign",
    process = { ai_output_required = true, mapping = mapping },
  })
end

local MAPPED = { documented = true, mapped_at = "2026-01-10" }

local function check(w)
  return t.check(t.registry({ intake = w }), NOW)
end

t.case("a documented, dated mapping passes", function()
  t.none(check(workflow(MAPPED)))
end)

t.case("not documented fires at process/mapping/documented", function()
  local found = check(workflow({ documented = false, mapped_at = "2026-01-10" }))
  t.expect(found, { {
    policy = "process.mapping", subject = "intake", severity = "medium",
    enforcement = "soft-mandatory", layer = "process",
    path = "/workflows/intake/process/mapping/documented",
    message = "the current workflow is not documented " ..
              "(process.mapping.documented is not true): redesign needs " ..
              "the actual process, not the official one",
  } })
  t.eq(found[1].evidence, { faults = { "documented" } }, "evidence")
end)

t.case("no mapped_at fires at process/mapping/mapped_at", function()
  t.expect(check(workflow({ documented = true })), { {
    subject = "intake", path = "/workflows/intake/process/mapping/mapped_at",
    message = "process.mapping has no mapped_at",
  } })
end)

t.case("neither: one finding naming both, at documented", function()
  local found = check(workflow({ note = "the playbook" }))
  t.expect(found, { {
    subject = "intake", path = "/workflows/intake/process/mapping/documented",
    message = "is not true); process.mapping has no mapped_at",
  } })
  t.eq(found[1].evidence, { faults = { "documented", "mapped_at" } },
       "evidence")
end)

t.case("no mapping or no process section fires at the section", function()
  t.expect(check(workflow(nil)), { {
    subject = "intake", path = "/workflows/intake/process/mapping",
    message = "the current workflow is not mapped (no process.mapping)",
  } })
  local w = workflow(MAPPED)
  w.process = nil
  t.expect(check(w), { { subject = "intake", path = "/workflows/intake/process" } })
end)

-- Only true documents the workflow: a date alone does not (and the loader
-- refuses anything but a boolean there).
t.case("a mapped_at without documented fires", function()
  t.expect(check(t.merge(workflow(MAPPED), {
    process = { mapping = { documented = t.NONE } } })),
    { { path = "/workflows/intake/process/mapping/documented" } })
end)

t.case("stage redesign or later; earlier stages are not judged", function()
  for _, stage in ipairs({ "redesign", "deployment", "measurement", "scaling" }) do
    t.expect(check(workflow(nil, stage)), { { subject = "intake" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "retired" }) do
    t.none(check(workflow(nil, stage)))
  end
  local w = workflow(nil)
  w.stage = nil
  t.none(check(w))
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow(nil)
  w.uses = nil
  t.none(check(w))
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    mapped = workflow(MAPPED, "scaling"),
    official = workflow({ documented = false, mapped_at = "2026-01-10" },
                        "deployment"),
    undated = workflow({ documented = true }, "redesign"),
    early = workflow(nil, "data"),
  }), NOW), {
    { subject = "official", path = "/workflows/official/process/mapping/documented" },
    { subject = "undated", path = "/workflows/undated/process/mapping/mapped_at" },
  })
end)
