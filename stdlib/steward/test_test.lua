-- Tests of the fixtures of steward.test: t.merge, t.healthy_workflow and
-- t.registry (the assertions are exercised by every other test).
local t = require "steward.test"

t.case("merge: objects merge, lists and values replace, NONE removes",
       function()
  local base = { a = 1, obj = { x = 1, y = 2 }, list = { "p", "q" },
                 gone = "soon" }
  local out = t.merge(base, { a = 2, obj = { y = 3, z = 4 }, list = { "r" },
                              gone = t.NONE, new = { n = { deep = true } } })
  t.eq(out, { a = 2, obj = { x = 1, y = 3, z = 4 }, list = { "r" },
              new = { n = { deep = true } } }, "merged")
  t.eq(base, { a = 1, obj = { x = 1, y = 2 }, list = { "p", "q" },
               gone = "soon" }, "base untouched")
  t.eq(t.merge(base), base, "no overrides: a copy")
  t.truthy(not rawequal(t.merge(base).obj, base.obj), "a deep copy")
end)

t.case("merge: an object replaces a list; NONE inside a new object",
       function()
  t.eq(t.merge({ uses = { "m" } }, { uses = { model = "m", version = "1" } }),
       { uses = { model = "m", version = "1" } }, "object over a list")
  t.eq(t.merge({}, { monitoring = { metric = t.NONE, baseline = 1 } }),
       { monitoring = { baseline = 1 } }, "NONE never reaches the registry")
end)

t.case("healthy_workflow: a fresh copy, overrides merged", function()
  local w = t.healthy_workflow()
  t.eq(w.owner, "maria.chen", "owner")
  t.eq(w.uses, { "scorer" }, "uses")
  w.monitoring.metric = "changed"
  t.eq(t.healthy_workflow().monitoring.metric, "qualified_to_won",
       "the next one is untouched")
  local o = t.healthy_workflow({ owner = t.NONE, stage = "data",
                                 monitoring = { automated = false } })
  t.eq(o.owner, nil, "owner removed")
  t.eq(o.stage, "data", "stage replaced")
  t.eq(o.monitoring, { metric = "qualified_to_won", baseline = 0.18,
                       alert_threshold = 0.15, automated = false },
       "monitoring merged")
end)

t.case("registry: the owner and the model a healthy workflow names",
       function()
  local reg = t.registry({ intake = t.healthy_workflow() },
                         { models = { scorer = { reads = { "leads" } } },
                           datasets = { leads = {} } })
  t.eq(reg.owners, { ["maria.chen"] = { name = "Maria Chen" } }, "owners")
  t.eq(reg.models, { scorer = { version = "1", reads = { "leads" } } },
       "models merged")
  t.eq(reg.datasets, { leads = {} }, "a new section")
  t.eq(reg.workflows.intake.owner, "maria.chen", "workflows")
end)

t.case("a healthy workflow passes the governance policies", function()
  for _, p in ipairs({ "owner", "monitoring", "override", "escalation" }) do
    t.none(t.check(t.registry({ intake = t.healthy_workflow() }),
                   { now = "2026-11-26",
                     policy = "../../policies/governance/" .. p .. ".lua" }))
  end
end)

t.case("measured_workflow: healthy, in measurement, watched weekly",
       function()
  local w = t.measured_workflow({ monitoring = { alert_threshold = 0.1 } })
  t.eq(w.stage, "measurement", "stage")
  t.eq(w.deployed_at, "2026-02-01", "deployed")
  t.eq(w.monitoring, { metric = "qualified_to_won", baseline = 0.18,
                       alert_threshold = 0.1, direction = "below",
                       automated = true, cadence_days = 7 }, "monitoring")
  t.eq(w.escalation, t.healthy_workflow().escalation, "still healthy")
end)
