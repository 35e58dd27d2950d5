-- Tests of adoption.cliff: the mean `adherence` (or, for a workflow with no
-- adherence at all, `usage`) in the last 30 days is more than 25% below its
-- mean in the first 30 days after deployed_at, with at least one
-- observation in each window.
--
-- deployed_at 2026-02-01: the first window is [2026-02-01, 2026-03-03).
-- now 2026-11-26: the last window is [2026-10-27, 2026-11-26].
local t = require "steward.test"

local NOW = "2026-11-26"

-- A healthy workflow deployed 2026-02-01, in measurement; changes merge in.
local workflow = t.measured_workflow

local function obs(at, value, metric, subject)
  return { at = at, subject = subject or "drafting",
           metric = metric or "adherence", value = value }
end

local function check_one(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ drafting = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("steady adherence passes", function()
  t.none(check_one(workflow(), { obs("2026-02-02", 0.96),
                                 obs("2026-11-09", 0.97) }))
end)

t.case("fires when adherence falls more than 25%", function()
  local found = check_one(workflow(), {
    obs("2026-02-02", 0.9), obs("2026-02-20", 0.92),   -- first: 0.91
    obs("2026-06-01", 0.7),                             -- between: ignored
    obs("2026-11-09", 0.52), obs("2026-11-23", 0.48),  -- last: 0.5
  })
  t.expect(found, { {
    policy = "adoption.cliff", subject = "drafting", severity = "high",
    enforcement = "soft-mandatory", path = "/workflows/drafting/deployed_at",
    message = "adherence fell 45.05%, from a mean of 0.91 in the first 30 "
      .. "days after deployment to 0.5 in the last 30 days (more than 25%)",
  } })
  local e = found[1].evidence
  t.eq(e.metric, "adherence", "evidence.metric")
  t.eq(e.first_window.n, 2, "first_window.n")
  t.eq(e.first_window.from, "2026-02-01", "first_window.from")
  t.eq(e.first_window.before, "2026-03-03", "first_window.before")
  t.truthy(math.abs(e.first_window.mean - 0.91) < 1e-12, "first_window.mean")
  t.eq(e.last_window.n, 2, "last_window.n")
  t.eq(e.last_window.from, "2026-10-27", "last_window.from")
  t.eq(e.last_window.to, "2026-11-26", "last_window.to")
  t.eq(e.last_window.mean, 0.5, "last_window.mean")
  t.eq(e.max_drop, 0.25, "evidence.max_drop")
end)

-- Exactly 25% below is not "more than 25%".
t.case("exactly 25% below passes, just more fires", function()
  t.none(check_one(workflow(), { obs("2026-02-02", 1.0),
                                 obs("2026-11-23", 0.75) }))
  t.expect(check_one(workflow(), { obs("2026-02-02", 1.0),
                                   obs("2026-11-23", 0.7499) }),
           { { subject = "drafting", message = "fell 25.01%" } })
end)

-- 0.6 is 0.8 * 0.75 exactly in decimal, not in binary: still not "more".
t.case("exactly 25% below in decimal values passes", function()
  t.none(check_one(workflow(), { obs("2026-02-02", 0.8),
                                 obs("2026-11-23", 0.6) }))
  t.none(check_one(workflow(), { obs("2026-02-02", 0.9), obs("2026-02-12", 0.7),
                                 obs("2026-11-23", 0.6) }))
end)

t.case("a rise passes", function()
  t.none(check_one(workflow(), { obs("2026-02-02", 0.5),
                                 obs("2026-11-23", 0.9) }))
end)

t.case("needs an observation in each window", function()
  t.none(check_one(workflow(), { obs("2026-02-02", 0.9) }))
  t.none(check_one(workflow(), { obs("2026-11-23", 0.1) }))
  t.none(check_one(workflow(), { obs("2026-06-01", 0.9),
                                 obs("2026-11-23", 0.1) }))
end)

-- The first window ends 30 days after deployed_at, excluded.
t.case("first window: day 29 counts, day 30 does not", function()
  t.expect(check_one(workflow(), { obs("2026-03-02T23:59:59Z", 0.9),
                                   obs("2026-11-23", 0.5) }),
           { { subject = "drafting" } })
  t.none(check_one(workflow(), { obs("2026-03-03", 0.9),
                                 obs("2026-11-23", 0.5) }))
end)

-- Pilot data before deployment is not the launch.
t.case("observations before deployed_at are not in the first window",
       function()
  t.none(check_one(workflow(), { obs("2026-01-31", 0.9),
                                 obs("2026-11-23", 0.5) }))
  t.expect(check_one(workflow(), { obs("2026-01-31", 0.1),
                                   obs("2026-02-01", 0.9),
                                   obs("2026-11-23", 0.5) }),
           { { subject = "drafting", message = "from a mean of 0.9 " } })
end)

-- The last window starts exactly 30 days before now, included.
t.case("last window: 30 days before now counts, a second earlier does not",
       function()
  t.expect(check_one(workflow(), { obs("2026-02-02", 0.9),
                                   obs("2026-10-27", 0.5) }),
           { { subject = "drafting" } })
  t.none(check_one(workflow(), { obs("2026-02-02", 0.9),
                                 obs("2026-10-26T23:59:59Z", 0.5) }))
end)

t.case("observations after now are ignored", function()
  t.none(check_one(workflow(), { obs("2026-02-02", 0.9),
                                 obs("2026-11-20", 0.9),
                                 obs("2026-11-27", 0.1) }))
end)

t.case("without adherence, the usage metric is judged", function()
  local found = check_one(workflow(), {
    obs("2026-02-10", 1200, "usage"), obs("2026-11-20", 800, "usage"),
  })
  t.expect(found, { { subject = "drafting", message = "usage fell 33.33%" } })
  t.eq(found[1].evidence.metric, "usage", "evidence.metric")
  t.none(check_one(workflow(), { obs("2026-02-10", 1200, "usage"),
                                 obs("2026-11-20", 900, "usage") }))
end)

-- Adherence, wherever it is, is the measure; usage is only the fallback.
t.case("adherence anywhere wins over usage", function()
  t.none(check_one(workflow(), {
    obs("2026-06-01", 0.9),
    obs("2026-02-10", 1200, "usage"), obs("2026-11-20", 100, "usage"),
  }))
  t.expect(check_one(workflow(), {
    obs("2026-02-10", 0.9), obs("2026-11-20", 0.6),
    obs("2026-02-10", 1200, "usage"), obs("2026-11-20", 1300, "usage"),
  }), { { subject = "drafting", message = "adherence fell" } })
end)

-- A usage record (kind usage) is indexed by model and is not the metric.
t.case("usage records of a model are not the workflow's usage metric",
       function()
  t.none(check_one(workflow(), {
    { at = "2026-02-10", kind = "usage", model = "scorer",
      caller = "drafting", count = 1200 },
    { at = "2026-11-20", kind = "usage", model = "scorer",
      caller = "drafting", count = 10 },
  }))
end)

t.case("a first-window mean of zero is not judged", function()
  t.none(check_one(workflow(), { obs("2026-02-02", 0),
                                 obs("2026-11-23", 0) }))
end)

t.case("no deployed_at, or deployed after now: not judged", function()
  local o = { obs("2026-02-02", 0.9), obs("2026-11-23", 0.1) }
  local w = workflow()
  w.deployed_at = nil
  t.none(check_one(w, o))
  t.none(check_one(workflow({ deployed_at = "2026-12-01" }), o))
end)

t.case("retired and model-free workflows are not judged", function()
  local o = { obs("2026-02-02", 0.9), obs("2026-11-23", 0.1) }
  local manual = workflow()
  manual.uses = nil
  t.none(check_one(workflow({ stage = "retired" }), o))
  t.none(check_one(manual, o))
end)

t.case("window_days and max_drop are parameters", function()
  local o = { obs("2026-02-02", 1.0), obs("2026-11-23", 0.6) }
  t.none(check_one(workflow(), o, { params = { max_drop = 0.4 } }))
  t.expect(check_one(workflow(), o, { params = { max_drop = 0.3999 } }),
           { { subject = "drafting", message = "(more than 39.99%)" } })
  -- A 10-day window: 2026-11-15 is outside the last window.
  t.none(check_one(workflow(), { obs("2026-02-02", 1.0),
                                 obs("2026-11-15", 0.1) },
                   { params = { window_days = 10 } }))
end)

-- Deployed recently: the two windows overlap and see the same values.
t.case("a workflow deployed 20 days ago compares overlapping windows",
       function()
  t.none(check_one(workflow({ deployed_at = "2026-11-06" }),
                   { obs("2026-11-07", 0.9), obs("2026-11-20", 0.3) }))
end)

t.case("several workflows give exactly the expected findings", function()
  local retired = workflow({ stage = "retired" })
  t.expect(t.check(t.registry({
    falling = workflow(), steady = workflow(), bound = workflow(),
    retired = retired,
  }), { now = NOW, observations = {
    obs("2026-02-02", 0.9, nil, "falling"), obs("2026-11-23", 0.49, nil, "falling"),
    obs("2026-02-02", 0.96, nil, "steady"), obs("2026-11-23", 0.97, nil, "steady"),
    obs("2026-02-02", 0.8, nil, "bound"), obs("2026-11-23", 0.6, nil, "bound"),
    obs("2026-02-02", 0.9, nil, "retired"), obs("2026-11-23", 0.1, nil, "retired"),
  } }), {
    { subject = "falling", path = "/workflows/falling/deployed_at" },
  })
end)
