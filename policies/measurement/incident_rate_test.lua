-- Tests of measurement.incident-rate (low, advisory, governance layer):
-- incidents in the last 90 days per 1,000 cases, cases being 3 x
-- volume.cases_per_month, above 5 fires; not judged without volume.
local t = require "steward.test"

local NOW = "2026-11-26"
-- 90 days before NOW is 2026-08-28.

local function workflow(cases_per_month, changes)
  return t.healthy_workflow(t.merge({
    volume = { cases_per_month = cases_per_month or 40 },
  }, changes))
end

local function incident(at, subject, severity)
  return { at = at, kind = "incident", subject = subject or "forecast",
           severity = severity or "medium" }
end

local function check(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ forecast = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

-- 40 cases a month: 120 in 90 days; one incident is 8.33 per 1,000.
t.case("one incident in 120 cases fires", function()
  local found = check(workflow(), { incident("2026-10-06") })
  t.expect(found, { {
    policy = "measurement.incident-rate", subject = "forecast",
    severity = "low", enforcement = "advisory", layer = "governance",
    path = "/workflows/forecast/volume/cases_per_month",
    message = "1 incident in the last 90 days at 40 cases a month: 8.333 " ..
              "per 1,000 cases, more than 5; investigate the AI's performance",
  } })
  t.eq(found[1].evidence, { incidents = 1, cases = 120, per_1000 = 8.3333,
                            max_per_1000 = 5, window_days = 90,
                            since = "2026-08-28" }, "evidence")
end)

-- 200 cases a month: 600 in 90 days; 3 incidents are exactly 5 per 1,000.
t.case("exactly 5 per 1,000 passes, one more incident fires", function()
  local three = { incident("2026-09-01"), incident("2026-10-01"),
                  incident("2026-11-01") }
  t.none(check(workflow(200), three))
  local four = { incident("2026-09-01"), incident("2026-10-01"),
                 incident("2026-11-01"), incident("2026-11-02") }
  t.expect(check(workflow(200), four),
           { { subject = "forecast", message = "4 incidents in the last 90 " ..
               "days at 200 cases a month: 6.667 per 1,000 cases" } })
  -- and one case a month more brings it back under: 3 / 603 * 1000 = 4.98
  t.none(check(workflow(201), three))
end)

t.case("every severity counts", function()
  t.expect(check(workflow(), { incident("2026-10-06", nil, "low") }),
           { { subject = "forecast" } })
  t.expect(check(workflow(), { incident("2026-10-06", nil, "critical") }),
           { { subject = "forecast" } })
end)

t.case("no incident passes", function()
  t.none(check(workflow(), {}))
end)

-- The window starts 90 days before now, at midnight, included.
t.case("one day either side of the 90-day window", function()
  t.expect(check(workflow(), { incident("2026-08-28") }),
           { { subject = "forecast" } })
  t.none(check(workflow(), { incident("2026-08-27T23:59:59Z") }))
  t.none(check(workflow(), { incident("2026-11-27") }))
end)

t.case("no volume, or none to divide by: not judged", function()
  local obs = { incident("2026-10-06") }
  local w = workflow()
  w.volume = nil
  t.none(check(w, obs))
  t.none(check(workflow(nil, { volume = { cases_per_month = t.NONE,
                                          peak = 3 } }), obs))
  t.none(check(workflow(0), obs))
end)

t.case("other subjects' incidents and metrics named incident do not count",
       function()
  t.none(check(workflow(), { incident("2026-10-06", "scorer"),
                             { at = "2026-10-06", subject = "forecast",
                               metric = "incident", value = 1 } }))
end)

t.case("retired and model-less workflows are not judged; any stage is",
       function()
  local obs = { incident("2026-10-06") }
  for _, stage in ipairs({ "proposed", "governance", "deployment", "scaling" }) do
    t.expect(check(workflow(nil, { stage = stage }), obs),
             { { subject = "forecast" } })
  end
  t.none(check(workflow(nil, { stage = "retired" }), obs))
  local w = workflow()
  w.uses = nil
  t.none(check(w, obs))
end)

-- The cases follow the window: 40 a month is 40 cases in 30 days.
t.case("the window and the rate are parameters", function()
  local obs = { incident("2026-11-20") }
  t.expect(check(workflow(), obs, { params = { window_days = 30 } }),
           { { subject = "forecast", message = "25 per 1,000 cases" } })
  t.none(check(workflow(), obs, { params = { max_per_1000 = 10 } }))
  t.none(check(workflow(), { incident("2026-06-01") },
               { params = { window_days = 30 } }))
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    small = workflow(40), large = workflow(21000), calm = workflow(40),
  }), { now = NOW, observations = {
    incident("2026-10-06", "small"), incident("2026-10-06", "large"),
    incident("2026-10-07", "large"),
  } }), { { subject = "small" } })
end)
