-- Tests of governance.override: every workflow that uses a model and has
-- reached stage `data` or later has a human override path that is
-- documented, needs no administrator, and was tested at most
-- max_test_age_days (365) before now. Faults are checked in that order and
-- the first one is the single finding.
local t = require "steward.test"

-- now is 2026-11-26; 2025-11-26 is exactly 365 days earlier (no 29 February
-- in between), 2025-11-25 is 366 days earlier.
local NOW = { now = "2026-11-26" }

-- t.healthy_workflow() with its override section replaced by `o`.
local function with_override(o)
  local w = t.healthy_workflow()
  w.override = o
  return w
end

-- t.healthy_workflow() whose override was last tested on `date`.
local function tested_on(date)
  return with_override({ documented = true, requires_admin = false,
                         tested_at = date })
end

-- One workflow `intake`, checked (opts default to NOW).
local function check_one(w, opts)
  return t.check(t.registry({ intake = w }), opts or NOW)
end

t.case("a healthy workflow passes", function()
  t.none(check_one(t.healthy_workflow()))
end)

-- Clause 1: no override section.
t.case("fires without an override, at /workflows/ID/override", function()
  t.expect(check_one(with_override(nil)), { {
    policy = "governance.override", subject = "intake", severity = "high",
    path = "/workflows/intake/override", message = "no human override path",
  } })
end)

-- Clause 2: documented missing or false.
t.case("fires when the override path is not documented", function()
  local want = { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/override/documented",
    message = "not documented",
  } }
  t.expect(check_one(with_override({ requires_admin = false,
                                     tested_at = "2026-05-01" })), want)
  t.expect(check_one(with_override({ documented = false,
                                     requires_admin = false,
                                     tested_at = "2026-05-01" })), want)
end)

-- Clause 3: requires_admin true fires; false or missing passes.
t.case("fires when overriding needs an administrator", function()
  t.expect(check_one(with_override({ documented = true, requires_admin = true,
                                     tested_at = "2026-05-01" })), { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/override/requires_admin",
    message = "needs an administrator",
  } })
end)

t.case("requires_admin false or missing passes", function()
  t.none(check_one(with_override({ documented = true, requires_admin = false,
                                   tested_at = "2026-05-01" })))
  t.none(check_one(with_override({ documented = true,
                                   tested_at = "2026-05-01" })))
end)

-- Clause 4a: never tested.
t.case("fires when tested_at is missing", function()
  t.expect(check_one(with_override({ documented = true,
                                     requires_admin = false })), { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/override/tested_at",
    message = "never been tested",
  } })
end)

-- Clause 4b, the boundary: exactly 365 days passes, 366 fires.
t.case("tested exactly 365 days before now passes", function()
  t.none(check_one(tested_on("2025-11-26")))
end)

t.case("tested 366 days before now fires", function()
  local found = check_one(tested_on("2025-11-25"))
  t.expect(found, { {
    subject = "intake", severity = "high",
    path = "/workflows/intake/override/tested_at",
    message = "last tested 366 days ago (more than 365)",
  } })
  t.eq(found[1].evidence.tested_at, "2025-11-25", "evidence.tested_at")
end)

-- The boundary moves with now: the same date is fine a day earlier.
t.case("the boundary follows now", function()
  t.none(check_one(tested_on("2025-11-25"), { now = "2026-11-25" }))
end)

-- params.max_test_age_days replaces 365: 30 days passes, 31 fires, and a
-- test that was fine under the default is now stale.
t.case("max_test_age_days = 30 moves the boundary", function()
  local opts = { now = "2026-11-26", params = { max_test_age_days = 30 } }
  t.none(check_one(tested_on("2026-10-27"), opts))           -- 30 days
  t.expect(check_one(tested_on("2026-10-26"), opts), { {     -- 31 days
    subject = "intake", path = "/workflows/intake/override/tested_at",
    message = "last tested 31 days ago (more than 30)",
  } })
  t.expect(check_one(tested_on("2025-11-26"), opts), { {     -- 365 days
    subject = "intake", path = "/workflows/intake/override/tested_at",
    message = "(more than 30)",
  } })
end)

-- Order: documented before requires_admin before tested_at; one finding.
t.case("every fault at once: one finding, at documented", function()
  t.expect(check_one(with_override({ documented = false,
                                     requires_admin = true })), { {
    subject = "intake", path = "/workflows/intake/override/documented",
  } })
end)

t.case("requires_admin and a stale test: one finding, at requires_admin",
       function()
  t.expect(check_one(with_override({ documented = true, requires_admin = true,
                                     tested_at = "2020-01-01" })), { {
    subject = "intake", path = "/workflows/intake/override/requires_admin",
  } })
end)

-- Every judged stage, data through scaling, is held to the rule.
t.case("fires at every stage from data to scaling", function()
  for _, stage in ipairs({ "data", "redesign", "deployment", "measurement",
                           "scaling" }) do
    local w = tested_on("2025-11-25")
    w.stage = stage
    t.expect(check_one(w), { {
      subject = "intake", path = "/workflows/intake/override/tested_at",
    } })
  end
end)

-- Stages before `data`, and `retired`, are not judged.
t.case("does not fire at proposed, governance or retired", function()
  for _, stage in ipairs({ "proposed", "governance", "retired" }) do
    local w = with_override(nil)
    w.stage = stage
    t.none(check_one(w))
  end
end)

-- A workflow with no stage is not judged.
t.case("does not fire when the stage is missing", function()
  local w = with_override(nil)
  w.stage = nil
  t.none(check_one(w))
end)

-- Only AI-integrated workflows: no `uses` edge, no rule.
t.case("does not fire for a workflow that uses no model", function()
  local w = with_override(nil)
  w.uses = nil
  t.none(check_one(w))
end)

-- `uses` as a bare id and as {model, version} both count.
t.case("fires for bare-string and object uses alike", function()
  local bare, pinned = with_override(nil), with_override(nil)
  bare.uses = { "scorer" }
  pinned.uses = { { model = "scorer", version = "1" } }
  t.expect(t.check(t.registry({ bare = bare, pinned = pinned }), NOW), {
    { subject = "bare", path = "/workflows/bare/override" },
    { subject = "pinned", path = "/workflows/pinned/override" },
  })
end)

-- Several workflows: exactly one finding for each governed faulty one.
t.case("several workflows give exactly the expected findings", function()
  local retired = with_override(nil)
  retired.stage = "retired"
  t.expect(t.check(t.registry({
    healthy = t.healthy_workflow(),
    on_boundary = tested_on("2025-11-26"),
    stale = tested_on("2025-11-25"),
    admin = with_override({ documented = true, requires_admin = true,
                            tested_at = "2026-05-01" }),
    missing = with_override(nil),
    retired = retired,
  }), NOW), {
    { subject = "stale", path = "/workflows/stale/override/tested_at" },
    { subject = "admin", path = "/workflows/admin/override/requires_admin" },
    { subject = "missing", path = "/workflows/missing/override" },
  })
end)

-- The age is counted in calendar days: an override tested on the date 365
-- days before now passes at any hour of now's day.
t.case("365 days passes at any time of day", function()
  for _, now in ipairs({ "2026-11-26T00:00:01Z", "2026-11-26T12:00:00Z",
                         "2026-11-26T23:59:59Z" }) do
    local reg = {
      owners = { ops = {} }, models = { m = { version = "1" } },
      workflows = { w = { owner = "ops", stage = "data", uses = { "m" },
        override = { documented = true, requires_admin = false,
                     tested_at = "2025-11-26" } } },
    }
    t.none(t.check(reg, { now = now }))
  end
end)
