-- Tests of technical.reliability: the mean of a model's or AI workflow's
-- error_rate observations over the last 30 calendar days (today included,
-- nothing after now) must not exceed 0.05. Subjects: models, and workflows
-- that use one and are not retired.
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
