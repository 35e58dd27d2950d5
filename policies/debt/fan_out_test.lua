-- Tests of debt.fan-out: a model with more than 5 dependent workflows,
-- counting its direct users and every workflow they feed, transitively,
-- whatever their stage or models. One finding per model.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- n workflows w1..wn that use model m directly.
local function users(n, extra)
  local reg = { models = { m = { version = "1" }, other = { version = "1" } },
                workflows = {} }
  for i = 1, n do reg.workflows["w" .. i] = { stage = "deployment", uses = { "m" } } end
  for id, w in pairs(extra or {}) do reg.workflows[id] = w end
  return reg
end

-- One user `head` of m feeding a chain of n more workflows.
local function fed_chain(n)
  local reg = { models = { m = { version = "1" } },
                workflows = { head = { stage = "deployment", uses = { "m" } } } }
  local prev = reg.workflows.head
  for i = 1, n do
    prev.feeds = { "d" .. i }
    prev = {}
    reg.workflows["d" .. i] = prev
  end
  return reg
end

t.case("5 direct users pass", function()
  t.none(t.check(users(5), NOW))
end)

t.case("6 direct users fire", function()
  local found = t.check(users(6), NOW)
  t.expect(found, { {
    policy = "debt.fan-out", subject = "m", severity = "medium",
    message = "6 dependent workflows (more than 5)",
  } })
  local ev = found[1].evidence
  t.eq(ev.count, 6, "evidence.count")
  t.eq(ev.max_workflows, 5, "evidence.max_workflows")
  t.eq(ev.direct, { "w1", "w2", "w3", "w4", "w5", "w6" }, "evidence.direct")
  t.eq(ev.workflows, { "w1", "w2", "w3", "w4", "w5", "w6" }, "evidence.workflows")
end)

t.case("fed workflows count, transitively: 1 + 4 passes, 1 + 5 fires", function()
  t.none(t.check(fed_chain(4), NOW))
  local found = t.check(fed_chain(5), NOW)
  t.expect(found, { { subject = "m",
                      message = "6 dependent workflows (more than 5): 1 use it "
                                .. "directly, 5 more are fed by them" } })
  t.eq(found[1].evidence.workflows, { "d1", "d2", "d3", "d4", "d5", "head" },
       "evidence.workflows")
end)

t.case("every stage counts, retired and model-less workflows too", function()
  t.expect(t.check(users(4, {
    gone = { stage = "retired", uses = { "m" } },
    plain = {},
    w1 = { stage = "retired", uses = { "m" }, feeds = { "plain" } },
  }), NOW), { { subject = "m", message = "6 dependent workflows" } })
end)

t.case("a workflow fed twice is counted once", function()
  -- w1..w4 all feed `sink`: 4 + 1 = 5, no finding; one more fed one fires.
  local reg = users(4, { sink = {} })
  for i = 1, 4 do reg.workflows["w" .. i].feeds = { "sink" } end
  t.none(t.check(reg, NOW))
  reg.workflows.sink.feeds = { "after" }
  reg.workflows.after = {}
  t.expect(t.check(reg, NOW), { { subject = "m", message = "6 dependent" } })
end)

t.case("a workflow that both uses the model and is fed by a user counts once",
       function()
  local reg = users(5)
  reg.workflows.w1.feeds = { "w2", "w3" }
  t.none(t.check(reg, NOW))
end)

t.case("workflows upstream of a user do not count", function()
  local reg = users(5, { up1 = { feeds = { "w1" } }, up2 = { feeds = { "up1" } } })
  t.none(t.check(reg, NOW))
end)

t.case("depends_on and other models' users do not count", function()
  local reg = users(5, {
    leaning = { depends_on = { "m", "w1" } },
    elsewhere = { stage = "deployment", uses = { "other" } },
  })
  t.none(t.check(reg, NOW))
end)

t.case("a cycle among fed workflows ends the walk", function()
  local reg = fed_chain(5)
  reg.workflows.d5.feeds = { "d1", "head" }
  t.expect(t.check(reg, NOW), { { subject = "m", message = "6 dependent" } })
end)

t.case("models with no users, or other models, are not reported", function()
  local found = t.check(users(6), NOW)
  t.expect(found, { { subject = "m" } })
end)

t.case("max_workflows moves the boundary", function()
  local opts = { now = "2026-11-26", params = { max_workflows = 2 } }
  t.none(t.check(users(2), opts))
  t.expect(t.check(users(3), opts), { { subject = "m",
                                        message = "3 dependent workflows (more than 2)" } })
end)

t.case("evidence lists are cut at 1,000, the count is not", function()
  local parts = { '{"models":{"m":{"version":"1"}},"workflows":{' }
  for i = 1, 1200 do
    parts[#parts + 1] = string.format('%s"w%04d":{"uses":["m"]}', i > 1 and "," or "", i)
  end
  parts[#parts + 1] = "}}"
  local found = t.check(table.concat(parts), NOW)
  t.expect(found, { { subject = "m", message = "1200 dependent workflows" } })
  local ev = found[1].evidence
  t.eq(ev.count, 1200, "count")
  t.eq(#ev.workflows, 1000, "workflows cut")
  t.eq(#ev.direct, 1000, "direct cut")
  t.eq(ev.truncated, true, "truncated")
end)
