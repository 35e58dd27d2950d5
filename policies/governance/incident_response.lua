-- governance.incident-response: the governance gap, found before the first
-- significant failure rather than at it. A workflow that uses a model (not
-- retired) answers every `incident` of a listed severity (high or critical)
-- of the last params.window_days days with a `response` record for the
-- same subject within H hours of it, H being escalation.response_hours (or
-- params.default_response_hours): a response at a time in [t, t + H], and,
-- when the incident has an `id`, one whose `incident` field names it. An
-- incident whose H hours are not over yet (t + H after now) is not judged.
--
-- One finding per workflow naming every unanswered incident; its key is the
-- earliest one's id (or time), so a second unanswered incident does not
-- make it a new finding, and answering the first one does.
local evidence = require "steward.evidence"
local fields = require "steward.fields"
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"
local readiness = require "steward.readiness"

local HOUR = 3600

-- A list parameter given as one string ("critical") is that list of one.
local function list_of(v)
  if type(v) == "string" then return { v } end
  return v
end

local function listed(list, value)
  for _, v in ipairs(list) do
    if v == value then return true end
  end
  return false
end

-- True when some response in `responses` (obs.window entries) is at a time
-- in [t, due] and names the incident's id when it has one.
local function answered(responses, t, due, id)
  for _, e in ipairs(responses) do
    if e.t >= t and e.t <= due
        and (id == nil or e.record.incident == id) then
      return true
    end
  end
  return false
end

-- "INC-2307 (high, 2026-11-16T08:30:00Z)": an incident for a message.
local function describe(u)
  if u.id ~= nil then
    return string.format("%s (%s, %s)", tostring(u.id), tostring(u.severity),
                         u.at)
  end
  return string.format("%s incident at %s", tostring(u.severity), u.at)
end

return {
  id = "governance.incident-response",
  title = "Significant incidents are answered within the escalation time",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = { default_response_hours = 24, window_days = 90,
             severities = { "high", "critical" } },
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    local p = ctx.params
    local severities = list_of(p.severities)
    local e = w.escalation
    local hours = e and e.response_hours
    local declared = type(hours) == "number"
    if not declared then hours = p.default_response_hours end
    local responses = obs.window(ctx, w, { kind = "response",
                                           days = p.window_days })
    local unanswered = {}
    for _, x in ipairs(obs.window(ctx, w, { kind = "incident",
                                            days = p.window_days })) do
      local r, due = x.record, x.t + hours * HOUR
      local id = fields.present(r.id) and r.id or nil
      if listed(severities, r.severity) and due <= ctx.now
          and not answered(responses, x.t, due, id) then
        unanswered[#unanswered + 1] = { id = id, severity = r.severity,
                                        at = monitoring.when(x.t),
                                        due = monitoring.when(due) }
      end
    end
    if #unanswered == 0 then return end
    local shown = {}
    for i = 1, math.min(#unanswered, 3) do shown[i] = describe(unanswered[i]) end
    local more = #unanswered > 3
      and string.format(" and %d more", #unanswered - 3) or ""
    local first = unanswered[1]
    local list, cut = evidence.cap(unanswered)
    ctx.fail(string.format("%d %s incident%s in the last %s days had no "
        .. "response within %s hours: %s%s", #unanswered,
        readiness.list_words(severities), #unanswered == 1 and "" or "s",
        monitoring.num(p.window_days), monitoring.num(hours),
        table.concat(shown, ", "), more), {
      key = tostring(first.id or first.at),
      evidence = { unanswered = list, truncated = cut, response_hours = hours,
                   response_hours_declared = declared,
                   window_days = p.window_days, severities = severities },
    })
  end,
}
