-- Tests of governance.monitoring: every workflow that uses a model and has
-- reached stage `data` or later is monitored by a machine against a metric,
-- a baseline and an alert threshold. One finding per workflow, at the first
-- fault in the order metric, baseline, alert_threshold, automated.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- t.healthy_workflow() with monitoring fields set (t.NONE removes one).
local function monitored(changes)
  return t.healthy_workflow({ monitoring = changes })
end

-- t.healthy_workflow() with the named monitoring fields removed.
local function without(...)
  local gone = {}
  for _, k in ipairs({ ... }) do gone[k] = t.NONE end
  return monitored(gone)
end

-- One workflow `intake`, checked.
local function check_one(w)
  return t.check(t.registry({ intake = w }), NOW)
end

t.case("a healthy workflow passes", function()
  t.none(check_one(t.healthy_workflow()))
end)

-- Clause: no monitoring section at all.
t.case("fires without monitoring, at /workflows/ID/monitoring", function()
  local w = t.healthy_workflow()
  w.monitoring = nil
  t.expect(check_one(w), { {
    policy = "governance.monitoring", subject = "intake", severity = "high",
    path = "/workflows/intake/monitoring", message = "no monitoring",
  } })
end)

-- Clause: no metric.
t.case("fires without a metric", function()
  local found = check_one(without("metric"))
  t.expect(found, { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/monitoring/metric",
    message = "monitoring has no metric",
  } })
  t.eq(found[1].evidence.faults, { "metric" }, "evidence.faults")
end)

-- Clause: no baseline.
t.case("fires without a baseline", function()
  local found = check_one(without("baseline"))
  t.expect(found, { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/monitoring/baseline",
    message = "monitoring has no baseline",
  } })
  t.eq(found[1].evidence.faults, { "baseline" }, "evidence.faults")
end)

-- Clause: no alert threshold.
t.case("fires without an alert_threshold", function()
  local found = check_one(without("alert_threshold"))
  t.expect(found, { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/monitoring/alert_threshold",
    message = "monitoring has no alert_threshold",
  } })
  t.eq(found[1].evidence.faults, { "alert_threshold" }, "evidence.faults")
end)

-- Clause: automated missing.
t.case("fires when automated is missing", function()
  local found = check_one(without("automated"))
  t.expect(found, { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/monitoring/automated",
    message = "monitoring is not automated",
  } })
  t.eq(found[1].evidence.faults, { "automated" }, "evidence.faults")
end)

-- automated = false is a fault; only true passes.
t.case("automated = false fires, automated = true passes", function()
  t.expect(check_one(monitored({ automated = false })), { {
    subject = "intake", path = "/workflows/intake/monitoring/automated",
    message = "monitoring is not automated",
  } })
  t.none(check_one(monitored({ automated = true })))
end)

-- automated must be a boolean: the registry rejects "yes" before any policy
-- runs, so true/false/missing are the only cases the policy sees.
t.case("a non-boolean automated is a registry error", function()
  t.raises(function() check_one(monitored({ automated = "yes" })) end,
           "/workflows/intake/monitoring/automated")
end)

-- An empty string is as missing as no field at all.
t.case("an empty-string metric counts as missing", function()
  t.expect(check_one(monitored({ metric = "" })), { {
    subject = "intake", path = "/workflows/intake/monitoring/metric",
    message = "monitoring has no metric",
  } })
end)

-- Zero is a value: a baseline or threshold of 0 is present.
t.case("a baseline and alert_threshold of 0 pass", function()
  t.none(check_one(monitored({ baseline = 0, alert_threshold = 0 })))
end)

-- One finding per workflow: path at the first fault, message and evidence
-- naming every fault, in the order metric, baseline, alert_threshold,
-- automated.
t.case("all four faults give one finding at metric naming all", function()
  local w = t.healthy_workflow()
  w.monitoring = { direction = "below" }
  local found = check_one(w)
  t.expect(found, { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/monitoring/metric",
    message = "monitoring has no metric",
  } })
  local msg = found[1].message
  for _, part in ipairs({ "no baseline", "no alert_threshold",
                          "not automated" }) do
    t.truthy(msg:find(part, 1, true), "message names '" .. part .. "'")
  end
  t.eq(found[1].evidence.faults,
       { "metric", "baseline", "alert_threshold", "automated" },
       "evidence.faults")
end)

-- The first fault decides the path even when it is not metric.
t.case("alert_threshold and automated missing: path at alert_threshold", function()
  local found = check_one(without("alert_threshold", "automated"))
  t.expect(found, { {
    subject = "intake",
    path = "/workflows/intake/monitoring/alert_threshold",
    message = "monitoring has no alert_threshold",
  } })
  t.truthy(found[1].message:find("not automated", 1, true),
           "message names 'not automated'")
  t.eq(found[1].evidence.faults, { "alert_threshold", "automated" },
       "evidence.faults")
end)

-- Every judged stage, data through scaling, is held to the rule.
t.case("fires at every stage from data to scaling", function()
  for _, stage in ipairs({ "data", "redesign", "deployment", "measurement",
                           "scaling" }) do
    local w = t.healthy_workflow()
    w.stage = stage
    w.monitoring = nil
    t.expect(check_one(w), { {
      subject = "intake", path = "/workflows/intake/monitoring",
    } })
  end
end)

-- Stages before `data`, and `retired`, are not judged.
t.case("does not fire at proposed, governance or retired", function()
  for _, stage in ipairs({ "proposed", "governance", "retired" }) do
    local w = t.healthy_workflow()
    w.stage = stage
    w.monitoring = nil
    t.none(check_one(w))
  end
end)

-- A workflow with no stage is not judged.
t.case("does not fire when the stage is missing", function()
  local w = t.healthy_workflow()
  w.stage = nil
  w.monitoring = nil
  t.none(check_one(w))
end)

-- Only AI-integrated workflows: no `uses` edge, no rule.
t.case("does not fire for a workflow that uses no model", function()
  local w = t.healthy_workflow()
  w.uses = nil
  w.monitoring = nil
  t.none(check_one(w))
end)

-- `uses` as a bare id and as {model, version} both count.
t.case("fires for bare-string and object uses alike", function()
  local bare, pinned = t.healthy_workflow(), t.healthy_workflow()
  bare.monitoring, pinned.monitoring = nil, nil
  bare.uses = { "scorer" }
  pinned.uses = { { model = "scorer", version = "1" } }
  t.expect(t.check(t.registry({ bare = bare, pinned = pinned }), NOW), {
    { subject = "bare", path = "/workflows/bare/monitoring" },
    { subject = "pinned", path = "/workflows/pinned/monitoring" },
  })
end)

-- Several workflows: exactly one finding for each governed faulty one.
t.case("several workflows give exactly the expected findings", function()
  local none_at_all = t.healthy_workflow()
  none_at_all.monitoring = nil
  local manual = monitored({ automated = false })
  local no_baseline = without("baseline")
  local early = t.healthy_workflow()
  early.stage = "governance"
  early.monitoring = nil
  local no_model = t.healthy_workflow()
  no_model.uses = nil
  no_model.monitoring = nil
  t.expect(t.check(t.registry({
    healthy = t.healthy_workflow(),
    none_at_all = none_at_all,
    manual = manual,
    no_baseline = no_baseline,
    early = early,
    no_model = no_model,
  }), NOW), {
    { subject = "none_at_all", path = "/workflows/none_at_all/monitoring" },
    { subject = "manual", path = "/workflows/manual/monitoring/automated" },
    { subject = "no_baseline",
      path = "/workflows/no_baseline/monitoring/baseline" },
  })
end)
