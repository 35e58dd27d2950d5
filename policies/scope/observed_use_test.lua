-- Tests of scope.observed-use: `usage` observations of a model whose caller
-- is not a registered workflow that uses the model, or is not in the
-- model's validated_for. One finding per model, evidence per caller: total
-- count, first and last seen. Observations after now do not count.
local t = require "steward.test"

local function registry()
  return {
    models = {
      scorer = { version = "1", validated_for = { "intake", "listed-only" } },
      other = { version = "1", validated_for = { "triage" } },
    },
    workflows = {
      intake = { stage = "deployment", uses = { "scorer" } },
      triage = { stage = "deployment", uses = { "scorer", "other" } },
      ["listed-only"] = { stage = "deployment" },
    },
  }
end

local function usage(at, model, caller, count)
  return { at = at, kind = "usage", model = model, caller = caller,
           count = count }
end

local function check(observations)
  return t.check(registry(), { now = "2026-11-26", observations = observations })
end

t.case("no usage observations, no finding", function()
  t.none(check({}))
  t.none(check({ { at = "2026-11-01", subject = "scorer", metric = "psi",
                   value = 0.3 } }))
end)

t.case("a registered, validated caller that uses the model passes", function()
  t.none(check({ usage("2026-11-01", "scorer", "intake", 100),
                 usage("2026-11-02", "other", "triage", 5) }))
end)

t.case("fires for a caller that is not registered", function()
  local found = check({ usage("2026-09-07", "scorer", "pricing-test", 40),
                        usage("2026-10-01", "scorer", "pricing-test", 2) })
  t.expect(found, { {
    policy = "scope.observed-use", subject = "scorer", severity = "high",
    path = "/models/scorer/validated_for",
    message = "pricing-test (42 calls, not a registered workflow, "
              .. "not in validated_for)",
  } })
  local c = found[1].evidence.callers[1]
  t.eq(c.caller, "pricing-test", "caller")
  t.eq(c.count, 42, "count total")
  t.eq(c.first_seen, "2026-09-07", "first seen")
  t.eq(c.last_seen, "2026-10-01", "last seen")
  t.eq(c.reasons, { "not a registered workflow", "not in validated_for" },
       "reasons")
end)

t.case("fires for a registered user that is not validated", function()
  local found = check({ usage("2026-11-01", "scorer", "triage", 7) })
  t.expect(found, { { subject = "scorer",
                      message = "triage (7 calls, not in validated_for)" } })
  t.eq(found[1].evidence.callers[1].reasons, { "not in validated_for" },
       "reasons")
end)

t.case("fires for a validated workflow that does not declare the use", function()
  t.expect(check({ usage("2026-11-01", "scorer", "listed-only", 3) }), { {
    subject = "scorer",
    message = "listed-only (3 calls, does not declare it in uses)",
  } })
end)

t.case("a caller that is a model, not a workflow, fires", function()
  t.expect(check({ usage("2026-11-01", "scorer", "other", 1) }), { {
    subject = "scorer", message = "other (1 calls, not a registered workflow",
  } })
end)

t.case("one finding per model, callers sorted, counts per caller", function()
  local found = check({
    usage("2026-10-01", "scorer", "zeta", 5),
    usage("2026-10-02", "scorer", "intake", 100),
    usage("2026-10-03", "scorer", "alpha", 1),
    usage("2026-10-04", "scorer", "zeta", 6),
    usage("2026-10-05", "other", "intake", 9),
  })
  t.expect(found, {
    { subject = "scorer", message = "used by 2 callers outside its validation" },
    { subject = "other", message = "intake (9 calls" },
  })
  local scorer = found[1].subject == "scorer" and found[1] or found[2]
  local callers = scorer.evidence.callers
  t.eq(#callers, 2, "two callers")
  t.eq(callers[1].caller, "alpha", "sorted")
  t.eq(callers[2].caller, "zeta", "sorted")
  t.eq(callers[2].count, 11, "zeta total")
  t.eq(callers[2].first_seen, "2026-10-01", "zeta first")
  t.eq(callers[2].last_seen, "2026-10-04", "zeta last")
end)

t.case("first and last seen follow time, not file order", function()
  local found = check({ usage("2026-10-04T10:00:00Z", "scorer", "x", 1),
                        usage("2026-10-01", "scorer", "x", 1),
                        usage("2026-10-02", "scorer", "x", 1) })
  local c = found[1].evidence.callers[1]
  t.eq(c.first_seen, "2026-10-01", "first")
  t.eq(c.last_seen, "2026-10-04T10:00:00Z", "last")
  t.eq(c.count, 3, "count")
end)

t.case("usage after now does not count; usage at now does", function()
  t.none(check({ usage("2026-11-27", "scorer", "ghost", 10) }))
  t.expect(check({ usage("2026-11-26", "scorer", "ghost", 10),
                   usage("2026-11-27", "scorer", "ghost", 10) }), { {
    subject = "scorer", message = "ghost (10 calls",
  } })
end)

t.case("large counts are printed whole", function()
  t.expect(check({ usage("2026-11-01", "scorer", "ghost", 1234567),
                   usage("2026-11-02", "scorer", "ghost", 1) }),
           { { subject = "scorer", message = "ghost (1234568 calls" } })
end)

t.case("usage from lineage, one record per run, fires like a usage log", function()
  -- What steward import openlineage makes of an unregistered Airflow task
  -- that declares the model by its steward_model facet.
  local function lineage(at, run)
    return { at = at, kind = "usage", model = "scorer",
             caller = "airflow-prod/pricing_lab.try_scorer", count = 1,
             version = "3.1.0", via = "facet", run_id = run,
             openlineage = { namespace = "airflow-prod",
                             name = "pricing_lab.try_scorer" },
             source = "openlineage" }
  end
  local found = check({ lineage("2026-11-20T03:00:00Z", "r1"),
                        lineage("2026-11-21T03:00:00Z", "r2"),
                        usage("2026-11-22", "scorer",
                              "airflow-prod/pricing_lab.try_scorer", 5) })
  t.expect(found, { {
    subject = "scorer", path = "/models/scorer/validated_for",
    message = "airflow-prod/pricing_lab.try_scorer (7 calls, not a "
              .. "registered workflow, not in validated_for)",
  } })
  t.eq(found[1].evidence.callers[1].sources, { "openlineage" }, "sources")
end)

t.case("lineage usage by the registered, validated workflow passes", function()
  t.none(check({ { at = "2026-11-20T03:00:00Z", kind = "usage",
                   model = "scorer", caller = "intake", count = 1,
                   via = "input", source = "openlineage" } }))
end)
