-- Tests of steward.obs on the engine's real observation index, through a
-- probe policy (testdata/obs_probe.lua): obs.window selects a metric or a
-- kind, never both under one name; `since` is included, `before` excluded;
-- `days` counts calendar days back from the date of now; nothing after now
-- is seen, now itself is; records come in time order (input order among
-- equal times). series and latest read the window's numeric values.
local t = require "steward.test"
local obs = require "steward.obs"
local time = require "steward.time"

local NOW = "2026-11-26T15:00:00Z"

local function m(at, subject, metric, value)
  return { at = at, subject = subject, metric = metric, value = value }
end

-- Given out of order on purpose.
local OBSERVATIONS = {
  m("2026-11-26T15:00:01Z", "w", "acc", 0.4),          -- a second after now
  m("2026-11-12", "w", "acc", 0.2),
  m(NOW, "w", "acc", 0.3),
  m("2026-11-11T23:59:59Z", "w", "acc", 0.1),
  m("2026-11-15", "w", "other", 9),
  m("2026-11-20", "w", "override", 7),                 -- a metric
  { at = "2026-11-21", kind = "override", subject = "w", count = 1, of = 9 },
  { at = "2026-11-27", kind = "override", subject = "w", count = 2, of = 9 },
  { at = "2026-11-13", kind = "incident", subject = "w", severity = "low" },
  m("2026-11-05T12:00:00Z", "tie", "acc", 1),
  m("2026-11-05T12:00:00Z", "tie", "acc", 2),
  m("2026-11-05T12:00:00Z", "tie", "acc", 3),
  { at = "2026-11-03", kind = "usage", model = "mdl", caller = "w", count = 5 },
}

-- Runs each query { fn =, subject =, filter = } and returns the results in
-- the same order: the probe's evidence, or { error = message }.
local function run(queries)
  local systems = {}
  for i, q in ipairs(queries) do
    systems[string.format("q%02d", i)] = { name = "query", q = q }
  end
  local found = t.check({ systems = systems },
                        { now = NOW, observations = OBSERVATIONS,
                          policy = "testdata/obs_probe.lua" })
  local by = {}
  for _, f in ipairs(found) do
    by[f.subject] = f.error and { error = f.message } or f.evidence or {}
  end
  local out = {}
  for i = 1, #queries do out[i] = by[string.format("q%02d", i)] end
  return out
end

-- The `at`s of one window query.
local function ats(subject, filter)
  return run({ { fn = "window", subject = subject, filter = filter } })[1].ats
      or {}
end

local T1112, TNOW = time.parse("2026-11-12"), time.parse(NOW)

t.case("window: a metric's records in time order, up to now included",
       function()
  local r = run({ { fn = "window", subject = "w",
                    filter = { metric = "acc" } } })
  t.eq(r[1].ats, { "2026-11-11T23:59:59Z", "2026-11-12", NOW },
       "sorted; at now in, a second later out")
  t.eq(r[1].ts, { T1112 - 1, T1112, TNOW }, "epoch seconds")
end)

t.case("window: a metric and a kind of the same name are kept apart",
       function()
  t.eq(ats("w", { metric = "override" }), { "2026-11-20" }, "the metric")
  t.eq(ats("w", { kind = "override" }), { "2026-11-21" },
       "the override record, not the metric, not the one after now")
end)

t.case("window: since is included, before is excluded", function()
  t.eq(ats("w", { metric = "acc", since = "2026-11-12", before = NOW }),
       { "2026-11-12" }, "[11-12, now)")
  t.eq(ats("w", { metric = "acc", since = T1112 }), { "2026-11-12", NOW },
       "since as epoch seconds")
  t.eq(ats("w", { metric = "acc", before = T1112 }),
       { "2026-11-11T23:59:59Z" }, "before as epoch seconds")
  t.eq(ats("w", { metric = "acc", since = "2026-11-12T00:00:01Z" }), { NOW },
       "one second after an observation")
  t.eq(#ats("w", { metric = "acc", before = "2026-12-31" }), 3,
       "a before later than now still stops at now")
end)

t.case("window: days counts from midnight UTC, whatever the hour of now",
       function()
  t.eq(ats("w", { metric = "acc", days = 14 }), { "2026-11-12", NOW },
       "14 days at 15:00: 11-12 in, a second before out")
  t.eq(ats("w", { metric = "acc", days = 15 }),
       { "2026-11-11T23:59:59Z", "2026-11-12", NOW }, "15 days")
  t.eq(ats("w", { metric = "acc", days = 0 }), { NOW }, "0 days: today")
end)

t.case("window: with days and since, the later bound counts", function()
  t.eq(ats("w", { metric = "acc", days = 15, since = "2026-11-12" }),
       { "2026-11-12", NOW }, "since is later")
  t.eq(ats("w", { metric = "acc", days = 14, since = "2026-11-01" }),
       { "2026-11-12", NOW }, "days is later")
end)

t.case("window: equal times keep the input order", function()
  local r = run({ { fn = "series", subject = "tie",
                    filter = { metric = "acc" } } })
  t.eq(r[1].vs, { 1, 2, 3 }, "input order")
end)

t.case("window: kinds by name; usage is indexed by model", function()
  t.eq(ats("w", { kind = "incident" }), { "2026-11-13" }, "incident")
  t.eq(ats("mdl", { kind = "usage" }), { "2026-11-03" }, "under the model")
  t.eq(ats("w", { kind = "usage" }), {}, "not under the caller")
end)

t.case("window: other metrics, names and subjects are not included",
       function()
  t.eq(ats("w", { metric = "other" }), { "2026-11-15" }, "the other metric")
  t.eq(ats("w", { metric = "incident" }), {}, "a kind is not a metric")
  t.eq(ats("w", { metric = "missing" }), {}, "an unknown metric")
  t.eq(ats("nobody", { metric = "acc" }), {}, "an unknown subject")
end)

t.case("window: the filter names a metric or a kind, one of them", function()
  local r = run({
    { fn = "window", subject = "w", filter = {} },
    { fn = "window", subject = "w", filter = { metric = "acc", kind = "x" } },
    { fn = "window", subject = "w", filter = { metric = "acc",
                                               since = "yesterday" } },
  })
  for i = 1, 2 do
    t.truthy(r[i].error and r[i].error:find(
               "obs.window: the filter names a metric or a kind", 1, true),
             "query " .. i .. " raises")
  end
  t.truthy(r[3].error and r[3].error:find(
             'since "yesterday" is not an RFC 3339 time', 1, true),
           "a bad time raises")
end)

t.case("series: the window's numeric values and their times", function()
  local r = run({ { fn = "series", subject = "w",
                    filter = { metric = "acc", days = 14 } } })
  t.eq(r[1].vs, { 0.2, 0.3 }, "values")
  t.eq(r[1].ts, { T1112, TNOW }, "times")
end)

t.case("latest: the last value up to now and its time", function()
  local r = run({
    { fn = "latest", subject = "w", filter = { metric = "acc" } },
    { fn = "latest", subject = "w", filter = { metric = "acc",
                                               before = "2026-11-12" } },
    { fn = "latest", subject = "w", filter = { metric = "missing" } },
  })
  t.eq(r[1].v, 0.3, "the value at now, not the one after")
  t.eq(r[1].t, TNOW, "its time")
  t.eq(r[2].v, 0.1, "before excludes its own instant")
  t.eq(r[3].v, nil, "no value")
  t.eq(r[3].t, nil, "no time")
end)

t.case("window_start: midnight UTC N days before the date of now", function()
  local now = time.parse("2026-11-26")
  t.eq(obs.window_start(now, 30), time.parse("2026-10-27"), "30 days")
  t.eq(obs.window_start(now + 15 * 3600, 30), time.parse("2026-10-27"),
       "the hour of now does not move it")
  t.eq(obs.window_start(now, 0), now, "0 days: today")
end)
