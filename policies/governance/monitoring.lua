-- governance.monitoring: a metric, its baseline, an alert threshold, and a
-- machine that measures it; without them drift goes unnoticed.
local graph = require "steward.graph"
local fields = require "steward.fields"

local REQUIRED = { "metric", "baseline", "alert_threshold" }

local function faults(m)
  local out = fields.missing(m, REQUIRED)
  if m.automated ~= true then out[#out + 1] = "automated" end
  return out
end

local function describe(fault)
  if fault == "automated" then return "monitoring is not automated" end
  return "monitoring has no " .. fault
end

return {
  id = "governance.monitoring",
  title = "Every AI-integrated workflow is monitored against a baseline",
  severity = "high",
  enforcement = "mandatory",
  subjects = "workflows",
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    local m = w.monitoring
    if m == nil then
      return ctx.fail("no monitoring", { path = "monitoring" })
    end
    local found = faults(m)
    if #found == 0 then return end
    local messages = {}
    for i, fault in ipairs(found) do messages[i] = describe(fault) end
    ctx.fail(table.concat(messages, "; "), {
      path = "monitoring/" .. found[1],
      evidence = { faults = found },
    })
  end,
}
