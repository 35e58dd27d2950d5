-- Tests of measurement.override-rate: over the `override` records (count
-- of of cases) of the last 90 days, once `of` sums to at least 100, a rate
-- below 1% is medium (over-reliance) and above 25% is high. 1% and 25%
-- themselves pass.
local t = require "steward.test"

local NOW = "2026-11-26"
-- 90 days before NOW is 2026-08-28.

local function workflow(changes)
  return t.healthy_workflow(t.merge({ stage = "measurement",
                                      deployed_at = "2026-01-05" }, changes))
end

local function override(at, count, of, subject)
  return { at = at, kind = "override", subject = subject or "refunds",
           count = count, of = of }
end

local function check_one(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ refunds = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("a healthy rate passes", function()
  t.none(check_one(workflow(), { override("2026-10-01", 1510, 38200),
                                 override("2026-11-01", 1480, 37900) }))
end)

t.case("above 25% is high", function()
  local found = check_one(workflow(), {
    override("2026-09-01", 1590, 5330), override("2026-10-01", 1680, 5460),
    override("2026-11-01", 1650, 5420),
  })
  t.expect(found, { {
    policy = "measurement.override-rate", subject = "refunds",
    severity = "high", enforcement = "soft-mandatory",
    message = "overrides were 30.35% of cases in the last 90 days "
      .. "(4920 of 16210), above 25%: the AI or the workflow design is "
      .. "failing people",
  } })
  local e = found[1].evidence
  t.eq(e.overrides, 4920, "evidence.overrides")
  t.eq(e.cases, 16210, "evidence.cases")
  t.eq(e.rate, 4920 / 16210, "evidence.rate")
  t.eq(e.records, 3, "evidence.records")
  t.eq(e.since, "2026-08-28", "evidence.since")
  t.eq(e.window_days, 90, "evidence.window_days")
  t.eq(found[1].path, nil, "no path")
end)

t.case("below 1% is medium", function()
  local found = check_one(workflow(), { override("2026-10-01", 0, 21600),
                                        override("2026-11-01", 0, 21040) })
  t.expect(found, { {
    policy = "measurement.override-rate", subject = "refunds",
    severity = "medium",
    message = "overrides were 0% of cases in the last 90 days "
      .. "(0 of 42640), below 1%: possible over-reliance on the AI",
  } })
  t.eq(found[1].evidence.rate, 0, "evidence.rate")
end)

t.case("exactly 1% passes, just below fires", function()
  t.none(check_one(workflow(), { override("2026-11-01", 1, 100) }))
  t.none(check_one(workflow(), { override("2026-11-01", 100, 10000) }))
  t.expect(check_one(workflow(), { override("2026-11-01", 99, 10000) }),
           { { subject = "refunds", severity = "medium",
               message = "overrides were 0.99% of cases" } })
end)

t.case("exactly 25% passes, just above fires", function()
  t.none(check_one(workflow(), { override("2026-11-01", 25, 100) }))
  t.none(check_one(workflow(), { override("2026-11-01", 2500, 10000) }))
  t.expect(check_one(workflow(), { override("2026-11-01", 2501, 10000) }),
           { { subject = "refunds", severity = "high",
               message = "overrides were 25.01% of cases" } })
end)

-- The rate is over the sum of cases, across records.
t.case("of summing to 99 is too few, 100 is enough", function()
  t.none(check_one(workflow(), { override("2026-10-01", 0, 50),
                                 override("2026-11-01", 0, 49) }))
  t.expect(check_one(workflow(), { override("2026-10-01", 0, 50),
                                   override("2026-11-01", 0, 50) }),
           { { subject = "refunds", severity = "medium",
               message = "(0 of 100)" } })
  t.none(check_one(workflow(), { override("2026-11-01", 90, 99) }))
  t.expect(check_one(workflow(), { override("2026-11-01", 90, 100) }),
           { { subject = "refunds", severity = "high" } })
end)

t.case("the rate pools the records, it is not a mean of rates", function()
  -- 50% of 100 and 0.5% of 10000: pooled 150 of 10100 = 1.49%.
  t.none(check_one(workflow(), { override("2026-10-01", 50, 100),
                                 override("2026-11-01", 100, 10000) }))
end)

-- The window starts 90 days before now, included.
t.case("a record just outside the 90-day window is ignored", function()
  local inside = { override("2026-08-28", 0, 60),
                   override("2026-11-01", 0, 60) }
  local outside = { override("2026-08-27T23:59:59Z", 0, 60),
                    override("2026-11-01", 0, 60) }
  t.expect(check_one(workflow(), inside),
           { { subject = "refunds", message = "(0 of 120)" } })
  t.none(check_one(workflow(), outside))
  -- An old bad month no longer counts once the recent ones are healthy.
  t.none(check_one(workflow(), { override("2026-08-01", 900, 1000),
                                 override("2026-11-01", 40, 1000) }))
end)

t.case("records after now are ignored", function()
  t.none(check_one(workflow(), { override("2026-11-01", 40, 1000),
                                 override("2026-11-27", 900, 1000) }))
end)

t.case("no override records, no finding", function()
  t.none(check_one(workflow(), {}))
  t.none(check_one(workflow(), {
    { at = "2026-11-01", subject = "refunds", metric = "override",
      value = 0 },
  }))
end)

t.case("other subjects' records do not count", function()
  t.none(check_one(workflow(), { override("2026-11-01", 0, 1000, "other") }))
end)

t.case("retired and model-free workflows are not judged", function()
  local o = { override("2026-11-01", 900, 1000) }
  local manual = workflow()
  manual.uses = nil
  t.none(check_one(workflow({ stage = "retired" }), o))
  t.none(check_one(manual, o))
end)

t.case("window_days, min_cases, low and high are parameters", function()
  local o = { override("2026-11-01", 5, 100) }            -- 5%
  t.expect(check_one(workflow(), o, { params = { low = 0.06 } }),
           { { subject = "refunds", severity = "medium",
               message = "below 6%" } })
  t.expect(check_one(workflow(), o, { params = { high = 0.04 } }),
           { { subject = "refunds", severity = "high",
               message = "above 4%" } })
  t.none(check_one(workflow(), { override("2026-11-01", 0, 100) },
                   { params = { min_cases = 101 } }))
  t.none(check_one(workflow(), { override("2026-10-25", 0, 100) },
                   { params = { window_days = 30 } }))
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    quiet = workflow(), busy = workflow(), fine = workflow(),
    few = workflow(), retired = workflow({ stage = "retired" }),
  }), { now = NOW, observations = {
    override("2026-11-01", 0, 21000, "quiet"),
    override("2026-11-01", 1650, 5420, "busy"),
    override("2026-11-01", 58, 884, "fine"),
    override("2026-11-01", 0, 99, "few"),
    override("2026-11-01", 0, 5000, "retired"),
  } }), {
    { subject = "quiet", severity = "medium" },
    { subject = "busy", severity = "high" },
  })
end)
