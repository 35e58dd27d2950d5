-- Tests of drift.psi: the latest `psi` observation (up to now) of a model,
-- or of a workflow that uses a model and is not retired, is at least 0.25
-- (severity high) or at least 0.1 (severity low).
local t = require "steward.test"

local NOW = "2026-11-26"

-- The models scorer and idle; by default one healthy workflow uses scorer.
local function registry(workflows)
  return t.registry(workflows or { intake = t.healthy_workflow() },
                    { models = { idle = { version = "2" } } })
end

local function psi(at, value, subject)
  return { at = at, subject = subject or "scorer", metric = "psi",
           value = value }
end

local function check(observations, opts)
  opts = opts or {}
  return t.check(opts.registry or registry(), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("below 0.1 passes", function()
  t.none(check({ psi("2026-11-01", 0.04) }))
end)

-- The four boundary values: 0.0999 passes, 0.1 low, 0.2499 low, 0.25 high.
t.case("0.0999 passes", function()
  t.none(check({ psi("2026-11-01", 0.0999) }))
end)

t.case("exactly 0.1 is low", function()
  local found = check({ psi("2026-11-01", 0.1) })
  t.expect(found, { {
    policy = "drift.psi", subject = "scorer", severity = "low",
    message = "PSI is 0.1 on 2026-11-01 (at or above 0.1)",
  } })
  t.eq(found[1].path, nil, "no path: the fault is in the data, not a field")
  t.eq(found[1].evidence.psi, 0.1, "evidence.psi")
  t.eq(found[1].evidence.threshold, 0.1, "evidence.threshold")
end)

t.case("0.2499 is low", function()
  t.expect(check({ psi("2026-11-01", 0.2499) }), { {
    subject = "scorer", severity = "low", message = "PSI is 0.2499",
  } })
end)

t.case("exactly 0.25 is high", function()
  local found = check({ psi("2026-11-01", 0.25) })
  t.expect(found, { {
    policy = "drift.psi", subject = "scorer", severity = "high",
    enforcement = "soft-mandatory",
    message = "PSI is 0.25 on 2026-11-01 (at or above 0.25)",
  } })
  t.eq(found[1].evidence.threshold, 0.25, "evidence.threshold")
  t.eq(found[1].evidence.high, 0.25, "evidence.high")
  t.eq(found[1].evidence.low, 0.1, "evidence.low")
end)

t.case("well above 0.25 is high", function()
  t.expect(check({ psi("2026-11-15", 0.31) }),
           { { subject = "scorer", severity = "high" } })
end)

-- The model's evidence names who is affected, not the retired users.
t.case("a model's evidence lists the workflows that use it", function()
  local reg = registry({
    b = { stage = "deployment", uses = { "scorer" } },
    a = { stage = "data", uses = { { model = "scorer", version = "1" } } },
    old = { stage = "retired", uses = { "scorer" } },
  })
  local found = check({ psi("2026-11-01", 0.3) }, { registry = reg })
  t.expect(found, { { subject = "scorer", severity = "high" } })
  t.eq(found[1].evidence.used_by, { "a", "b" }, "evidence.used_by")
end)

t.case("only the latest value counts, the previous one is evidence", function()
  t.none(check({ psi("2026-10-01", 0.4), psi("2026-11-01", 0.05) }))
  local found = check({ psi("2026-07-01", 0.09), psi("2026-10-01", 0.12),
                        psi("2026-11-15", 0.31) })
  t.expect(found, { { subject = "scorer", severity = "high",
                      message = "0.31 on 2026-11-15" } })
  t.eq(found[1].evidence.previous, 0.12, "evidence.previous")
  t.eq(found[1].evidence.previous_at, "2026-10-01", "evidence.previous_at")
end)

t.case("observations after now are ignored", function()
  t.none(check({ psi("2026-11-01", 0.05), psi("2026-11-27", 0.4) }))
  t.expect(check({ psi("2026-11-01", 0.05), psi("2026-11-26", 0.4) }),
           { { subject = "scorer", severity = "high" } })
end)

t.case("a workflow's own psi is judged too", function()
  t.expect(check({ psi("2026-11-01", 0.26, "intake") }), { {
    policy = "drift.psi", subject = "intake", severity = "high",
  } })
  t.expect(check({ psi("2026-11-01", 0.11, "intake") }),
           { { subject = "intake", severity = "low" } })
end)

t.case("retired and model-free workflows are not judged", function()
  local reg = registry({
    old = { stage = "retired", uses = { "scorer" } },
    manual = { stage = "deployment" },
  })
  t.none(check({ psi("2026-11-01", 0.5, "old"),
                 psi("2026-11-01", 0.5, "manual") }, { registry = reg }))
end)

-- A model is judged whether or not a workflow uses it.
t.case("a model nobody uses is still judged", function()
  t.expect(check({ psi("2026-11-01", 0.3, "idle") }),
           { { subject = "idle", severity = "high" } })
end)

t.case("other metrics and subjects do not count", function()
  t.none(check({
    { at = "2026-11-01", subject = "scorer", metric = "psi_baseline",
      value = 0.9 },
    { at = "2026-11-01", subject = "scorer", metric = "error_rate",
      value = 0.9 },
    psi("2026-11-01", 0.9, "unknown-subject"),
  }))
end)

t.case("params move both bounds", function()
  local params = { high = 0.2, low = 0.05 }
  t.expect(check({ psi("2026-11-01", 0.2) }, { params = params }),
           { { subject = "scorer", severity = "high",
               message = "(at or above 0.2)" } })
  t.expect(check({ psi("2026-11-01", 0.05) }, { params = params }),
           { { subject = "scorer", severity = "low" } })
  t.none(check({ psi("2026-11-01", 0.0499) }, { params = params }))
end)

t.case("several subjects give exactly the expected findings", function()
  local reg = registry({
    intake = { stage = "deployment", uses = { "scorer" } },
    triage = { stage = "measurement", uses = { "idle" } },
  })
  t.expect(check({
    psi("2026-11-01", 0.31, "scorer"),
    psi("2026-11-01", 0.17, "idle"),
    psi("2026-11-01", 0.0999, "intake"),
    psi("2026-11-01", 0.25, "triage"),
  }, { registry = reg }), {
    { subject = "scorer", severity = "high" },
    { subject = "idle", severity = "low" },
    { subject = "triage", severity = "high" },
  })
end)
