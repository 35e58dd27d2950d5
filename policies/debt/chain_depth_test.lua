-- Tests of debt.chain-depth: a workflow that uses a model, is not retired
-- and that nothing feeds, whose longest downstream `feeds` chain has more
-- than 4 hops, counted on the feeds graph with each strongly connected
-- component collapsed to one node. Every workflow counts as a hop,
-- whatever its stage or models.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- head -> c1 -> ... -> cn: n hops. head uses model m; the rest use nothing.
local function chain(n)
  local reg = { models = { m = { version = "1" } },
                workflows = { head = { stage = "deployment", uses = { "m" } } } }
  local prev = reg.workflows.head
  for i = 1, n do
    prev.feeds = { "c" .. i }
    prev = {}
    reg.workflows["c" .. i] = prev
  end
  return reg
end

t.case("4 hops pass", function()
  t.none(t.check(chain(4), NOW))
end)

t.case("5 hops fire, at the head's feeds", function()
  local found = t.check(chain(5), NOW)
  t.expect(found, { {
    policy = "debt.chain-depth", subject = "head", severity = "medium",
    path = "/workflows/head/feeds",
    message = "has 5 hops (more than 4): head -> c1 -> c2 -> c3 -> c4 -> c5",
  } })
  local ev = found[1].evidence
  t.eq(ev.hops, 5, "evidence.hops")
  t.eq(ev.max_hops, 4, "evidence.max_hops")
  t.eq(ev.chain, { "head", "c1", "c2", "c3", "c4", "c5" }, "evidence.chain")
end)

t.case("only the head is a subject, not the workflows it feeds", function()
  local reg = chain(7)
  for i = 1, 7 do reg.workflows["c" .. i].uses = { "m" } end
  t.expect(t.check(reg, NOW), { { subject = "head", message = "7 hops" } })
end)

t.case("the longest branch counts", function()
  local reg = chain(5)
  reg.workflows.head.feeds = { "short", "c1" }
  reg.workflows.short = { stage = "deployment" }
  t.expect(t.check(reg, NOW), { { subject = "head", message = "5 hops" } })
  reg = chain(4)
  reg.workflows.c2.feeds = { "c3", "b3" }
  reg.workflows.b3 = { feeds = { "b4" } }
  reg.workflows.b4 = { feeds = { "b5" } }
  reg.workflows.b5 = {}
  local found = t.check(reg, NOW)
  t.expect(found, { { subject = "head", message = "5 hops" } })
  t.eq(found[1].evidence.chain, { "head", "c1", "c2", "b3", "b4", "b5" }, "chain")
end)

t.case("equal branches: the chain goes by the smallest id", function()
  local reg = chain(5)
  reg.workflows.c4.feeds = { "c5", "a5" }
  reg.workflows.a5 = {}
  local found = t.check(reg, NOW)
  t.eq(found[1].evidence.chain, { "head", "c1", "c2", "c3", "c4", "a5" }, "chain")
end)

t.case("a cycle is one node: 4 hops with a 2-cycle inside pass", function()
  -- head -> c1 <-> x -> c2 -> c3 -> c4: 4 hops collapsed (5 if x counted).
  local reg = chain(4)
  reg.workflows.c1.feeds = { "x" }
  reg.workflows.x = { feeds = { "c1", "c2" } }
  t.none(t.check(reg, NOW))
end)

t.case("a cycle is one node: 5 hops with a 3-cycle inside fire", function()
  local reg = chain(5)
  reg.workflows.c2.feeds = { "c3", "y" }
  reg.workflows.y = { feeds = { "z" } }
  reg.workflows.z = { feeds = { "c2" } }
  local found = t.check(reg, NOW)
  t.expect(found, { { subject = "head", message = "5 hops" } })
  t.eq(found[1].evidence.chain, { "head", "c1", "c2", "c3", "c4", "c5" }, "chain")
  t.eq(found[1].evidence.cycles, { { "c2", "y", "z" } }, "collapsed cycles")
end)

t.case("a self-loop adds no hop", function()
  local reg = chain(4)
  reg.workflows.c2.feeds = { "c3", "c2" }
  t.none(t.check(reg, NOW))
end)

t.case("a head that is fed by something is not a subject", function()
  local reg = chain(5)
  reg.workflows.up = { feeds = { "head" } }
  t.none(t.check(reg, NOW))           -- `up` uses no model: not judged
  reg.workflows.up.uses = { "m" }
  t.expect(t.check(reg, NOW), { { subject = "up", message = "6 hops" } })
end)

t.case("a workflow in a pure cycle has no head", function()
  t.none(t.check({ models = { m = { version = "1" } }, workflows = {
    a = { uses = { "m" }, feeds = { "b" } }, b = { uses = { "m" }, feeds = { "a" } },
  } }, NOW))
end)

t.case("a retired or model-less head is skipped; the chain's stages count",
       function()
  local reg = chain(5)
  reg.workflows.head.stage = "retired"
  t.none(t.check(reg, NOW))
  reg = chain(5)
  reg.workflows.head.uses = nil
  t.none(t.check(reg, NOW))
  reg = chain(5)
  reg.workflows.c3.stage = "retired"
  reg.workflows.c5.stage = "proposed"
  t.expect(t.check(reg, NOW), { { subject = "head", message = "5 hops" } })
end)

t.case("depends_on is not a feeds hop", function()
  local reg = chain(4)
  reg.workflows.c4.depends_on = { "extra" }
  reg.workflows.extra = {}
  t.none(t.check(reg, NOW))
end)

t.case("each head is judged on its own chain", function()
  local reg = chain(5)
  reg.workflows.second = { stage = "data", uses = { "m" }, feeds = { "c2" } }
  reg.workflows.third = { stage = "data", uses = { "m" }, feeds = { "c3" } }
  t.expect(t.check(reg, NOW), {
    { subject = "head", message = "5 hops" },
  })
  reg.workflows.c5.feeds = { "c6" }
  reg.workflows.c6 = {}
  t.expect(t.check(reg, NOW), {
    { subject = "head", message = "6 hops" },
    { subject = "second", message = "5 hops" },
  })
end)

t.case("max_hops moves the boundary", function()
  local opts = { now = "2026-11-26", params = { max_hops = 2 } }
  t.none(t.check(chain(2), opts))
  t.expect(t.check(chain(3), opts), { { subject = "head",
                                        message = "3 hops (more than 2)" } })
end)

-- JSON text: a Lua table this size is more than the test converter takes.
local function long_chain_json(n, heads)
  local parts = { '{"models":{"m":{"version":"1"}},"workflows":{' }
  for i = 1, n do
    local feeds = i < n and string.format('"feeds":["w%05d"]', i + 1) or ""
    local uses = (i == 1 or heads) and '"uses":["m"]' or ""
    local sep = (feeds ~= "" and uses ~= "") and "," or ""
    parts[#parts + 1] = string.format('%s"w%05d":{%s%s%s}', i > 1 and "," or "",
                                      i, uses, sep, feeds)
  end
  parts[#parts + 1] = "}}"
  return table.concat(parts)
end

-- Linear time, no recursion: a 10,000-workflow chain within the default
-- limits of a policy (the test harness gives the policy its real limits).
t.case("a chain of 10,000 workflows is measured within the limits", function()
  local found = t.check(long_chain_json(10000), NOW)
  t.expect(found, { { subject = "w00001",
                      message = "has 9999 hops (more than 4)" } })
  local ev = found[1].evidence
  t.eq(ev.hops, 9999, "hops")
  t.eq(#ev.chain, 100, "evidence.chain is cut at 100")
  t.eq(ev.chain_truncated, true, "chain_truncated")
end)

-- Many heads sharing one long tail: still linear, one finding per head.
t.case("1,000 heads on a shared 1,000-workflow tail", function()
  local parts = { long_chain_json(1000):sub(1, -3) }
  for i = 1, 1000 do
    parts[#parts + 1] = string.format(',"h%04d":{"uses":["m"],"feeds":["w00500"]}', i)
  end
  parts[#parts + 1] = "}}"
  local found = t.check(table.concat(parts), NOW)
  t.eq(#found, 1001, "one finding per head")
  for _, f in ipairs(found) do
    if f.error then error("policy failed: " .. f.message) end
  end
end)
