-- Tests of steward.obs on the engine's real observation index, through a
-- probe policy (testdata/obs_probe.lua): `since` is included, `before` is
-- excluded, records come in time order (input order among equal times),
-- metric and kind names both select.
local t = require "steward.test"

local NOW = "2026-11-26"

local function m(at, subject, metric, value)
  return { at = at, subject = subject, metric = metric, value = value }
end

-- Given out of order on purpose.
local OBSERVATIONS = {
  m("2026-11-20", "s", "acc", 0.3),
  m("2026-11-01", "s", "acc", 0.1),
  m("2026-11-10", "s", "acc", 0.2),
  m("2026-11-15", "s", "other", 9),
  { at = "2026-11-12", kind = "incident", subject = "s", severity = "low" },
  { at = "2026-11-13", kind = "override", subject = "s", count = 1, of = 10 },
  m("2026-11-05T12:00:00Z", "tie", "acc", 1),
  m("2026-11-05T12:00:00Z", "tie", "acc", 2),
  m("2026-11-05T12:00:00Z", "tie", "acc", 3),
  { at = "2026-11-03", kind = "usage", model = "mdl", caller = "w", count = 5 },
}

-- Runs each query (a table with fn and arguments) and returns the results
-- in the same order.
local function run(queries)
  local systems = {}
  for i, q in ipairs(queries) do
    systems[string.format("q%02d", i)] = { name = "query", q = q }
  end
  local found = t.check({ systems = systems },
                        { now = NOW, observations = OBSERVATIONS,
                          policy = "testdata/obs_probe.lua" })
  local by = {}
  for _, f in ipairs(found) do by[f.subject] = f.evidence or {} end
  local out = {}
  for i = 1, #queries do out[i] = by[string.format("q%02d", i)] end
  return out
end

local T1101, T1110, T1120 = 1793491200, 1794268800, 1795132800

t.case("series: a metric's times and values in time order", function()
  local r = run({ { fn = "series", subject = "s", name = "acc" } })[1]
  t.eq(r.vs, { 0.1, 0.2, 0.3 }, "values sorted by time")
  t.eq(r.ts, { T1101, T1110, T1120 }, "epoch seconds")
end)

t.case("series: since is included, before is excluded", function()
  local r = run({
    { fn = "series", subject = "s", name = "acc", since = "2026-11-10",
      before = "2026-11-20" },
    { fn = "series", subject = "s", name = "acc", since = T1110 },
    { fn = "series", subject = "s", name = "acc", before = T1110 },
    { fn = "series", subject = "s", name = "acc",
      since = "2026-11-10T00:00:01Z" },
  })
  t.eq(r[1].vs, { 0.2 }, "[11-10, 11-20)")
  t.eq(r[2].vs, { 0.2, 0.3 }, "since as epoch seconds")
  t.eq(r[3].vs, { 0.1 }, "before as epoch seconds")
  t.eq(r[4].vs, { 0.3 }, "one second after an observation")
end)

t.case("series: equal times keep the input order", function()
  local r = run({ { fn = "series", subject = "tie", name = "acc" } })[1]
  t.eq(r.vs, { 1, 2, 3 }, "input order")
end)

t.case("series: other metrics, kinds and subjects are not included", function()
  local r = run({
    { fn = "series", subject = "s", name = "other" },
    { fn = "series", subject = "s", name = "incident" },
    { fn = "series", subject = "s", name = "missing" },
    { fn = "series", subject = "nobody", name = "acc" },
  })
  t.eq(r[1].vs, { 9 }, "the other metric alone")
  t.eq(r[2].vs or {}, {}, "a kind has no numeric value")
  t.eq(r[3].vs or {}, {}, "an unknown metric")
  t.eq(r[4].vs or {}, {}, "an unknown subject")
end)

t.case("records: kinds by name, with the record and its time", function()
  local r = run({
    { fn = "records", subject = "s", name = "incident" },
    { fn = "records", subject = "s", name = "override" },
    { fn = "records", subject = "s", name = "acc", since = "2026-11-05",
      before = "2026-11-30" },
  })
  t.eq(r[1].ats, { "2026-11-12" }, "incident")
  t.eq(r[1].ts, { 1794441600 }, "incident time")
  t.eq(r[2].ats, { "2026-11-13" }, "override")
  t.eq(r[3].ats, { "2026-11-10", "2026-11-20" }, "a metric in a window")
end)

t.case("records: usage is indexed by model", function()
  local r = run({ { fn = "records", subject = "mdl", name = "usage" },
                  { fn = "records", subject = "w", name = "usage" } })
  t.eq(r[1].ats, { "2026-11-03" }, "under the model")
  t.eq(r[2].ats or {}, {}, "not under the caller")
end)

t.case("latest: the last value and its time", function()
  local r = run({
    { fn = "latest", subject = "s", name = "acc" },
    { fn = "latest", subject = "s", name = "acc", before = "2026-11-20" },
    { fn = "latest", subject = "s", name = "acc", before = "2026-11-01" },
    { fn = "latest", subject = "nobody", name = "acc" },
  })
  t.eq(r[1].v, 0.3, "latest value")
  t.eq(r[1].t, T1120, "latest time")
  t.eq(r[2].v, 0.2, "before excludes its own instant")
  t.eq(r[3].v, nil, "nothing before the first")
  t.eq(r[4].v, nil, "no observations")
end)

t.case("last_days: values of the last N days before now", function()
  local r = run({
    { fn = "last_days", subject = "s", name = "acc", days = 16 },
    { fn = "last_days", subject = "s", name = "acc", days = 25 },
    { fn = "last_days", subject = "s", name = "acc", days = 3 },
  })
  t.eq(r[1].vs, { 0.2, 0.3 }, "16 days: from 11-10, included")
  t.eq(r[2].vs, { 0.1, 0.2, 0.3 }, "25 days: from 11-01, included")
  t.eq(r[3].vs or {}, {}, "3 days: nothing")
end)

-- Not asserted here, reported instead: last_days and latest (without
-- `before`) also return observations dated after ctx.now, e.g. a record at
-- 2026-11-27 with now 2026-11-26 is in last_days(ctx, s, m, 16). The
-- policies of the drift, adoption and measurement packs use
-- steward.monitoring, which caps every window at now.
