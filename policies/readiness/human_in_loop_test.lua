-- Tests of readiness.human-in-loop: when `decision.stakes` is `high` (one
-- of params.stakes) or `decision.reversible` is false, `decision.
-- human_in_loop` must be true. One finding, at decision/human_in_loop.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- A registry with the healthy workflow `intake` (stage deployment, uses
-- `scorer`) whose decision section is `decision` (nil: none).
local function registry(decision, changes)
  return t.registry({ intake = t.healthy_workflow(t.merge({
    decision = decision,
  }, changes)) })
end

local function check(decision, changes, opts)
  return t.check(registry(decision, changes), opts or NOW)
end

local function at_fault(message)
  return { {
    policy = "readiness.human-in-loop", subject = "intake", severity = "high",
    enforcement = "soft-mandatory",
    path = "/workflows/intake/decision/human_in_loop", message = message,
  } }
end

t.case("high stakes with a human in the loop pass", function()
  t.none(check({ stakes = "high", reversible = true, human_in_loop = true }))
end)

-- Clause 1: high stakes.
t.case("high stakes without a human fire", function()
  local found = check({ stakes = "high", reversible = true,
                        human_in_loop = false })
  t.expect(found, at_fault("high-stakes decision without a human in the loop"))
  t.eq(found[1].evidence, { stakes = "high", reversible = true,
                            human_in_loop = false }, "evidence")
end)

t.case("high stakes with human_in_loop missing fire", function()
  t.expect(check({ stakes = "high" }),
           at_fault("high-stakes decision without a human in the loop"))
end)

-- Clause 2: irreversible.
t.case("an irreversible decision without a human fires", function()
  t.expect(check({ stakes = "medium", reversible = false,
                   human_in_loop = false }),
           at_fault("irreversible decision without a human in the loop"))
  t.expect(check({ reversible = false }),
           at_fault("irreversible decision without a human in the loop"))
end)

t.case("an irreversible decision with a human passes", function()
  t.none(check({ stakes = "medium", reversible = false, human_in_loop = true }))
end)

t.case("high stakes and irreversible: one finding naming both", function()
  t.expect(check({ stakes = "high", reversible = false }),
           at_fault("high-stakes, irreversible decision without a human"))
end)

-- Near misses: neither clause holds, so no human is needed.
t.case("medium stakes, reversible, no human: passes", function()
  t.none(check({ stakes = "medium", reversible = true, human_in_loop = false }))
  t.none(check({ stakes = "low", human_in_loop = false }))
end)

-- A reversibility that is not stated is not `false`.
t.case("reversible missing is not irreversible", function()
  t.none(check({ stakes = "medium" }))
end)

t.case("no decision section passes", function()
  t.none(check(nil))
end)

-- Stakes are compared exactly; params.stakes widens the set.
t.case("only the stakes in params.stakes need a human", function()
  t.none(check({ stakes = "critical" }))
  t.none(check({ stakes = "High" }))
  local opts = { now = "2026-11-26", params = { stakes = { "high", "critical" } } }
  t.expect(check({ stakes = "critical" }, nil, opts),
           at_fault("critical-stakes decision without a human in the loop"))
  t.expect(check({ stakes = "high" }, nil, opts),
           at_fault("high-stakes decision"))
  t.none(check({ stakes = "medium" }, nil, opts))
end)

-- Scope: workflows that use a model or are proposed, not retired.
t.case("judged at every stage but retired", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "scaling" }) do
    t.expect(check({ stakes = "high" }, { stage = stage }),
             { { subject = "intake" } })
  end
  t.none(check({ stakes = "high" }, { stage = "retired" }))
end)

t.case("without a model: judged only when proposed", function()
  local reg = registry({ reversible = false }, { stage = "proposed" })
  reg.workflows.intake.uses = nil
  t.expect(t.check(reg, NOW), { { subject = "intake" } })
  reg.workflows.intake.stage = "data"
  t.none(t.check(reg, NOW))
end)

t.case("several workflows give exactly the expected findings", function()
  local reg = registry({ stakes = "high", human_in_loop = true })
  local function wf(decision)
    return { stage = "measurement", uses = { "scorer" }, decision = decision }
  end
  reg.workflows.credit = wf({ stakes = "high", reversible = false,
                              human_in_loop = false })
  reg.workflows.refunds = wf({ stakes = "medium", reversible = false })
  reg.workflows.triage = wf({ stakes = "low", reversible = true })
  t.expect(t.check(reg, NOW), {
    { subject = "credit", message = "high-stakes, irreversible" },
    { subject = "refunds", message = "irreversible decision" },
  })
end)
