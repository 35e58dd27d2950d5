-- Tests of measurement.silent-governance (medium): stage deployment or
-- later, deployed more than 180 days ago, volume.cases_per_month at least
-- 1000, and not one incident nor one override (a record with count > 0) in
-- the last 180 days.
local t = require "steward.test"

local NOW = "2026-11-26"
-- 180 days before NOW is 2026-05-30; 181 days is 2026-05-29.

local function workflow(changes)
  return t.healthy_workflow(t.merge({
    stage = "measurement", deployed_at = "2026-03-16",
    volume = { cases_per_month = 21000 },
  }, changes))
end

local function override(at, count, of, subject)
  return { at = at, kind = "override", subject = subject or "matching",
           count = count, of = of or 20000 }
end

local function incident(at, subject)
  return { at = at, kind = "incident", subject = subject or "matching",
           severity = "low", note = "a false hold" }
end

local function check_one(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ matching = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("fires for a busy workflow with no incident and no override", function()
  local found = check_one(workflow(), {})
  t.expect(found, { {
    policy = "measurement.silent-governance", subject = "matching",
    severity = "medium", enforcement = "soft-mandatory",
    message = "no incident and no override in the last 180 days at 21000 "
      .. "cases a month, deployed 255 days ago",
  } })
  local e = found[1].evidence
  t.eq(e.cases_per_month, 21000, "evidence.cases_per_month")
  t.eq(e.deployed_at, "2026-03-16", "evidence.deployed_at")
  t.eq(e.deployed_days, 255, "evidence.deployed_days")
  t.eq(e.since, "2026-05-30", "evidence.since")
  t.eq(found[1].path, nil, "no path")
end)

-- Zero-count override records say overrides are possible but never used:
-- that is the silence this policy is about.
t.case("override records with a count of 0 are still silence", function()
  local found = check_one(workflow(), { override("2026-10-01", 0),
                                        override("2026-11-01", 0) })
  t.expect(found, { { subject = "matching" } })
  t.eq(found[1].evidence.override_records, 2, "evidence.override_records")
  t.eq(found[1].evidence.override_cases, 40000, "evidence.override_cases")
end)

t.case("one override in the window passes", function()
  t.none(check_one(workflow(), { override("2026-10-01", 0),
                                 override("2026-11-01", 1) }))
end)

t.case("one incident in the window passes", function()
  t.none(check_one(workflow(), { incident("2026-11-20T08:00:00Z") }))
end)

-- The window starts 180 days before now, included.
t.case("an incident or override just outside the window does not count",
       function()
  t.none(check_one(workflow(), { incident("2026-05-30") }))
  t.none(check_one(workflow(), { override("2026-05-30", 3) }))
  t.expect(check_one(workflow(), { incident("2026-05-29T23:59:59Z") }),
           { { subject = "matching" } })
  t.expect(check_one(workflow(), { override("2026-05-29T23:59:59Z", 3) }),
           { { subject = "matching" } })
end)

t.case("incidents and overrides after now do not count", function()
  t.expect(check_one(workflow(), { incident("2026-11-27"),
                                   override("2026-11-27", 5) }),
           { { subject = "matching" } })
end)

-- "More than 180 days ago", in calendar days.
t.case("deployed exactly 180 days ago passes, 181 fires", function()
  t.none(check_one(workflow({ deployed_at = "2026-05-30" }), {}))
  t.expect(check_one(workflow({ deployed_at = "2026-05-29" }), {}),
           { { subject = "matching", message = "deployed 181 days ago" } })
  t.none(check_one(workflow({ deployed_at = "2026-05-30" }), {},
                   { now = "2026-11-26T23:59:59Z" }))
end)

t.case("999 cases a month passes, 1000 fires", function()
  t.none(check_one(workflow({ volume = { cases_per_month = 999 } }), {}))
  t.expect(check_one(workflow({ volume = { cases_per_month = 1000 } }), {}),
           { { subject = "matching", message = "at 1000 cases a month" } })
end)

t.case("stage deployment or later", function()
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check_one(workflow({ stage = stage }), {}),
             { { subject = "matching" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "retired" }) do
    t.none(check_one(workflow({ stage = stage }), {}))
  end
end)

t.case("no deployed_at or no volume: not judged", function()
  local w = workflow()
  w.deployed_at = nil
  t.none(check_one(w, {}))
  w = workflow()
  w.volume = nil
  t.none(check_one(w, {}))
  t.none(check_one(workflow({ volume = { cases_per_month = t.NONE,
                                                peak_per_day = 900 } }), {}))
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow()
  w.uses = nil
  t.none(check_one(w, {}))
end)

-- The rule is about the workflow's own records.
t.case("other subjects' incidents and overrides do not count", function()
  t.expect(check_one(workflow(), { incident("2026-11-01", "scorer"),
                                   override("2026-11-01", 40, 100, "other") }),
           { { subject = "matching" } })
end)

-- A metric that happens to be named "incident" is not an incident record.
t.case("a metric named incident is not an incident", function()
  t.expect(check_one(workflow(), {
    { at = "2026-11-01", subject = "matching", metric = "incident", value = 1 },
  }), { { subject = "matching" } })
end)

t.case("the thresholds are parameters", function()
  t.none(check_one(workflow(), {},
                   { params = { min_cases_per_month = 21001 } }))
  t.none(check_one(workflow(), {}, { params = { deployed_days = 255 } }))
  t.expect(check_one(workflow(), {}, { params = { deployed_days = 254 } }),
           { { subject = "matching" } })
  -- A 300-day window reaches an incident from March.
  t.none(check_one(workflow(), { incident("2026-03-20") },
                   { params = { window_days = 300 } }))
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    quiet = workflow(),
    overridden = workflow(),
    small = workflow({ volume = { cases_per_month = 500 } }),
    young = workflow({ deployed_at = "2026-09-01" }),
    early = workflow({ stage = "redesign" }),
  }), { now = NOW, observations = {
    override("2026-11-01", 0, 21000, "quiet"),
    override("2026-11-01", 12, 21000, "overridden"),
  } }), {
    { subject = "quiet" },
  })
end)
