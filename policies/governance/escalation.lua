-- governance.escalation: when the model fails, somebody is called and the
-- work has somewhere to go.
local graph = require "steward.graph"
local fields = require "steward.fields"

return {
  id = "governance.escalation",
  title = "Every AI-integrated workflow has an escalation contact and fallback",
  severity = "high",
  enforcement = "mandatory",
  subjects = "workflows",
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    local e = w.escalation
    if e == nil then
      return ctx.fail("no escalation protocol", { path = "escalation" })
    end
    local missing = fields.missing(e, { "contact", "fallback" })
    if #missing > 0 then
      ctx.fail("escalation has no " .. table.concat(missing, " and no "),
               { path = "escalation/" .. missing[1] })
    end
  end,
}
