-- governance.irreversible: a decision that cannot be undone needs faster
-- escalation and closer monitoring than one that can: an escalation
-- response within 24 hours and a monitoring cadence of 7 days at most.
local graph = require "steward.graph"

local function number(v)
  return type(v) == "number" and v or nil
end

return {
  id = "governance.irreversible",
  title = "Irreversible decisions get stricter escalation and monitoring",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { max_response_hours = 24, max_cadence_days = 7 },
  check = function(w, ctx)
    if not graph.governed(w, ctx.graph) then return end
    local d = w.decision
    if type(d) ~= "userdata" or d.reversible ~= false then return end
    local max_hours = ctx.params.max_response_hours
    local max_days = ctx.params.max_cadence_days
    local faults, messages, paths = {}, {}, {}

    local e = w.escalation
    local hours = type(e) == "userdata" and number(e.response_hours) or nil
    if hours == nil then
      faults[#faults + 1] = "response_hours"
      paths[#paths + 1] = type(e) == "userdata" and "escalation/response_hours"
                          or "escalation"
      messages[#messages + 1] = "no escalation.response_hours"
    elseif hours > max_hours then
      faults[#faults + 1] = "response_hours"
      paths[#paths + 1] = "escalation/response_hours"
      messages[#messages + 1] = string.format(
        "escalation response in %g hours (more than %g)", hours, max_hours)
    end

    local m = w.monitoring
    local cadence = type(m) == "userdata" and number(m.cadence_days) or nil
    if cadence == nil then
      faults[#faults + 1] = "cadence_days"
      paths[#paths + 1] = type(m) == "userdata" and "monitoring/cadence_days"
                          or "monitoring"
      messages[#messages + 1] = "no monitoring.cadence_days"
    elseif cadence > max_days then
      faults[#faults + 1] = "cadence_days"
      paths[#paths + 1] = "monitoring/cadence_days"
      messages[#messages + 1] = string.format(
        "monitoring every %g days (more than %g)", cadence, max_days)
    end

    if #faults == 0 then return end
    ctx.fail("irreversible decision: " .. table.concat(messages, "; "), {
      path = paths[1],
      evidence = { faults = faults, response_hours = hours,
                   cadence_days = cadence },
    })
  end,
}
