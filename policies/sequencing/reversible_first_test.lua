-- Tests of sequencing.reversible-first (medium, governance layer): a
-- workflow that uses a model with decision.reversible false, at stage
-- deployment or later, with an owner, whose owner owns no other workflow
-- that uses a model with decision.reversible true at stage measurement or
-- scaling.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function irreversible(changes)
  return t.healthy_workflow(t.merge({
    decision = { stakes = "high", reversible = false, human_in_loop = true },
  }, changes))
end

local function reversible(stage, changes)
  return t.healthy_workflow(t.merge({
    stage = stage or "scaling",
    decision = { stakes = "low", reversible = true },
  }, changes))
end

local function check(workflows)
  return t.check(t.registry(workflows, {
    owners = { ["li.wei"] = { name = "Li Wei" } } }), NOW)
end

t.case("an owner with a measured reversible workflow passes", function()
  t.none(check({ refunds = irreversible(), triage = reversible("scaling") }))
  t.none(check({ refunds = irreversible(), triage = reversible("measurement") }))
end)

t.case("an owner with no other workflow fires", function()
  local found = check({ refunds = irreversible() })
  t.expect(found, { {
    policy = "sequencing.reversible-first", subject = "refunds",
    severity = "medium", enforcement = "soft-mandatory", layer = "governance",
    path = "/workflows/refunds/decision/reversible",
    message = "irreversible decision at stage deployment, but its owner " ..
              "maria.chen owns no reversible AI workflow at stage " ..
              "measurement or scaling: the prudent sequence starts with " ..
              "reversible decisions",
  } })
  t.eq(found[1].evidence, { owner = "maria.chen", stage = "deployment",
                            owner_ai_workflows = {} }, "evidence")
end)

-- Each condition on the other workflow, one at a time.
t.case("the other workflow must be reversible, measured, AI and the owner's",
       function()
  -- still at deployment: not measured yet
  local found = check({ refunds = irreversible(),
                        triage = reversible("deployment") })
  t.expect(found, { { subject = "refunds" } })
  t.eq(found[1].evidence.owner_ai_workflows, { "triage" }, "considered")
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "retired" }) do
    t.expect(check({ refunds = irreversible(), triage = reversible(stage) }),
             { { subject = "refunds" } })
  end
  -- reversibility unstated, or false
  t.expect(check({ refunds = irreversible(),
                   triage = reversible("scaling", { decision = {
                     reversible = t.NONE } }) }),
           { { subject = "refunds" } })
  t.expect(check({ refunds = irreversible(),
                   triage = reversible("scaling", { decision = t.NONE }) }),
           { { subject = "refunds" } })
  -- uses no model
  local manual = reversible("scaling")
  manual.uses = nil
  t.expect(check({ refunds = irreversible(), triage = manual }),
           { { subject = "refunds" } })
  -- another owner's
  t.expect(check({ refunds = irreversible(),
                   triage = reversible("scaling", { owner = "li.wei" }) }),
           { { subject = "refunds" } })
end)

-- Two irreversible workflows do not vouch for each other.
t.case("another irreversible workflow does not count", function()
  t.expect(check({ refunds = irreversible(),
                   credit = irreversible({ stage = "scaling" }) }),
           { { subject = "refunds" }, { subject = "credit" } })
end)

t.case("stage deployment or later; earlier stages are not judged", function()
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check({ refunds = irreversible({ stage = stage }) }),
             { { subject = "refunds", message = "at stage " .. stage } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "retired" }) do
    t.none(check({ refunds = irreversible({ stage = stage }) }))
  end
end)

t.case("a reversible or unstated decision is not judged", function()
  t.none(check({ refunds = irreversible({ decision = { reversible = true } }) }))
  t.none(check({ refunds = irreversible({ decision = { reversible = t.NONE } }) }))
  local w = irreversible()
  w.decision = nil
  t.none(check({ refunds = w }))
end)

t.case("no owner, or no model: not judged", function()
  local w = irreversible()
  w.owner = nil
  t.none(check({ refunds = w }))
  w = irreversible()
  w.uses = nil
  t.none(check({ refunds = w }))
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(check({
    refunds = irreversible({ owner = "li.wei" }),
    triage = reversible("scaling", { owner = "li.wei" }),
    credit = irreversible(),
    pilot = reversible("deployment"),
  }), { { subject = "credit", path = "/workflows/credit/decision/reversible" } })
end)
