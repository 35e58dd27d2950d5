-- Tests of governance.reassessment (medium, governance layer): a workflow
-- that uses a model, at stage deployment or later, deployed more than 365
-- days ago (calendar days), has review.at within the last 365 days.
local t = require "steward.test"

local NOW = "2026-11-26"
-- 365 days before NOW is 2025-11-26; 366 days is 2025-11-25.

local function workflow(changes)
  return t.healthy_workflow(t.merge({
    stage = "scaling", deployed_at = "2025-07-01",
    review = { at = "2026-06-01" },
  }, changes))
end

local function check(w, opts)
  opts = opts or {}
  return t.check(t.registry({ routing = w }),
                 { now = opts.now or NOW, params = opts.params })
end

t.case("reviewed within the year passes", function()
  t.none(check(workflow()))
end)

t.case("never reviewed fires at review", function()
  local found = check(workflow({ review = t.NONE }))
  t.expect(found, { {
    policy = "governance.reassessment", subject = "routing",
    severity = "medium", enforcement = "soft-mandatory", layer = "governance",
    path = "/workflows/routing/review",
    message = "deployed 513 days ago and never reassessed (no review.at): " ..
              "does it still make sense?",
  } })
  t.eq(found[1].evidence, { deployed_at = "2025-07-01", deployed_days = 513,
                            max_review_age_days = 365 }, "evidence")
  t.expect(check(workflow({ review = { at = t.NONE, by = "board" } })),
           { { subject = "routing", path = "/workflows/routing/review/at",
               message = "never reassessed" } })
end)

t.case("a review more than 365 days ago fires at review/at", function()
  local found = check(workflow({ review = { at = "2025-06-20" } }))
  t.expect(found, { {
    subject = "routing", path = "/workflows/routing/review/at",
    message = "deployed 513 days ago and last reassessed on 2025-06-20, 524 " ..
              "days ago (more than 365): does it still make sense?",
  } })
  t.eq(found[1].evidence.review_days, 524, "evidence.review_days")
  t.eq(found[1].evidence.review_at, "2025-06-20", "evidence.review_at")
end)

-- Calendar days: 365 days ago is within the year, 366 is not.
t.case("reviewed exactly 365 days ago passes, 366 fires", function()
  t.none(check(workflow({ review = { at = "2025-11-26" } })))
  t.none(check(workflow({ review = { at = "2025-11-26" } }),
               { now = "2026-11-26T23:59:59Z" }))
  t.expect(check(workflow({ review = { at = "2025-11-25T23:59:59Z" } })),
           { { subject = "routing", message = "366 days ago" } })
end)

t.case("deployed exactly 365 days ago is not due, 366 is", function()
  t.none(check(workflow({ deployed_at = "2025-11-26", review = t.NONE })))
  t.expect(check(workflow({ deployed_at = "2025-11-25", review = t.NONE })),
           { { subject = "routing", message = "deployed 366 days ago" } })
end)

t.case("no deployed_at: not judged", function()
  t.none(check(workflow({ deployed_at = t.NONE, review = t.NONE })))
end)

t.case("stage deployment or later; earlier stages are not judged", function()
  for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
    t.expect(check(workflow({ stage = stage, review = t.NONE })),
             { { subject = "routing" } })
  end
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "retired" }) do
    t.none(check(workflow({ stage = stage, review = t.NONE })))
  end
end)

t.case("a workflow that uses no model is not judged", function()
  local w = workflow({ review = t.NONE })
  w.uses = nil
  t.none(check(w))
end)

t.case("both periods are parameters", function()
  t.expect(check(workflow(), { params = { max_review_age_days = 90 } }),
           { { subject = "routing", message = "(more than 90)" } })
  t.none(check(workflow({ review = t.NONE }),
               { params = { deployed_days = 600 } }))
  t.expect(check(workflow({ deployed_at = "2026-06-01", review = t.NONE }),
                 { params = { deployed_days = 90 } }),
           { { subject = "routing", message = "deployed 178 days ago" } })
end)

t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(t.registry({
    reviewed = workflow(),
    forgotten = workflow({ review = t.NONE }),
    stale = workflow({ review = { at = "2025-01-15" } }),
    young = workflow({ deployed_at = "2026-03-01", review = t.NONE }),
  }), { now = NOW }), {
    { subject = "forgotten", path = "/workflows/forgotten/review" },
    { subject = "stale", path = "/workflows/stale/review/at" },
  })
end)
