-- steward.governance: the four governance prerequisites as functions, so
-- the governance policies, sequencing and `steward readiness` agree.
--
-- Each check(w, ctx) returns nil when the workflow passes, or a fault:
-- { field = path relative to the workflow, message = "...", faults = {...} }.
local fields = require "steward.fields"
local time = require "steward.time"

local M = {}

M.MAX_OVERRIDE_TEST_AGE_DAYS = 365

function M.owner(w)
  if not fields.present(w.owner) then
    return { field = "owner", message = "no accountability owner" }
  end
end

local MONITORING_FIELDS = { "metric", "baseline", "alert_threshold" }

local function describe_monitoring(fault)
  if fault == "automated" then return "monitoring is not automated" end
  return "monitoring has no " .. fault
end

function M.monitoring(w)
  local m = w.monitoring
  if m == nil then return { field = "monitoring", message = "no monitoring" } end
  local found = fields.missing(m, MONITORING_FIELDS)
  if m.automated ~= true then found[#found + 1] = "automated" end
  if #found == 0 then return nil end
  local messages = {}
  for i, fault in ipairs(found) do messages[i] = describe_monitoring(fault) end
  return { field = "monitoring/" .. found[1],
           message = table.concat(messages, "; "), faults = found }
end

-- max_age: days an override test stays valid (default 365).
function M.override(w, now, max_age)
  max_age = max_age or M.MAX_OVERRIDE_TEST_AGE_DAYS
  local o = w.override
  if o == nil then
    return { field = "override", message = "no human override path" }
  end
  if o.documented ~= true then
    return { field = "override/documented",
             message = "the override path is not documented" }
  end
  if o.requires_admin == true then
    return { field = "override/requires_admin",
             message = "overriding needs an administrator" }
  end
  local age = time.days_since(o.tested_at, now)
  if age == nil then
    return { field = "override/tested_at",
             message = "the override path has never been tested" }
  end
  if age > max_age then
    return { field = "override/tested_at", message = string.format(
      "the override path was last tested %d days ago (more than %d)",
      age, max_age) }
  end
end

function M.escalation(w)
  local e = w.escalation
  if e == nil then
    return { field = "escalation", message = "no escalation protocol" }
  end
  local missing = fields.missing(e, { "contact", "fallback" })
  if #missing > 0 then
    return { field = "escalation/" .. missing[1],
             message = "escalation has no " .. table.concat(missing, " and no ") }
  end
end

-- All four, in order: returns the first fault with its policy id, or nil.
-- max_override_age: governance.override's max_test_age_days (default 365).
function M.first_fault(w, now, max_override_age)
  local checks = {
    { "governance.owner", M.owner(w) },
    { "governance.monitoring", M.monitoring(w) },
    { "governance.override", M.override(w, now, max_override_age) },
    { "governance.escalation", M.escalation(w) },
  }
  for _, c in ipairs(checks) do
    if c[2] then return c[1], c[2] end
  end
end

return M
