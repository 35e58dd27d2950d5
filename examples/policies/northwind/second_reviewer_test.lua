-- Tests of northwind.second-reviewer (FIN-7): a high-stakes AI workflow
-- owned in finance names a second reviewer, a registered person other than
-- its owner. Each case builds a small registry inline; `steward test
-- examples/policies` runs them.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- A finance-owned, high-stakes workflow that passes; cases break one thing.
local function workflow()
  return {
    owner = "nadia.petrova", stage = "deployment",
    uses = { { model = "extractor", version = "1.0" } },
    decision = { stakes = "high", reversible = true, human_in_loop = true,
                 second_reviewer = "priya.raman" },
  }
end

local function check(w, opts)
  return t.check({
    owners = {
      ["nadia.petrova"] = { type = "person", team = "finance" },
      ["priya.raman"] = { type = "person", team = "finance" },
      ["daniel.kim"] = { type = "person", team = "risk" },
      finance = { type = "team" },
    },
    models = { extractor = { version = "1.0" } },
    workflows = { ["vendor-onboarding"] = w },
  }, opts or NOW)
end

t.case("a second finance person passes", function()
  t.none(check(workflow()))
end)

t.case("a reviewer from another team passes too", function()
  local w = workflow()
  w.decision.second_reviewer = "daniel.kim"
  t.none(check(w))
end)

t.case("fires without a second reviewer", function()
  local w = workflow()
  w.decision.second_reviewer = nil
  local found = check(w)
  t.expect(found, { {
    policy = "northwind.second-reviewer", subject = "vendor-onboarding",
    severity = "high",
    path = "/workflows/vendor-onboarding/decision/second_reviewer",
    message = "high-stakes decision owned by nadia.petrova (finance) names no second reviewer",
  } })
  t.eq(found[1].evidence.owner, "nadia.petrova", "evidence.owner")
end)

t.case("an empty second reviewer is no reviewer", function()
  local w = workflow()
  w.decision.second_reviewer = ""
  t.expect(check(w), { { message = "names no second reviewer" } })
end)

t.case("the owner cannot review their own decision", function()
  local w = workflow()
  w.decision.second_reviewer = "nadia.petrova"
  t.expect(check(w), { { message = "is the workflow's own owner" } })
end)

t.case("an unknown reviewer fires", function()
  local w = workflow()
  w.decision.second_reviewer = "controller"
  t.expect(check(w), { {
    path = "/workflows/vendor-onboarding/decision/second_reviewer",
    message = "second reviewer 'controller' is not a registered owner",
  } })
end)

t.case("a team is not a reviewer", function()
  local w = workflow()
  w.decision.second_reviewer = "finance"
  t.expect(check(w), { { message = "second reviewer 'finance' is a team" } })
end)

t.case("the finance team as owner is in finance", function()
  local w = workflow()
  w.owner = "finance"
  w.decision.second_reviewer = nil
  t.expect(check(w), { { subject = "vendor-onboarding" } })
end)

t.case("near misses: medium stakes, another team, no owner", function()
  local w = workflow()
  w.decision.second_reviewer = nil
  w.decision.stakes = "medium"
  t.none(check(w))
  w = workflow()
  w.decision.second_reviewer = nil
  w.owner = "daniel.kim"
  t.none(check(w))
  w = workflow()
  w.decision.second_reviewer = nil
  w.owner = nil
  t.none(check(w))
  w = workflow()
  w.decision = nil
  t.none(check(w))
end)

t.case("near misses: before stage data, retired, or no model", function()
  for _, stage in ipairs({ "proposed", "governance", "retired" }) do
    local w = workflow()
    w.decision.second_reviewer = nil
    w.stage = stage
    t.none(check(w))
  end
  local w = workflow()
  w.decision.second_reviewer = nil
  w.stage = "data"
  t.expect(check(w), { { subject = "vendor-onboarding" } })
  w.uses = nil
  t.none(check(w))
end)

t.case("params: another team and other stakes", function()
  local w = workflow()
  w.owner = "daniel.kim"
  w.decision.second_reviewer = nil
  t.expect(check(w, { now = "2026-11-26",
                      params = { team = "risk" } }),
           { { message = "owned by daniel.kim (risk)" } })
  w = workflow()
  w.decision.stakes = "medium"
  w.decision.second_reviewer = nil
  t.expect(check(w, { now = "2026-11-26",
                      params = { stakes = { "medium", "high" } } }),
           { { message = "medium-stakes decision" } })
end)
