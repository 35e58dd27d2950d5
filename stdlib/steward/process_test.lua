-- Tests of steward.process: mapping(w) and change(w), each nil when the
-- workflow passes, else a fault { field, message, faults } naming what is
-- missing, at the most specific field that exists. The policies in
-- policies/process test the same functions through the engine.
local t = require "steward.test"
local process = require "steward.process"

local function workflow(p)
  return { process = p }
end

local MAPPED = { documented = true, mapped_at = "2026-01-10" }
local VALIDATED = { validated_with_users = true, lead = "li.wei" }

t.case("mapping: documented and dated passes", function()
  t.eq(process.mapping(workflow({ mapping = MAPPED })), nil, "mapped")
  t.eq(process.mapping(workflow({ mapping = { documented = true,
                                              mapped_at = "2026-01-10",
                                              tool = "bpmn" } })),
       nil, "extra fields are fine")
end)

t.case("mapping: each missing piece, at its field", function()
  t.eq(process.mapping({}), {
    field = "process", faults = { "documented", "mapped_at" },
    message = "the current workflow is not mapped (no process.mapping)",
  }, "no process section")
  t.eq(process.mapping(workflow({ delivery = "automated" })), {
    field = "process/mapping", faults = { "documented", "mapped_at" },
    message = "the current workflow is not mapped (no process.mapping)",
  }, "no mapping")
  t.eq(process.mapping(workflow({ mapping = { mapped_at = "2026-01-10" } })), {
    field = "process/mapping/documented", faults = { "documented" },
    message = "the current workflow is not documented " ..
              "(process.mapping.documented is not true)",
  }, "not documented")
  t.eq(process.mapping(workflow({ mapping = { documented = true } })), {
    field = "process/mapping/mapped_at", faults = { "mapped_at" },
    message = "process.mapping has no mapped_at: when was the actual " ..
              "workflow mapped?",
  }, "no date")
  t.eq(process.mapping(workflow({ mapping = { documented = false } })), {
    field = "process/mapping/documented",
    faults = { "documented", "mapped_at" },
    message = "the current workflow is not documented " ..
              "(process.mapping.documented is not true); process.mapping " ..
              "has no mapped_at: when was the actual workflow mapped?",
  }, "neither")
end)

-- Only true is documented: "yes", 1 and an empty date are not.
t.case("mapping: only true counts, an empty date is missing", function()
  for _, v in ipairs({ false, "yes", 1 }) do
    local f = process.mapping(workflow({ mapping = { documented = v,
                                                     mapped_at = "2026-01-10" } }))
    t.eq(f and f.field, "process/mapping/documented", tostring(v))
  end
  local f = process.mapping(workflow({ mapping = { documented = true,
                                                   mapped_at = "" } }))
  t.eq(f and f.field, "process/mapping/mapped_at", "empty date")
end)

t.case("change: validated with users and led passes", function()
  t.eq(process.change(workflow({ change = VALIDATED })), nil, "validated")
end)

t.case("change: each missing piece, at its field", function()
  local none = "no change management: the redesign was not validated " ..
               "with the people who do the work and has no lead " ..
               "(no process.change)"
  t.eq(process.change({}), {
    field = "process", faults = { "validated_with_users", "lead" },
    message = none }, "no process section")
  t.eq(process.change(workflow({ mapping = MAPPED })), {
    field = "process/change", faults = { "validated_with_users", "lead" },
    message = none }, "no change")
  t.eq(process.change(workflow({ change = { validated_with_users = false,
                                            lead = "li.wei" } })), {
    field = "process/change/validated_with_users",
    faults = { "validated_with_users" },
    message = "the redesigned workflow was not validated with the people " ..
              "who do the work (process.change.validated_with_users is " ..
              "not true)" }, "not validated")
  t.eq(process.change(workflow({ change = { validated_with_users = true,
                                            lead = "" } })), {
    field = "process/change/lead", faults = { "lead" },
    message = "no change lead (process.change.lead)" }, "no lead")
  t.eq(process.change(workflow({ change = { lead = "li.wei",
                                            validated_with_users = "yes" } }))
         .field, "process/change/validated_with_users", "only true counts")
  t.eq(process.change(workflow({ change = {} })).faults,
       { "validated_with_users", "lead" }, "empty section: both")
end)

-- The two are independent: one section passing says nothing of the other.
t.case("mapping and change are judged apart", function()
  local p = workflow({ mapping = MAPPED })
  t.eq(process.mapping(p), nil, "mapping passes")
  t.truthy(process.change(p), "change fails")
  p = workflow({ change = VALIDATED })
  t.truthy(process.mapping(p), "mapping fails")
  t.eq(process.change(p), nil, "change passes")
end)
