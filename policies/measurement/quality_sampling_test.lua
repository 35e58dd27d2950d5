-- Tests of measurement.quality-sampling (medium): stage deployment or
-- later and no `quality_score` observation in the last
-- monitoring.sampling_days days (30 when not given). Deployed fewer days
-- ago than that: not yet due.
local t = require "steward.test"

local NOW = "2026-11-26"
-- Before NOW: 14 days = 2026-11-12, 15 = 2026-11-11, 30 = 2026-10-27,
-- 31 = 2026-10-26.

-- A workflow deployed 2026-02-01, in measurement, sampled every
-- `sampling_days` days (nil: not said); `changes` merge in.
local function workflow(sampling_days, changes)
  return t.measured_workflow(t.merge({
    monitoring = { sampling_days = sampling_days },
  }, changes))
end

local function score(at, subject, metric)
  return { at = at, subject = subject or "coding",
           metric = metric or "quality_score", value = 0.91 }
end

local function check_one(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ coding = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("a recent sample passes", function()
  t.none(check_one(workflow(30), { score("2026-11-20") }))
end)

t.case("sampling_days 30: 30 days ago passes, 31 fires", function()
  t.none(check_one(workflow(30), { score("2026-10-27") }))
  local found = check_one(workflow(30), { score("2026-08-20"),
                                          score("2026-10-26") })
  t.expect(found, { {
    policy = "measurement.quality-sampling", subject = "coding",
    severity = "medium", enforcement = "soft-mandatory",
    path = "/workflows/coding/monitoring/sampling_days",
    message = "the last quality_score is from 2026-10-26, 31 days ago "
      .. "(sampling every 30 days)",
  } })
  local e = found[1].evidence
  t.eq(e.last_at, "2026-10-26", "evidence.last_at")
  t.eq(e.days_ago, 31, "evidence.days_ago")
  t.eq(e.sampling_days, 30, "evidence.sampling_days")
  t.eq(e.sampling_declared, true, "evidence.sampling_declared")
  t.eq(e.since, "2026-10-27", "evidence.since")
end)

t.case("one second before the window fires", function()
  t.expect(check_one(workflow(30), { score("2026-10-26T23:59:59Z") }),
           { { subject = "coding" } })
end)

t.case("sampling_days 14: 14 days ago passes, 15 fires", function()
  t.none(check_one(workflow(14), { score("2026-11-12") }))
  t.expect(check_one(workflow(14), { score("2026-11-11") }), { {
    subject = "coding", message = "15 days ago (sampling every 14 days)",
  } })
end)

t.case("without sampling_days the default is 30", function()
  t.none(check_one(workflow(nil), { score("2026-10-27") }))
  local found = check_one(workflow(nil), { score("2026-10-26") })
  t.expect(found, { { subject = "coding",
                      message = "(sampling every 30 days)" } })
  t.eq(found[1].evidence.sampling_declared, false, "sampling_declared")
  -- No monitoring section at all: the default still applies.
  local w = workflow(nil)
  w.monitoring = nil
  t.expect(check_one(w, {}), { {
    subject = "coding", path = "/workflows/coding/monitoring/sampling_days",
  } })
end)

t.case("never sampled fires", function()
  t.expect(check_one(workflow(30), {}), { {
    subject = "coding",
    message = "no quality_score has ever been recorded (sampling every 30 days)",
  } })
end)

t.case("other metrics, subjects and later samples do not count", function()
  t.expect(check_one(workflow(30), {
    score("2026-11-20", "coding", "auto_coding_accuracy"),
    score("2026-11-20", "other"),
    score("2026-11-27"),
    { at = "2026-11-20", kind = "quality_score", subject = "coding",
      value = 0.9 },
  }), { { subject = "coding", message = "no quality_score has ever been recorded" } })
end)

t.case("deployed 29 days ago is not due, 30 days ago is", function()
  t.none(check_one(workflow(30, { deployed_at = "2026-10-28" }), {}))
  t.expect(check_one(workflow(30, { deployed_at = "2026-10-27" }), {}),
           { { subject = "coding" } })
end)

t.case("stage deployment or later", function()
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check_one(workflow(30, { stage = stage }), {}),
             { { subject = "coding" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "retired" }) do
    t.none(check_one(workflow(30, { stage = stage }), {}))
  end
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow(30)
  w.uses = nil
  t.none(check_one(w, {}))
end)

t.case("default_sampling_days and metric are parameters", function()
  t.expect(check_one(workflow(nil), { score("2026-11-01") },
                     { params = { default_sampling_days = 7 } }),
           { { subject = "coding", message = "(sampling every 7 days)" } })
  t.none(check_one(workflow(30), { score("2026-11-20", nil, "human_review") },
                   { params = { metric = "human_review" } }))
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    sampled = workflow(30), stale = workflow(30), biweekly = workflow(14),
    never = workflow(nil), early = workflow(30, { stage = "data" }),
  }), { now = NOW, observations = {
    score("2026-11-02", "sampled"),
    score("2026-08-20", "stale"),
    score("2026-11-17", "biweekly"),
  } }), {
    { subject = "stale", path = "/workflows/stale/monitoring/sampling_days" },
    { subject = "never", path = "/workflows/never/monitoring/sampling_days" },
  })
end)
