-- Tests of measurement.outcomes (low, advisory, governance layer): at stage
-- measurement or scaling, a workflow that uses a model has outcome.metric,
-- observed in the last 90 days.
local t = require "steward.test"

local NOW = "2026-11-26"
-- 90 days before NOW is 2026-08-28.

local function workflow(changes)
  return t.measured_workflow(t.merge({
    outcome = { metric = "win_rate" },
  }, changes))
end

local function win(at, subject)
  return { at = at, subject = subject or "leads", metric = "win_rate",
           value = 0.31 }
end

local function check(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ leads = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("an outcome metric observed in the window passes", function()
  t.none(check(workflow(), { win("2026-11-01") }))
end)

t.case("no outcome.metric fires", function()
  local found = check(workflow({ outcome = t.NONE }), {})
  t.expect(found, { {
    policy = "measurement.outcomes", subject = "leads", severity = "low",
    enforcement = "advisory", layer = "governance",
    path = "/workflows/leads/outcome",
    message = "no outcome.metric: the quality of the decisions downstream " ..
              "is not measured",
  } })
  t.eq(found[1].evidence, nil, "no evidence")
  t.expect(check(workflow({ outcome = { metric = t.NONE, owner = "x" } }), {}),
           { { subject = "leads", path = "/workflows/leads/outcome/metric" } })
  t.expect(check(workflow({ outcome = { metric = "" } }), {}),
           { { subject = "leads", message = "no outcome.metric" } })
end)

t.case("a metric never observed fires", function()
  local found = check(workflow(), {})
  t.expect(found, { {
    subject = "leads", path = "/workflows/leads/outcome/metric",
    message = "outcome metric win_rate was not observed in the last 90 days " ..
              "(never): the quality of the decisions downstream is not measured",
  } })
  t.eq(found[1].evidence, { metric = "win_rate", window_days = 90,
                            since = "2026-08-28" }, "evidence")
end)

t.case("a metric last observed before the window fires, saying when",
       function()
  local found = check(workflow(), { win("2026-07-31") })
  t.expect(found, { { subject = "leads",
                      message = "(last on 2026-07-31)" } })
  t.eq(found[1].evidence.last_at, "2026-07-31", "evidence.last_at")
end)

-- The window starts 90 days before now, at midnight, included.
t.case("one day either side of the 90-day window", function()
  t.none(check(workflow(), { win("2026-08-28") }))
  t.expect(check(workflow(), { win("2026-08-27T23:59:59Z") }),
           { { subject = "leads" } })
  t.none(check(workflow(), { win("2026-08-28") },
               { now = "2026-11-26T23:59:59Z" }))
end)

t.case("observations after now, of others or of other metrics, do not count",
       function()
  t.expect(check(workflow(), { win("2026-11-27") }), { { subject = "leads" } })
  t.expect(check(workflow(), { win("2026-11-01", "scorer") }),
           { { subject = "leads" } })
  t.expect(check(workflow(), { { at = "2026-11-01", subject = "leads",
                                 metric = "qualified_to_won", value = 0.2 },
                               { at = "2026-11-01", subject = "leads",
                                 kind = "win_rate" } }),
           { { subject = "leads" } })
end)

t.case("stage measurement or scaling; earlier stages are not judged", function()
  for _, stage in ipairs({ "measurement", "scaling" }) do
    t.expect(check(workflow({ stage = stage }), {}), { { subject = "leads" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "retired" }) do
    t.none(check(workflow({ stage = stage }), {}))
  end
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow()
  w.uses = nil
  t.none(check(w, {}))
end)

t.case("the window is a parameter", function()
  t.none(check(workflow(), { win("2026-07-31") },
               { params = { window_days = 180 } }))
  t.expect(check(workflow(), { win("2026-11-01") },
                 { params = { window_days = 7 } }),
           { { subject = "leads", message = "in the last 7 days" } })
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    measured = workflow(), unmeasured = workflow({ outcome = t.NONE }),
    lapsed = workflow(), deployed = workflow({ stage = "deployment",
                                               outcome = t.NONE }),
  }), { now = NOW, observations = { win("2026-11-01", "measured"),
                                    win("2026-06-01", "lapsed") } }), {
    { subject = "unmeasured", path = "/workflows/unmeasured/outcome" },
    { subject = "lapsed", path = "/workflows/lapsed/outcome/metric" },
  })
end)
