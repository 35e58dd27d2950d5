-- Tests of governance.incident-response (high, governance layer): an
-- incident of severity high or critical in the last 90 days, at t with
-- t + H <= now (H = escalation.response_hours, default 24), needs a
-- response record for the same subject at a time in [t, t + H], naming the
-- incident's id when it has one. One finding per workflow, keyed by the
-- earliest unanswered incident's id or time.
local t = require "steward.test"

local NOW = "2026-11-26"
-- 90 days before NOW is 2026-08-28.

local function workflow(changes)
  return t.healthy_workflow(t.merge({
    escalation = { response_hours = 24 },
  }, changes))
end

local function incident(at, severity, id, subject)
  return { at = at, kind = "incident", subject = subject or "collections",
           severity = severity or "high", id = id, note = "dunning mis-sent" }
end

local function response(at, id, subject)
  return { at = at, kind = "response", subject = subject or "collections",
           incident = id }
end

local function check(w, observations, opts)
  opts = opts or {}
  return t.check(t.registry({ collections = w }), {
    now = opts.now or NOW, observations = observations, params = opts.params,
  })
end

t.case("an incident answered in time passes", function()
  t.none(check(workflow(), { incident("2026-11-16T08:30:00Z", "high", "INC-1"),
                             response("2026-11-16T10:00:00Z", "INC-1") }))
end)

t.case("an unanswered high incident fires, keyed by its id", function()
  local found = check(workflow(), { incident("2026-11-16T08:30:00Z", "high",
                                             "INC-2307") })
  t.expect(found, { {
    policy = "governance.incident-response", subject = "collections",
    severity = "high", enforcement = "soft-mandatory", layer = "governance",
    key = "INC-2307",
    message = "1 high or critical incident in the last 90 days had no " ..
              "response within 24 hours: INC-2307 (high, 2026-11-16T08:30:00Z)",
  } })
  t.eq(found[1].path, nil, "no path")
  t.eq(found[1].evidence, {
    unanswered = { { id = "INC-2307", severity = "high",
                     at = "2026-11-16T08:30:00Z", due = "2026-11-17T08:30:00Z" } },
    response_hours = 24, response_hours_declared = true, window_days = 90,
    severities = { "high", "critical" },
  }, "evidence")
end)

-- A late response is no response: the window is [t, t + H], both ends in.
t.case("a response at t or at t + H counts, a second outside does not",
       function()
  local inc = incident("2026-11-16T08:30:00Z", "critical", "INC-9")
  t.none(check(workflow(), { inc, response("2026-11-16T08:30:00Z", "INC-9") }))
  t.none(check(workflow(), { inc, response("2026-11-17T08:30:00Z", "INC-9") }))
  t.expect(check(workflow(), { inc, response("2026-11-17T08:30:01Z", "INC-9") }),
           { { subject = "collections", key = "INC-9" } })
  t.expect(check(workflow(), { response("2026-11-16T08:29:59Z", "INC-9"), inc }),
           { { subject = "collections", key = "INC-9" } })
end)

t.case("a response naming another incident does not answer it", function()
  local found = check(workflow(), {
    incident("2026-11-16T08:30:00Z", "high", "INC-1"),
    response("2026-11-16T09:00:00Z", "INC-2"),
    response("2026-11-16T09:30:00Z"),
  })
  t.expect(found, { { subject = "collections", key = "INC-1" } })
end)

-- An incident without an id is answered by any response in its window.
t.case("an incident without an id: any response in time answers it",
       function()
  t.none(check(workflow(), { incident("2026-11-16T08:30:00Z"),
                             response("2026-11-16T20:00:00Z", "INC-77") }))
  t.none(check(workflow(), { incident("2026-11-16T08:30:00Z"),
                             response("2026-11-16T20:00:00Z") }))
  local found = check(workflow(), { incident("2026-11-16T08:30:00+01:00") })
  t.expect(found, { {
    subject = "collections", key = "2026-11-16T07:30:00Z",
    message = "had no response within 24 hours: high incident at " ..
              "2026-11-16T07:30:00Z",
  } })
  t.eq(found[1].evidence.unanswered[1].id, nil, "no id in evidence")
end)

t.case("H is escalation.response_hours, 24 when unset", function()
  local obs = { incident("2026-11-20T00:00:00Z", "high", "INC-3"),
                response("2026-11-20T03:00:00Z", "INC-3") }
  t.none(check(workflow(), obs))
  t.none(check(workflow({ escalation = { response_hours = 3 } }), obs))
  t.expect(check(workflow({ escalation = { response_hours = 2 } }), obs),
           { { subject = "collections", message = "within 2 hours" } })
  local found = check(workflow({ escalation = t.NONE }),
                      { incident("2026-11-20T00:00:00Z", "high", "INC-3") })
  t.expect(found, { { subject = "collections", message = "within 24 hours" } })
  t.eq(found[1].evidence.response_hours_declared, false, "not declared")
  t.expect(check(workflow({ escalation = { response_hours = 0.5 } }),
                 { incident("2026-11-20T00:00:00Z", "high", "INC-3"),
                   response("2026-11-20T00:31:00Z", "INC-3") }),
           { { subject = "collections", message = "within 0.5 hours" } })
end)

-- Until t + H has passed there is still time to respond.
t.case("an incident whose H hours are not over is not judged yet", function()
  local inc = { incident("2026-11-25T00:00:01Z", "high", "INC-4") }
  t.none(check(workflow(), inc))
  t.expect(check(workflow(), { incident("2026-11-25T00:00:00Z", "high",
                                        "INC-4") }),
           { { subject = "collections", key = "INC-4" } })
  t.none(check(workflow(), inc, { now = "2026-11-26T00:00:00Z" }))
  t.expect(check(workflow(), inc, { now = "2026-11-26T00:00:01Z" }),
           { { subject = "collections", key = "INC-4" } })
end)

t.case("only high and critical incidents are judged", function()
  t.none(check(workflow(), { incident("2026-11-16", "medium", "INC-5"),
                             incident("2026-11-16", "low", "INC-6") }))
  t.expect(check(workflow(), { incident("2026-11-16", "critical", "INC-7") }),
           { { subject = "collections", key = "INC-7" } })
  t.expect(check(workflow(), { incident("2026-11-16", "medium", "INC-5") },
                 { params = { severities = { "medium" } } }),
           { { subject = "collections", message = "1 medium incident" } })
  t.expect(check(workflow(), { incident("2026-11-16", "critical", "INC-7"),
                               incident("2026-11-17", "high", "INC-8") },
                 { params = { severities = "critical" } }),
           { { subject = "collections", message = "1 critical incident" } })
end)

-- The window starts 90 days before now, at midnight, included.
t.case("one day either side of the 90-day window", function()
  t.expect(check(workflow(), { incident("2026-08-28", "high", "INC-10") }),
           { { subject = "collections", key = "INC-10" } })
  t.none(check(workflow(), { incident("2026-08-27T23:59:59Z", "high",
                                      "INC-11") }))
  t.expect(check(workflow(), { incident("2026-08-28", "high", "INC-10") },
                 { now = "2026-11-26T23:59:59Z" }),
           { { subject = "collections" } })
end)

t.case("several unanswered: one finding, keyed by the earliest", function()
  local found = check(workflow(), {
    incident("2026-10-01", "high", "INC-20"),
    incident("2026-10-05", "critical", "INC-21"),
    response("2026-10-05T02:00:00Z", "INC-21"),
    incident("2026-10-09", "high"),
    incident("2026-10-12", "high", "INC-23"),
    incident("2026-10-15", "high", "INC-24"),
  })
  t.expect(found, { {
    subject = "collections", key = "INC-20",
    message = "4 high or critical incidents in the last 90 days had no " ..
              "response within 24 hours: INC-20 (high, 2026-10-01), high " ..
              "incident at 2026-10-09, INC-23 (high, 2026-10-12) and 1 more",
  } })
  t.eq(#found[1].evidence.unanswered, 4, "all four in evidence")
end)

t.case("other subjects' incidents and responses do not count", function()
  t.none(check(workflow(), { incident("2026-11-16", "high", "INC-30", "scorer") }))
  t.expect(check(workflow(), { incident("2026-11-16", "high", "INC-31"),
                               response("2026-11-16T01:00:00Z", "INC-31",
                                        "other") }),
           { { subject = "collections", key = "INC-31" } })
end)

t.case("a metric named incident is not an incident", function()
  t.none(check(workflow(), { { at = "2026-11-16", subject = "collections",
                               metric = "incident", value = 1 } }))
end)

t.case("records after now do not count", function()
  t.none(check(workflow(), { incident("2026-11-27", "high", "INC-40") }))
end)

t.case("retired and model-less workflows are not judged; any stage is",
       function()
  local obs = { incident("2026-11-16", "high", "INC-50") }
  for _, stage in ipairs({ "proposed", "data", "deployment", "scaling" }) do
    t.expect(check(workflow({ stage = stage }), obs), { { subject = "collections" } })
  end
  t.none(check(workflow({ stage = "retired" }), obs))
  local w = workflow()
  w.uses = nil
  t.none(check(w, obs))
end)

t.case("the window is a parameter", function()
  local old = { incident("2026-07-01", "high", "INC-60") }
  t.none(check(workflow(), old))
  t.expect(check(workflow(), old, { params = { window_days = 180 } }),
           { { subject = "collections", message = "in the last 180 days" } })
  t.expect(check(workflow({ escalation = t.NONE }),
                 { incident("2026-11-20", "high", "INC-61"),
                   response("2026-11-21T12:00:00Z", "INC-61") },
                 { params = { default_response_hours = 48 } }), {})
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    answered = workflow(), late = workflow(), quiet = workflow(),
  }), { now = NOW, observations = {
    incident("2026-11-10", "high", "A-1", "answered"),
    response("2026-11-10T04:00:00Z", "A-1", "answered"),
    incident("2026-11-10", "high", "L-1", "late"),
    response("2026-11-12", "L-1", "late"),
  } }), { { subject = "late", key = "L-1" } })
end)
