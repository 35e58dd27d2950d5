-- Tests of readiness.volume (advisory, low): `volume.cases_per_month` is
-- there and at least 100 (params.min_cases_per_month). One finding, at
-- volume/cases_per_month, or at volume when there is no volume section.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

-- A registry with the healthy workflow `intake` (stage deployment, uses
-- `scorer`); `volume` is its volume section (nil: none), `changes` other
-- fields.
local function registry(volume, changes)
  return t.registry({ intake = t.healthy_workflow(t.merge({ volume = volume },
                                                          changes)) })
end

local function check(volume, changes, opts)
  return t.check(registry(volume, changes), opts or NOW)
end

local function cases(n) return { cases_per_month = n } end

t.case("4200 cases a month pass", function()
  t.none(check(cases(4200)))
end)

-- The boundary: 100 passes, 99 fires.
t.case("exactly 100 cases a month pass", function()
  t.none(check(cases(100)))
  t.none(check(cases(100.0)))
end)

t.case("99 cases a month fire at volume/cases_per_month", function()
  local found = check(cases(99))
  t.expect(found, { {
    policy = "readiness.volume", subject = "intake", severity = "low",
    enforcement = "advisory", path = "/workflows/intake/volume/cases_per_month",
    message = "99 cases a month, fewer than 100",
  } })
  t.eq(found[1].evidence.cases_per_month, 99, "evidence")
end)

t.case("99.5 and 0 cases a month fire", function()
  t.expect(check(cases(99.5)), { { subject = "intake",
                                   message = "99.5 cases a month" } })
  t.expect(check(cases(0)), { { subject = "intake",
                                message = "0 cases a month" } })
end)

-- Clause: missing.
t.case("a volume without cases_per_month fires at the field", function()
  t.expect(check({ note = "unknown" }), { {
    subject = "intake", path = "/workflows/intake/volume/cases_per_month",
    message = "no volume.cases_per_month",
  } })
end)

t.case("no volume section fires at volume", function()
  t.expect(check(nil), { {
    subject = "intake", path = "/workflows/intake/volume",
    message = "no volume.cases_per_month",
  } })
end)

t.case("a non-numeric cases_per_month is a registry error", function()
  t.raises(function() check(cases("many")) end,
           "/workflows/intake/volume/cases_per_month")
end)

-- params.min_cases_per_month moves the boundary.
t.case("min_cases_per_month = 1000: 1000 passes, 999 fires", function()
  local opts = { now = "2026-11-26", params = { min_cases_per_month = 1000 } }
  t.none(check(cases(1000), nil, opts))
  t.expect(check(cases(999), nil, opts), { {
    subject = "intake", message = "999 cases a month, fewer than 1000",
  } })
end)

-- Scope: workflows that use a model or are proposed, not retired.
t.case("judged at every stage but retired", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "scaling" }) do
    t.expect(check(cases(99), { stage = stage }), { { subject = "intake" } })
  end
  t.none(check(cases(99), { stage = "retired" }))
end)

t.case("without a model: judged only when proposed", function()
  local reg = registry(cases(10), { stage = "proposed" })
  reg.workflows.intake.uses = nil
  t.expect(t.check(reg, NOW), { { subject = "intake" } })
  reg.workflows.intake.stage = "scaling"
  t.none(t.check(reg, NOW))
end)

t.case("several workflows give exactly the expected findings", function()
  local reg = registry(cases(100))
  reg.workflows.small = { stage = "data", uses = { "scorer" },
                          volume = cases(99) }
  reg.workflows.unknown = { stage = "proposed" }
  reg.workflows.retired = { stage = "retired", uses = { "scorer" },
                            volume = cases(1) }
  t.expect(t.check(reg, NOW), {
    { subject = "small", path = "/workflows/small/volume/cases_per_month" },
    { subject = "unknown", path = "/workflows/unknown/volume" },
  })
end)
