-- Tests of debt.cycle: one finding per strongly connected component of the
-- feeds + depends_on graph with more than one node, or per node that feeds
-- or depends on itself, whatever its kind or stage. The subject is the
-- smallest id in it; evidence.cycle is a cycle through it, in order.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function flows(workflows)
  return { models = { m = { version = "1" } }, workflows = workflows }
end

t.case("a chain and a diamond are no cycle", function()
  t.none(t.check(flows({
    a = { feeds = { "b", "c" } }, b = { feeds = { "d" } }, c = { feeds = { "d" } },
    d = { depends_on = { "m" } },
  }), NOW))
end)

t.case("a three-node feeds cycle: one finding at its smallest id", function()
  local found = t.check(flows({
    c = { feeds = { "a" } }, b = { feeds = { "c" } }, a = { feeds = { "b" } },
  }), NOW)
  t.expect(found, { {
    policy = "debt.cycle", subject = "a", severity = "high",
    path = "/workflows/a/feeds/0",
    message = "a cycle of feeds/depends_on: a -> b -> c -> a",
  } })
  t.eq(found[1].evidence.cycle, { "a", "b", "c", "a" }, "evidence.cycle")
  t.eq(found[1].evidence.members, { "a", "b", "c" }, "evidence.members")
end)

t.case("a workflow that feeds itself", function()
  local found = t.check(flows({ loop = { feeds = { "other", "loop" } },
                                other = {} }), NOW)
  t.expect(found, { {
    subject = "loop", path = "/workflows/loop/feeds/1",
    message = "loop feeds or depends on itself: loop -> loop",
  } })
  t.eq(found[1].evidence.cycle, { "loop", "loop" }, "evidence.cycle")
end)

t.case("a node that depends on itself, any kind", function()
  t.expect(t.check({ models = { m = { version = "1", depends_on = { "m" } } } },
                   NOW), { {
    subject = "m", path = "/models/m/depends_on/0", message = "m -> m",
  } })
end)

t.case("two disjoint cycles give two findings", function()
  local found = t.check(flows({
    a = { feeds = { "b" } }, b = { feeds = { "a" } },
    x = { feeds = { "y" } }, y = { feeds = { "z" } }, z = { feeds = { "x" } },
    solo = { feeds = { "a" } },
  }), NOW)
  t.expect(found, {
    { subject = "a", path = "/workflows/a/feeds/0", message = "a -> b -> a" },
    { subject = "x", path = "/workflows/x/feeds/0", message = "x -> y -> z -> x" },
  })
end)

t.case("feeds and depends_on close a cycle together", function()
  local found = t.check(flows({
    a = { feeds = { "b" } }, b = { depends_on = { "a" } },
  }), NOW)
  t.expect(found, { { subject = "a", path = "/workflows/a/feeds/0",
                      message = "a -> b -> a" } })
end)

t.case("a cycle across kinds, through depends_on", function()
  local found = t.check({
    models = { m = { version = "1", depends_on = { "w" } } },
    workflows = { w = { uses = { "m" }, depends_on = { "m" } } },
  }, NOW)
  t.expect(found, { { subject = "m", path = "/models/m/depends_on/0",
                      message = "m -> w -> m" } })
end)

t.case("uses, reads and writes edges never close a cycle", function()
  t.none(t.check({
    datasets = { d = { depends_on = { "w" } } },
    systems = { s = { depends_on = { "w" } } },
    models = { m = { version = "1", depends_on = { "w" } } },
    workflows = { w = { uses = { "m" }, reads = { "d" }, writes = { "s" } } },
  }, NOW))
end)

t.case("the evidence is a shortest cycle through the subject", function()
  -- a -> b -> c -> d -> a, and a -> e -> a: the shortest goes through e.
  local found = t.check(flows({
    a = { feeds = { "b", "e" } }, b = { feeds = { "c" } }, c = { feeds = { "d" } },
    d = { feeds = { "a" } }, e = { feeds = { "a" } },
  }), NOW)
  t.expect(found, { {
    subject = "a", path = "/workflows/a/feeds/1",
    message = "a -> e -> a (5 nodes in the cycle: a, b, c, d, e)",
  } })
  t.eq(found[1].evidence.members, { "a", "b", "c", "d", "e" }, "members")
end)

t.case("a component prefers a cycle through another node to a self-loop",
       function()
  local found = t.check(flows({ a = { feeds = { "a", "b" } },
                                b = { feeds = { "a" } } }), NOW)
  t.expect(found, { { subject = "a", path = "/workflows/a/feeds/1",
                      message = "a -> b -> a" } })
end)

t.case("retired and model-less nodes are judged like any other", function()
  t.expect(t.check(flows({
    p = { stage = "retired", feeds = { "q" } }, q = { stage = "retired", feeds = { "p" } },
  }), NOW), { { subject = "p", message = "p -> q -> p" } })
end)

t.case("a long cycle: one finding, the whole cycle in order", function()
  local ws = {}
  for i = 1, 50 do
    ws[string.format("n%02d", i)] = { feeds = { string.format("n%02d", i % 50 + 1) } }
  end
  local found = t.check(flows(ws), NOW)
  t.expect(found, { { subject = "n01", path = "/workflows/n01/feeds/0" } })
  t.eq(#found[1].evidence.cycle, 51, "50 nodes and back")
  t.eq(found[1].evidence.cycle[51], "n01", "ends where it starts")
end)

t.case("a cycle of 1,500: evidence cut at 1,000, the size is not", function()
  local parts = { '{"workflows":{' }
  for i = 1, 1500 do
    parts[#parts + 1] = string.format('%s"n%04d":{"feeds":["n%04d"]}',
                                      i > 1 and "," or "", i, i % 1500 + 1)
  end
  parts[#parts + 1] = "}}"
  local found = t.check(table.concat(parts), NOW)
  t.expect(found, { { subject = "n0001", message = "n0001 -> n0002" } })
  local ev = found[1].evidence
  t.eq(ev.size, 1500, "size")
  t.eq(#ev.cycle, 1000, "cycle cut")
  t.eq(#ev.members, 1000, "members cut")
  t.eq(ev.truncated, true, "truncated")
end)
