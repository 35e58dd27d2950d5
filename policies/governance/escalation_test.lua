-- Tests of governance.escalation: every workflow that uses a model and has
-- reached stage `data` or later has an escalation protocol naming a contact
-- and a fallback (an empty string counts as missing). One finding, at the
-- first missing field.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- t.healthy_workflow() with its escalation section replaced by `e`.
local function with_escalation(e)
  local w = t.healthy_workflow()
  w.escalation = e
  return w
end

-- One workflow `intake`, checked.
local function check_one(w)
  return t.check(t.registry({ intake = w }), NOW)
end

t.case("a healthy workflow passes", function()
  t.none(check_one(t.healthy_workflow()))
end)

-- Extra fields (response_hours) are fine; only contact and fallback count.
t.case("a protocol with extra fields passes", function()
  t.none(check_one(with_escalation({ contact = "ml-oncall",
                                     fallback = "manual review",
                                     response_hours = 24 })))
end)

-- Clause 1: no escalation section.
t.case("fires without escalation, at /workflows/ID/escalation", function()
  t.expect(check_one(with_escalation(nil)), { {
    policy = "governance.escalation", subject = "intake", severity = "high",
    path = "/workflows/intake/escalation", message = "no escalation protocol",
  } })
end)

-- Clause 2: no contact.
t.case("fires without a contact", function()
  t.expect(check_one(with_escalation({ fallback = "manual review" })), { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/escalation/contact",
    message = "escalation has no contact",
  } })
end)

-- Clause 3: no fallback.
t.case("fires without a fallback", function()
  t.expect(check_one(with_escalation({ contact = "ml-oncall" })), { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/escalation/fallback",
    message = "escalation has no fallback",
  } })
end)

-- Empty strings count as missing, for either field.
t.case("an empty-string contact or fallback counts as missing", function()
  t.expect(check_one(with_escalation({ contact = "",
                                       fallback = "manual review" })), { {
    subject = "intake", path = "/workflows/intake/escalation/contact",
    message = "escalation has no contact",
  } })
  t.expect(check_one(with_escalation({ contact = "ml-oncall",
                                       fallback = "" })), { {
    subject = "intake", path = "/workflows/intake/escalation/fallback",
    message = "escalation has no fallback",
  } })
end)

-- Both missing (an empty section): one finding, at contact, naming both.
t.case("both missing: one finding at contact naming both", function()
  t.expect(check_one(with_escalation({ response_hours = 24 })), { {
    subject = "intake", path = "/workflows/intake/escalation/contact",
    message = "escalation has no contact and no fallback",
  } })
end)

-- Every judged stage, data through scaling, is held to the rule.
t.case("fires at every stage from data to scaling", function()
  for _, stage in ipairs({ "data", "redesign", "deployment", "measurement",
                           "scaling" }) do
    local w = with_escalation(nil)
    w.stage = stage
    t.expect(check_one(w), { {
      subject = "intake", path = "/workflows/intake/escalation",
    } })
  end
end)

-- Stages before `data`, and `retired`, are not judged.
t.case("does not fire at proposed, governance or retired", function()
  for _, stage in ipairs({ "proposed", "governance", "retired" }) do
    local w = with_escalation(nil)
    w.stage = stage
    t.none(check_one(w))
  end
end)

-- A workflow with no stage is not judged.
t.case("does not fire when the stage is missing", function()
  local w = with_escalation(nil)
  w.stage = nil
  t.none(check_one(w))
end)

-- Only AI-integrated workflows: no `uses` edge, no rule.
t.case("does not fire for a workflow that uses no model", function()
  local w = with_escalation(nil)
  w.uses = nil
  t.none(check_one(w))
end)

-- `uses` as a bare id and as {model, version} both count.
t.case("fires for bare-string and object uses alike", function()
  local bare, pinned = with_escalation(nil), with_escalation(nil)
  bare.uses = { "scorer" }
  pinned.uses = { { model = "scorer", version = "1" } }
  t.expect(t.check(t.registry({ bare = bare, pinned = pinned }), NOW), {
    { subject = "bare", path = "/workflows/bare/escalation" },
    { subject = "pinned", path = "/workflows/pinned/escalation" },
  })
end)

-- Several workflows: exactly one finding for each governed faulty one.
t.case("several workflows give exactly the expected findings", function()
  local proposed = with_escalation(nil)
  proposed.stage = "proposed"
  local no_model = with_escalation(nil)
  no_model.uses = nil
  t.expect(t.check(t.registry({
    healthy = t.healthy_workflow(),
    missing = with_escalation(nil),
    no_contact = with_escalation({ fallback = "manual review" }),
    no_fallback = with_escalation({ contact = "ml-oncall", fallback = "" }),
    proposed = proposed,
    no_model = no_model,
  }), NOW), {
    { subject = "missing", path = "/workflows/missing/escalation" },
    { subject = "no_contact", path = "/workflows/no_contact/escalation/contact" },
    { subject = "no_fallback",
      path = "/workflows/no_fallback/escalation/fallback" },
  })
end)
