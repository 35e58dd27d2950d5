-- governance.reassessment: integration is not a destination. A workflow
-- that uses a model, at stage deployment or later and deployed more than
-- params.deployed_days days ago (calendar days), has been reviewed no more
-- than params.max_review_age_days days ago (review.at): does it still make
-- sense? One deployed for less than that is not due yet.
local graph = require "steward.graph"
local time = require "steward.time"

return {
  id = "governance.reassessment",
  title = "A long-deployed AI workflow is reassessed every year",
  severity = "medium",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { deployed_days = 365, max_review_age_days = 365 },
  check = function(w, ctx)
    if not (graph.ai_integrated(w, ctx.graph)
            and graph.stage_at_least(w, "deployment")) then
      return
    end
    local p = ctx.params
    local max = p.max_review_age_days
    local deployed = time.days_since(w.deployed_at, ctx.now)
    if deployed == nil or deployed <= p.deployed_days then return end
    local r = w.review
    local at = r and r.at
    local age = time.days_since(at, ctx.now)
    if age ~= nil and age <= max then return end
    local evidence = { deployed_at = w.deployed_at, deployed_days = deployed,
                       max_review_age_days = max, review_at = at,
                       review_days = age }
    local message
    if age == nil then
      message = string.format("deployed %d days ago and never reassessed "
                              .. "(no review.at): does it still make sense?",
                              deployed)
    else
      message = string.format("deployed %d days ago and last reassessed on "
                              .. "%s, %d days ago (more than %d): does it "
                              .. "still make sense?", deployed, tostring(at),
                              age, max)
    end
    ctx.fail(message, { path = r == nil and "review" or "review/at",
                        evidence = evidence })
  end,
}
