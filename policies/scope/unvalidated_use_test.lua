-- Tests of scope.unvalidated-use: a workflow that uses a model (any stage
-- but retired) must be listed in that model's validated_for. One finding
-- per model it uses without being listed, at its uses entry.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function registry(workflows, models)
  return {
    models = models or {
      scorer = { version = "1", validated_for = { "intake" } },
      drafter = { version = "2", validated_for = { "replies" } },
    },
    workflows = workflows,
  }
end

t.case("a workflow its model is validated for passes", function()
  t.none(t.check(registry({ intake = { stage = "deployment",
                                      uses = { "scorer" } } }), NOW))
  t.none(t.check(registry({ intake = { stage = "deployment",
    uses = { { model = "scorer", version = "1" } } } }), NOW))
end)

t.case("fires when validated_for does not list the workflow", function()
  local found = t.check(registry({ intake = { stage = "deployment",
                                              uses = { "drafter" } } }), NOW)
  t.expect(found, { {
    policy = "scope.unvalidated-use", subject = "intake", severity = "high",
    path = "/workflows/intake/uses/0",
    message = "uses model 'drafter', which is not validated for 'intake'",
  } })
  t.eq(found[1].evidence.model, "drafter", "evidence.model")
  t.eq(found[1].evidence.validated_for, { "replies" }, "evidence.validated_for")
end)

t.case("fires when the model has no validated_for at all", function()
  local found = t.check(registry({ intake = { stage = "data", uses = { "m" } } },
                                 { m = { version = "1" } }), NOW)
  t.expect(found, { { subject = "intake", path = "/workflows/intake/uses/0" } })
end)

t.case("an empty validated_for fires", function()
  t.expect(t.check([[{
    "models": { "m": { "version": "1", "validated_for": [] } },
    "workflows": { "intake": { "stage": "data", "uses": ["m"] } }
  }]], NOW), { { subject = "intake", path = "/workflows/intake/uses/0" } })
end)

t.case("only the unvalidated entry fires, at its own index", function()
  t.expect(t.check(registry({ intake = { stage = "scaling",
    uses = { "scorer", { model = "drafter", version = "2" } } } }), NOW), { {
    subject = "intake", path = "/workflows/intake/uses/1",
    message = "'drafter'",
  } })
end)

t.case("a model listed twice gives one finding, at its first entry", function()
  t.expect(t.check(registry({ intake = { stage = "scaling",
    uses = { "scorer", "drafter", { model = "drafter", version = "2" } } } }),
    NOW), { { subject = "intake", path = "/workflows/intake/uses/1" } })
end)

t.case("two unvalidated models give two findings", function()
  t.expect(t.check(registry({ other = { stage = "data",
                                        uses = { "scorer", "drafter" } } }),
                   NOW), {
    { subject = "other", path = "/workflows/other/uses/0", message = "'scorer'" },
    { subject = "other", path = "/workflows/other/uses/1", message = "'drafter'" },
  })
end)

t.case("every stage but retired is judged, and no stage too", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "scaling" }) do
    t.expect(t.check(registry({ intake = { stage = stage,
                                           uses = { "drafter" } } }), NOW),
             { { subject = "intake", path = "/workflows/intake/uses/0" } })
  end
  t.expect(t.check(registry({ intake = { uses = { "drafter" } } }), NOW),
           { { subject = "intake", path = "/workflows/intake/uses/0" } })
end)

t.case("a retired workflow is skipped", function()
  t.none(t.check(registry({ intake = { stage = "retired",
                                       uses = { "drafter" } } }), NOW))
end)

t.case("a workflow that uses no model is skipped", function()
  t.none(t.check(registry({ intake = { stage = "deployment",
                                       depends_on = { "drafter" } } }), NOW))
end)

t.case("being validated for a similar id is not enough", function()
  t.expect(t.check(registry({ ["intake-2"] = { stage = "data",
                                               uses = { "scorer" } } }), NOW),
           { { subject = "intake-2", path = "/workflows/intake-2/uses/0" } })
end)

t.case("a dangling model is left to registry.dangling-ref", function()
  local found = t.check(registry({ intake = { stage = "data",
    uses = { "scorer", "ghost" } } }), { now = "2026-11-26", keep_going = true })
  t.expect(found, { { policy = "registry.dangling-ref", subject = "intake" } })
end)
