-- Tests of debt.unpinned: every `uses` entry of a workflow (that uses a
-- model and is not retired) pins the model's registered version. One
-- finding per entry that is a bare id, has no version, or pins another.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function registry(uses, stage)
  return {
    models = { scorer = { version = "3.2.0" }, drafter = { version = "1.0" },
               unversioned = {} },
    workflows = { intake = { stage = stage or "deployment", uses = uses } },
  }
end

t.case("pinned to the registered version passes", function()
  t.none(t.check(registry({ { model = "scorer", version = "3.2.0" },
                            { model = "drafter", version = "1.0" } }), NOW))
end)

t.case("pinned to another version fires at uses/I/version", function()
  local found = t.check(registry({ { model = "scorer", version = "3.1.0" } }), NOW)
  t.expect(found, { {
    policy = "debt.unpinned", subject = "intake", severity = "medium",
    path = "/workflows/intake/uses/0/version",
    message = "pins model 'scorer' to version 3.1.0, but its registered "
              .. "version is 3.2.0",
  } })
  t.eq(found[1].evidence, { model = "scorer", pinned = "3.1.0",
                            registered = "3.2.0" }, "evidence")
end)

t.case("a version that only looks close is another version", function()
  t.expect(t.check(registry({ { model = "scorer", version = "3.2" } }), NOW),
           { { path = "/workflows/intake/uses/0/version" } })
  t.expect(t.check(registry({ { model = "scorer", version = "3.2.0 " } }), NOW),
           { { path = "/workflows/intake/uses/0/version" } })
end)

t.case("an entry without a version fires at uses/I/version", function()
  t.expect(t.check(registry({ { model = "scorer" } }), NOW), { {
    subject = "intake", path = "/workflows/intake/uses/0/version",
    message = "uses model 'scorer' without a version (registered: 3.2.0)",
  } })
end)

t.case("a null version is no version", function()
  t.expect(t.check([[{
    "models": { "scorer": { "version": "3.2.0" } },
    "workflows": { "intake": { "stage": "data",
                   "uses": [ { "model": "scorer", "version": null } ] } }
  }]], NOW), { { path = "/workflows/intake/uses/0/version",
                 message = "without a version" } })
end)

t.case("a bare id fires at uses/I", function()
  t.expect(t.check(registry({ "scorer" }), NOW), { {
    subject = "intake", path = "/workflows/intake/uses/0",
    message = "uses model 'scorer' without a version (registered: 3.2.0)",
  } })
end)

t.case("one finding per faulty entry, each at its index", function()
  t.expect(t.check(registry({ { model = "scorer", version = "3.2.0" }, "drafter",
                              { model = "scorer", version = "2" } }), NOW), {
    { path = "/workflows/intake/uses/1", message = "'drafter'" },
    { path = "/workflows/intake/uses/2/version", message = "version 2" },
  })
end)

t.case("a model with no registered version cannot be pinned", function()
  t.expect(t.check(registry({ { model = "unversioned", version = "1" } }), NOW),
           { { path = "/workflows/intake/uses/0/version",
               message = "registered version is missing" } })
  t.expect(t.check(registry({ "unversioned" }), NOW),
           { { path = "/workflows/intake/uses/0",
               message = "(registered: none)" } })
end)

t.case("every stage but retired is judged", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "scaling" }) do
    t.expect(t.check(registry({ "scorer" }, stage), NOW),
             { { path = "/workflows/intake/uses/0" } })
  end
  t.none(t.check(registry({ "scorer" }, "retired"), NOW))
end)

t.case("a dangling model is left to registry.dangling-ref", function()
  t.expect(t.check(registry({ { model = "scorer", version = "3.2.0" }, "ghost" }),
                   { now = "2026-11-26", keep_going = true }),
           { { policy = "registry.dangling-ref", subject = "intake" } })
end)
