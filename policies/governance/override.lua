-- governance.override: people must be able to overrule the model without
-- heroics: a documented path, no administrator needed, tested recently.
local graph = require "steward.graph"
local time = require "steward.time"

-- The first fault of an override section, as (field, message), or nil.
local function fault(o, now, max_age)
  if o.documented ~= true then
    return "documented", "the override path is not documented"
  end
  if o.requires_admin == true then
    return "requires_admin", "overriding needs an administrator"
  end
  local age = time.days_since(o.tested_at, now)
  if age == nil then
    return "tested_at", "the override path has never been tested"
  end
  if age > max_age then
    return "tested_at", string.format(
      "the override path was last tested %d days ago (more than %d)",
      age, max_age)
  end
end

return {
  id = "governance.override",
  title = "Every AI-integrated workflow has a working human override path",
  severity = "high",
  enforcement = "mandatory",
  subjects = "workflows",
  params = { max_test_age_days = 365 },
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    local o = w.override
    if o == nil then
      return ctx.fail("no human override path", { path = "override" })
    end
    local field, message = fault(o, ctx.now, ctx.params.max_test_age_days)
    if field then
      ctx.fail(message, { path = "override/" .. field,
                          evidence = { tested_at = o.tested_at } })
    end
  end,
}
