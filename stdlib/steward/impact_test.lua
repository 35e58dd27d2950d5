-- Tests of steward.impact: the flags impact's verdict reads, from the
-- decision fields and readiness.human-in-loop's `stakes` parameter.
local t = require "steward.test"
local impact = require "steward.impact"

local function workflow(decision)
  return { kind = "workflow", id = "w", decision = decision }
end

-- A ctx whose params_of answers for readiness.human-in-loop only.
local function ctx_with_stakes(stakes)
  return { params_of = function(id)
    if id == "readiness.human-in-loop" then return { stakes = stakes } end
  end }
end

t.case("high stakes are sensitive by default", function()
  t.eq(impact.flags(workflow({ stakes = "high" }), nil),
       impact.STAKES + impact.SENSITIVE)
end)

t.case("an irreversible decision is sensitive", function()
  t.eq(impact.flags(workflow({ stakes = "low", reversible = false }), nil),
       impact.IRREVERSIBLE + impact.SENSITIVE)
end)

t.case("both at once", function()
  t.eq(impact.flags(workflow({ stakes = "high", reversible = false }), nil),
       impact.STAKES + impact.IRREVERSIBLE + impact.SENSITIVE)
end)

t.case("medium stakes, reversible: not sensitive by default", function()
  t.eq(impact.flags(workflow({ stakes = "medium", reversible = true }), nil), 0)
end)

t.case("the packs' parameter decides which stakes count", function()
  local ctx = ctx_with_stakes({ "high", "medium" })
  t.eq(impact.flags(workflow({ stakes = "medium" }), ctx),
       impact.STAKES + impact.SENSITIVE)
  t.eq(impact.flags(workflow({ stakes = "high" }), ctx_with_stakes({ "low" })),
       0)
end)

t.case("a stakes parameter given as one string", function()
  t.eq(impact.flags(workflow({ stakes = "medium" }), ctx_with_stakes("medium")),
       impact.STAKES + impact.SENSITIVE)
end)

t.case("nodes that are not workflows, or have no decision, are not judged",
  function()
    t.eq(impact.flags({ kind = "model", id = "m",
                        decision = { stakes = "high" } }, nil), 0)
    t.eq(impact.flags(workflow(nil), nil), 0)
    t.eq(impact.flags(workflow("high"), nil), 0)
    t.eq(impact.flags(nil, nil), 0)
  end)
