-- governance.owner: somebody must answer for the model's mistakes.
local graph = require "steward.graph"
local fields = require "steward.fields"

return {
  id = "governance.owner",
  title = "Every AI-integrated workflow names an accountability owner",
  severity = "high",
  enforcement = "mandatory",
  subjects = "workflows",
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    if not fields.present(w.owner) then
      return ctx.fail("no accountability owner", { path = "owner" })
    end
  end,
}
