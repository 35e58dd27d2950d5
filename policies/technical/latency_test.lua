-- Tests of technical.latency (medium, technical layer): a workflow that
-- uses a model, at stage deployment or later, with latency.required_ms
-- set, has a median latency_ms over the last 30 calendar days (today
-- included, nothing after now) no higher than it; at least one observation
-- in the window, else not judged.
local t = require "steward.test"

local NOW = "2026-11-26"
-- 30 days before NOW is 2026-10-27; 31 days is 2026-10-26.

local function workflow(changes)
  return t.healthy_workflow(t.merge({ latency = { required_ms = 250 } },
                                    changes))
end

local function latency(at, value, subject)
  return { at = at, subject = subject or "payments", metric = "latency_ms",
           value = value }
end

local function check(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ payments = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("a median above the requirement fires", function()
  local found = check(workflow(), { latency("2026-11-02", 310),
                                    latency("2026-11-09", 290),
                                    latency("2026-11-16", 240) })
  t.expect(found, { {
    policy = "technical.latency", subject = "payments", severity = "medium",
    enforcement = "soft-mandatory", layer = "technical",
    path = "/workflows/payments/latency/required_ms",
    message = "median latency_ms 290 over the last 30 days (3 observations) " ..
              "is above the 250 ms the work needs",
  } })
  t.eq(found[1].evidence, { median = 290, observations = 3, required_ms = 250,
                            window_days = 30, since = "2026-10-27" },
       "evidence")
end)

-- The median, not the mean: one slow outlier does not fire...
t.case("the median, not the mean, is judged", function()
  t.none(check(workflow(), { latency("2026-11-02", 100),
                             latency("2026-11-09", 120),
                             latency("2026-11-16", 5000) }))
  -- ...and an even count takes the middle two: (240 + 262) / 2 = 251
  t.expect(check(workflow(), { latency("2026-11-02", 240),
                               latency("2026-11-09", 262),
                               latency("2026-11-10", 100),
                               latency("2026-11-16", 900) }),
           { { subject = "payments", message = "median latency_ms 251 " ..
               "over the last 30 days (4 observations)" } })
end)

t.case("a median exactly at the requirement passes", function()
  t.none(check(workflow(), { latency("2026-11-20", 250) }))
  t.none(check(workflow(), { latency("2026-11-19", 240),
                             latency("2026-11-20", 260) }))
  t.expect(check(workflow(), { latency("2026-11-20", 250.5) }),
           { { subject = "payments", message = "(1 observation) is above" } })
end)

t.case("no observation in the window: not judged", function()
  t.none(check(workflow(), {}))
  t.none(check(workflow(), { latency("2026-10-26T23:59:59Z", 900) }))
end)

-- The window starts 30 days before now, at midnight, included.
t.case("one day either side of the window", function()
  t.expect(check(workflow(), { latency("2026-10-27", 900) }),
           { { subject = "payments" } })
  t.none(check(workflow(), { latency("2026-10-26", 900),
                             latency("2026-11-20", 200) }))
  t.expect(check(workflow(), { latency("2026-10-27", 900) },
                 { now = "2026-11-26T23:59:59Z" }),
           { { subject = "payments" } })
end)

t.case("observations after now do not count", function()
  t.none(check(workflow(), { latency("2026-11-20", 200),
                             latency("2026-11-27", 900),
                             latency("2026-11-28", 900) }))
end)

t.case("other subjects and other metrics do not count", function()
  t.none(check(workflow(), { latency("2026-11-20", 900, "scorer"),
                             { at = "2026-11-20", subject = "payments",
                               metric = "latency_p95_ms", value = 900 } }))
end)

t.case("no latency.required_ms: not judged", function()
  local slow = { latency("2026-11-20", 900) }
  local w = workflow()
  w.latency = nil
  t.none(check(w, slow))
  t.none(check(workflow({ latency = { required_ms = t.NONE,
                                      target = "fast" } }), slow))
end)

t.case("stage deployment or later; earlier stages are not judged", function()
  local slow = { latency("2026-11-20", 900) }
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check(workflow({ stage = stage }), slow), { { subject = "payments" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "retired" }) do
    t.none(check(workflow({ stage = stage }), slow))
  end
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow()
  w.uses = nil
  t.none(check(w, { latency("2026-11-20", 900) }))
end)

t.case("the window is a parameter", function()
  local old = { latency("2026-10-01", 900) }
  t.none(check(workflow(), old))
  t.expect(check(workflow(), old, { params = { window_days = 60 } }),
           { { subject = "payments", message = "over the last 60 days" } })
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    slow = workflow(),
    fast = workflow(),
    lenient = workflow({ latency = { required_ms = 2000 } }),
    unstated = workflow({ latency = t.NONE }),
  }), { now = NOW, observations = {
    latency("2026-11-20", 400, "slow"), latency("2026-11-20", 120, "fast"),
    latency("2026-11-20", 400, "lenient"), latency("2026-11-20", 400, "unstated"),
  } }), { { subject = "slow" } })
end)
