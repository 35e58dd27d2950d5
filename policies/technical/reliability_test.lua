-- Tests of technical.reliability: the mean of a model's or AI workflow's
-- error_rate observations over the last 30 calendar days (today included,
-- nothing after now) must not exceed 0.05, and neither may the share of
-- its `run` observations that failed or were aborted, once there are 10
-- runs in the window. Subjects: models, and workflows that use one and are
-- not retired.
local t = require "steward.test"

local function registry(stage)
  return {
    models = { scorer = { version = "1" } },
    workflows = {
      intake = { stage = stage or "deployment", uses = { "scorer" } },
      manual = { stage = "deployment" },
    },
  }
end

local function err(at, subject, value)
  return { at = at, subject = subject, metric = "error_rate", value = value }
end

local function check(observations, stage, now)
  return t.check(registry(stage), { now = now or "2026-11-26",
                                    observations = observations })
end

t.case("no observations, no finding", function()
  t.none(check({}))
end)

t.case("a mean of exactly 0.05 passes", function()
  t.none(check({ err("2026-11-20", "scorer", 0.05) }))
  t.none(check({ err("2026-11-20", "scorer", 0.04),
                 err("2026-11-21", "scorer", 0.06) }))
  t.none(check({ err("2026-11-20", "scorer", 0.01), err("2026-11-21", "scorer", 0.02),
                 err("2026-11-22", "scorer", 0.12) }))
end)

t.case("a mean above 0.05 fires, for a model", function()
  local found = check({ err("2026-11-20", "scorer", 0.05),
                        err("2026-11-21", "scorer", 0.0502) })
  t.expect(found, { {
    policy = "technical.reliability", subject = "scorer", severity = "high",
    message = "mean error_rate 0.0501 over the last 30 days (2 observations) "
              .. "is above 0.05",
  } })
  t.eq(found[1].evidence.observations, 2, "evidence.observations")
  t.eq(found[1].evidence.max_error_rate, 0.05, "evidence.max_error_rate")
end)

t.case("a mean above 0.05 fires, for a workflow", function()
  t.expect(check({ err("2026-11-20", "intake", 0.2) }),
           { { subject = "intake", message = "mean error_rate 0.2" } })
end)

t.case("one bad day among good ones is judged by the mean", function()
  t.none(check({ err("2026-11-01", "scorer", 0.2), err("2026-11-02", "scorer", 0.0),
                 err("2026-11-03", "scorer", 0.0), err("2026-11-04", "scorer", 0.0) }))
  t.expect(check({ err("2026-11-01", "scorer", 0.21), err("2026-11-02", "scorer", 0.0),
                   err("2026-11-03", "scorer", 0.0), err("2026-11-04", "scorer", 0.0) }),
           { { subject = "scorer" } })
end)

t.case("an observation 31 days old is excluded, 30 days old included", function()
  t.none(check({ err("2026-10-26", "scorer", 0.9),
                 err("2026-11-20", "scorer", 0.01) }))
  t.none(check({ err("2026-10-26T23:59:59Z", "scorer", 0.9) }))
  t.expect(check({ err("2026-10-27", "scorer", 0.9),
                   err("2026-11-20", "scorer", 0.01) }),
           { { subject = "scorer", message = "(2 observations)" } })
end)

t.case("the window is in calendar days, whatever the hour of now", function()
  for _, now in ipairs({ "2026-11-26T00:00:00Z", "2026-11-26T23:59:59Z" }) do
    t.expect(check({ err("2026-10-27", "scorer", 0.9) }, nil, now),
             { { subject = "scorer" } })
    t.none(check({ err("2026-10-26", "scorer", 0.9) }, nil, now))
  end
end)

t.case("observations after now do not count", function()
  t.none(check({ err("2026-11-27", "scorer", 0.9) }))
  t.none(check({ err("2026-11-26T00:00:01Z", "scorer", 0.9) }, nil,
               "2026-11-26T00:00:00Z"))
  t.expect(check({ err("2026-11-26", "scorer", 0.9) }), { { subject = "scorer" } })
end)

t.case("other metrics and other subjects do not count", function()
  t.none(check({ { at = "2026-11-20", subject = "scorer", metric = "psi", value = 0.9 },
                 err("2026-11-20", "someone-else", 0.9) }))
end)

t.case("a retired workflow, or one without a model, is skipped", function()
  t.none(check({ err("2026-11-20", "intake", 0.9) }, "retired"))
  t.none(check({ err("2026-11-20", "manual", 0.9) }))
end)

t.case("every non-retired stage of an AI workflow is judged", function()
  for _, stage in ipairs({ "proposed", "data", "scaling" }) do
    t.expect(check({ err("2026-11-20", "intake", 0.9) }, stage),
             { { subject = "intake" } })
  end
end)

t.case("params move the threshold and the window", function()
  local obs = { err("2026-11-01", "scorer", 0.03), err("2026-11-20", "scorer", 0.03) }
  t.expect(t.check(registry(), { now = "2026-11-26", observations = obs,
                                 params = { max_error_rate = 0.02 } }),
           { { subject = "scorer", message = "is above 0.02" } })
  t.none(t.check(registry(), { now = "2026-11-26",
    observations = { err("2026-11-01", "scorer", 0.9), err("2026-11-20", "scorer", 0.01) },
    params = { window_days = 7 } }))
end)

-- {=== Runs from lineage: the failure rate =============================== }

-- n run records of subject, one a day back from `last` (a date), the
-- first `bad` of them with status `status` (fail unless said).
local function runs(subject, n, bad, status, last)
  local out = {}
  local day = 86400
  local t0 = os.time({ year = 2026, month = 11, day = last or 26, hour = 0 })
  for i = 1, n do
    local at = os.date("!%Y-%m-%dT%H:%M:%SZ", t0 - (i - 1) * day)
    out[#out + 1] = { at = at, kind = "run", subject = subject,
                      status = i <= bad and (status or "fail") or "complete",
                      run_id = "r" .. i, duration_s = 60,
                      error = i <= bad and "boom" or nil }
  end
  return out
end

t.case("a workflow whose runs fail more than 5% fires, keyed apart", function()
  local found = check(runs("intake", 20, 2))
  t.expect(found, { {
    policy = "technical.reliability", subject = "intake", severity = "high",
    key = "failure rate", path = nil,
    message = "2 of 20 runs over the last 30 days failed or were aborted "
              .. "(rate 0.1), above 0.05",
  } })
  local ev = found[1].evidence
  t.eq(ev.runs, 20, "runs")
  t.eq(ev.failed, 2, "failed")
  t.eq(ev.aborted, 0, "aborted")
  t.eq(ev.min_runs, 10, "min_runs")
  t.eq(ev.last_failure.status, "fail", "last failure")
  t.eq(ev.last_failure.error, "boom", "its error")
end)

t.case("exactly 5% failed passes; aborted runs count as failures", function()
  t.none(check(runs("intake", 20, 1)))
  t.expect(check(runs("intake", 20, 2, "abort")),
           { { subject = "intake", key = "failure rate",
               message = "2 of 20 runs" } })
end)

t.case("fewer than min_runs runs are not judged", function()
  t.none(check(runs("intake", 9, 9)))
  t.expect(check(runs("intake", 10, 1)),
           { { subject = "intake", message = "1 of 10 runs" } })
end)

t.case("runs outside the window or after now do not count", function()
  -- 20 completed runs up to now; 5 failures 31 days before now, 5 after it.
  local obs = runs("intake", 20, 0)
  for i = 1, 5 do
    obs[#obs + 1] = { at = "2026-10-26T12:00:00Z", kind = "run",
                      subject = "intake", status = "fail", run_id = "old" .. i }
    obs[#obs + 1] = { at = "2026-11-27", kind = "run", subject = "intake",
                      status = "fail", run_id = "late" .. i }
  end
  t.none(check(obs))
  -- Failures 30 days back are in the window: 2 of 22 runs.
  for i = 1, 2 do
    obs[#obs + 1] = { at = "2026-10-27", kind = "run", subject = "intake",
                      status = "fail", run_id = "edge" .. i }
  end
  t.expect(check(obs), { { subject = "intake", message = "2 of 22 runs" } })
  t.none(t.check(registry(), { now = "2026-11-26", observations = obs,
                               params = { window_days = 7 } }))
end)

t.case("both measures fire side by side, each its own finding", function()
  local obs = runs("scorer", 10, 5)
  obs[#obs + 1] = err("2026-11-20", "scorer", 0.5)
  t.expect(check(obs), {
    { subject = "scorer", message = "mean error_rate 0.5" },
    { subject = "scorer", key = "failure rate", message = "5 of 10 runs" },
  })
end)

t.case("params move the failure threshold and the minimum", function()
  t.none(t.check(registry(), { now = "2026-11-26",
                               observations = runs("intake", 20, 2),
                               params = { max_failure_rate = 0.1 } }))
  t.expect(t.check(registry(), { now = "2026-11-26",
                                 observations = runs("intake", 3, 1),
                                 params = { min_runs = 3 } }),
           { { subject = "intake", message = "above 0.05" } })
end)

t.case("runs of a retired workflow, or of one without a model, are not judged", function()
  t.none(check(runs("intake", 20, 20), "retired"))
  t.none(check(runs("manual", 20, 20)))
end)
