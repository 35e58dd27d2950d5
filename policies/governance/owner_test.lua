-- Tests of governance.owner: every workflow that uses a model and has reached
-- stage `data` or later names an accountability owner.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- The workflow t.healthy_workflow() with its owner removed.
local function ownerless(stage)
  return t.healthy_workflow({ owner = t.NONE, stage = stage })
end

t.case("a healthy workflow passes", function()
  t.none(t.check(t.registry({ intake = t.healthy_workflow() }), NOW))
end)

-- The clause: no owner at all.
t.case("fires without an owner, at /workflows/ID/owner", function()
  local found = t.check(t.registry({ intake = ownerless() }), NOW)
  t.expect(found, { {
    policy = "governance.owner", subject = "intake", severity = "high",
    path = "/workflows/intake/owner", message = "no accountability owner",
  } })
end)

-- Every judged stage, data through scaling, is held to the rule.
t.case("fires at every stage from data to scaling", function()
  for _, stage in ipairs({ "data", "redesign", "deployment", "measurement",
                           "scaling" }) do
    local found = t.check(t.registry({ intake = ownerless(stage) }), NOW)
    t.expect(found, { { subject = "intake", path = "/workflows/intake/owner" } })
  end
end)

-- Stages before `data`, and `retired`, are not judged.
t.case("does not fire at proposed, governance or retired", function()
  for _, stage in ipairs({ "proposed", "governance", "retired" }) do
    t.none(t.check(t.registry({ intake = ownerless(stage) }), NOW))
  end
end)

-- A workflow with no stage is not judged.
t.case("does not fire when the stage is missing", function()
  local w = ownerless()
  w.stage = nil
  t.none(t.check(t.registry({ intake = w }), NOW))
end)

-- Only AI-integrated workflows: no `uses` edge, no rule.
t.case("does not fire for a workflow that uses no model", function()
  local w = ownerless()
  w.uses = nil
  t.none(t.check(t.registry({ intake = w }), NOW))
end)

-- An empty `uses` list is no edge either (JSON text: a Lua {} is an object).
t.case("does not fire for an empty uses list", function()
  local found = t.check([[{
    "models": { "scorer": { "version": "1" } },
    "workflows": { "intake": { "stage": "deployment", "uses": [] } }
  }]], NOW)
  t.none(found)
end)

-- Another edge to a model (depends_on) does not make a workflow AI-integrated.
t.case("does not fire when the model is reached only by depends_on", function()
  local w = ownerless()
  w.uses = nil
  w.depends_on = { "scorer" }
  t.none(t.check(t.registry({ intake = w }), NOW))
end)

-- `uses` as a bare id and as {model, version} both count.
t.case("fires for bare-string and object uses alike", function()
  local bare, pinned = ownerless(), ownerless()
  bare.uses = { "scorer" }
  pinned.uses = { { model = "scorer", version = "1" } }
  t.expect(t.check(t.registry({ bare = bare, pinned = pinned }), NOW), {
    { subject = "bare", path = "/workflows/bare/owner" },
    { subject = "pinned", path = "/workflows/pinned/owner" },
  })
end)

-- An empty-string owner counts as missing (the loader also flags the
-- dangling reference when told to keep going).
t.case("an empty-string owner fires", function()
  local w = t.healthy_workflow()
  w.owner = ""
  local found = t.check(t.registry({ intake = w }),
                        { now = "2026-11-26", keep_going = true })
  t.expect(found, {
    { policy = "governance.owner", subject = "intake",
      path = "/workflows/intake/owner", message = "no accountability owner" },
    { policy = "registry.dangling-ref", subject = "intake",
      path = "/workflows/intake/owner" },
  })
end)

-- A team is as good an owner as a person.
t.case("a team owner passes", function()
  local reg = t.registry({ intake = t.healthy_workflow() })
  reg.owners["ml-platform"] = { name = "ML platform" }
  reg.workflows.intake.owner = "ml-platform"
  t.none(t.check(reg, NOW))
end)

-- The owner must exist: an unknown owner is a load error, not this policy's.
t.case("an unknown owner is a registry error", function()
  local w = t.healthy_workflow()
  w.owner = "nobody"
  t.raises(function() t.check(t.registry({ intake = w }), NOW) end, "nobody")
end)

-- Several workflows: exactly the governed ownerless ones fire.
t.case("several workflows give exactly the expected findings", function()
  local no_model = ownerless()
  no_model.uses = nil
  t.expect(t.check(t.registry({
    healthy = t.healthy_workflow(),
    early = ownerless("proposed"),
    retired = ownerless("retired"),
    no_model = no_model,
    at_data = ownerless("data"),
    at_scaling = ownerless("scaling"),
  }), NOW), {
    { subject = "at_data", path = "/workflows/at_data/owner" },
    { subject = "at_scaling", path = "/workflows/at_scaling/owner" },
  })
end)
