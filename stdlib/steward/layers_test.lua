-- Tests of steward.layers: the three names, and status(findings): a layer
-- is complete when no policy of it has an open finding; waived ones are
-- listed apart; findings without a known layer count in none.
local t = require "steward.test"
local layers = require "steward.layers"

local function finding(policy, layer, waived)
  return { policy = policy, layer = layer, waived = waived }
end

t.case("the three layers, in order", function()
  t.eq(layers.NAMES, { "technical", "process", "governance" }, "names")
  for _, name in ipairs(layers.NAMES) do t.eq(layers.known(name), true, name) end
  t.eq(layers.known("data"), false, "not a layer")
  t.eq(layers.known(nil), false, "nil")
end)

t.case("no findings: every layer complete", function()
  t.eq(layers.status({}), {
    { layer = "technical", complete = true, failing = {}, waived = {} },
    { layer = "process", complete = true, failing = {}, waived = {} },
    { layer = "governance", complete = true, failing = {}, waived = {} },
  }, "rows")
end)

t.case("open findings make their layer incomplete, naming the policies",
       function()
  local rows = layers.status({
    finding("readiness.data", "technical"),
    finding("process.mapping", "process"),
    finding("governance.owner", "governance"),
    finding("debt.unpinned", "technical"),
    finding("debt.unpinned", "technical"),     -- two findings, one policy
  })
  t.eq(rows[1], { layer = "technical", complete = false,
                  failing = { "debt.unpinned", "readiness.data" },
                  waived = {} }, "technical, sorted, once each")
  t.eq(rows[2].failing, { "process.mapping" }, "process")
  t.eq(rows[3].complete, false, "governance")
end)

-- Only one layer failing: the others stay complete (partial completion).
t.case("one incomplete layer leaves the others complete", function()
  local rows = layers.status({ finding("process.change-management", "process") })
  t.eq({ rows[1].complete, rows[2].complete, rows[3].complete },
       { true, false, true }, "only process")
end)

t.case("waived findings do not make a layer incomplete", function()
  local rows = layers.status({
    finding("governance.escalation", "governance", true),
    finding("sequencing.order", "governance", true),
  })
  t.eq(rows[3], { layer = "governance", complete = true, failing = {},
                  waived = { "governance.escalation", "sequencing.order" } },
       "complete, with its waivers named")
end)

t.case("a policy with an open and a waived finding is failing", function()
  local rows = layers.status({
    finding("debt.unpinned", "technical", true),
    finding("debt.unpinned", "technical", false),
  })
  t.eq(rows[1].failing, { "debt.unpinned" }, "failing")
  t.eq(rows[1].waived, {}, "not listed as waived too")
end)

t.case("findings without a known layer count in none", function()
  local rows = layers.status({
    finding("acme.custom", nil),
    finding("registry.dangling-ref", nil),
    finding("acme.odd", "data"),
  })
  for i = 1, 3 do t.eq(rows[i].complete, true, layers.NAMES[i]) end
end)
