-- steward.sequencing: the five steps of AI integration in their order,
-- governance → data → redesign → deployment → measurement (then scaling),
-- so the sequencing policies and `steward readiness` agree.
--
--   1 governance   governance.owner, .monitoring, .override and .escalation
--                  all pass (steward.governance.first_fault)
--   2 data         readiness.data passes
--   3 redesign     readiness.task passes, a baseline exists (metric, value
--                  and measured_at), and process.mapping and
--                  process.change-management pass (steward.process), judged
--                  whatever the stage: the redesign starts from the actual
--                  workflow and ends validated with the people who do it
--   4 deployment   deployed_at is set
--   5 measurement  at least 3 observations of monitoring.metric on or after
--                  deployed_at (and not after now), the latest on the right
--                  side of monitoring.alert_threshold: with direction
--                  `below` (the default) a value under the threshold alerts,
--                  with `above` a value over it; the threshold itself is fine
--
-- params maps a policy id to its parameter table, as in steward.readiness:
-- params["readiness.data"] shapes step 2, params["sequencing.scaling-
-- evidence"].min_observations step 5; a missing table or key means the
-- default.
local fields = require "steward.fields"
local governance = require "steward.governance"
local obs = require "steward.obs"
local monitoring = require "steward.monitoring"
local process = require "steward.process"
local readiness = require "steward.readiness"
local time = require "steward.time"

local M = {}

M.NAMES = { "governance", "data", "redesign", "deployment", "measurement" }

M.DEFAULTS = {
  ["sequencing.order"] = {},
  ["sequencing.scaling-evidence"] = { min_observations = 3 },
}

function M.defaults(id)
  local out = {}
  for k, v in pairs(M.DEFAULTS[id]) do out[k] = v end
  return out
end

-- The parameters step k needs, as a map by policy id, from the run: the
-- user's thresholds for readiness and governance apply to sequencing too.
-- own_id and own are the calling policy's id and ctx.params.
function M.params_from(ctx, own_id, own)
  local map = { [own_id] = own }
  if ctx.params_of then
    for _, id in ipairs({ "readiness.data", "readiness.task",
                          "governance.override", "sequencing.scaling-evidence" }) do
      if map[id] == nil then map[id] = ctx.params_of(id) end
    end
  end
  return map
end

local function param(params, id, key)
  local p = params and params[id]
  if p ~= nil and p[key] ~= nil then return p[key] end
  return M.DEFAULTS[id][key]
end

-- How many leading steps a stage requires before it: nil for retired (and
-- a missing or unknown stage), which nothing is required of.
local REQUIRED = { proposed = 0, governance = 0, data = 1, redesign = 2,
                   deployment = 3, measurement = 4, scaling = 4 }

function M.required(stage)
  return REQUIRED[stage]
end

local num = readiness.num
local when = monitoring.when

-- Each step: fn(w, ctx, params) → ok, why, path, evidence.

local function step_governance(w, ctx, params)
  local override = params and params["governance.override"]
  local id, fault = governance.first_fault(w, ctx.now,
                                           override and override.max_test_age_days)
  if id then
    return false, id .. ": " .. fault.message, fault.field, { policy = id }
  end
  return true, "owner, monitoring, override and escalation in place"
end

local function step_data(w, ctx, params)
  return readiness.data(w, ctx, params)
end

-- The faults of step 3 in order, each { message =, path = }: the task,
-- the baseline, then the two process checks named by their policy.
local function redesign_faults(w, ctx, params)
  local faults = {}
  local task_ok, task_why, task_path = readiness.task(w, ctx, params)
  if not task_ok then faults[#faults + 1] = { message = task_why,
                                              path = task_path } end
  local missing = readiness.baseline_missing(w)
  if #missing > 0 then faults[#faults + 1] = missing[1] end
  for _, c in ipairs({ { "process.mapping", process.mapping(w) },
                       { "process.change-management", process.change(w) } }) do
    if c[2] then
      faults[#faults + 1] = { message = c[1] .. ": " .. c[2].message,
                              path = c[2].field, policy = c[1] }
    end
  end
  return faults, task_why
end

local function step_redesign(w, ctx, params)
  local faults, task_why = redesign_faults(w, ctx, params)
  if #faults == 0 then
    local b, p = w.baseline, w.process
    return true, string.format(
      "%s; baseline %s = %s measured %s; workflow mapped %s; change led by " ..
      "%s and validated with its users", task_why, tostring(b.metric),
      num(b.value), tostring(b.measured_at), tostring(p.mapping.mapped_at),
      tostring(p.change.lead))
  end
  local whys, policies = {}, {}
  for i, f in ipairs(faults) do
    whys[i] = f.message
    if f.policy then policies[#policies + 1] = f.policy end
  end
  return false, table.concat(whys, "; "), faults[1].path,
         #policies > 0 and { policies = policies } or nil
end

local function step_deployment(w)
  if fields.present(w.deployed_at) then
    return true, "deployed on " .. tostring(w.deployed_at)
  end
  return false, "not deployed (no deployed_at)", "deployed_at"
end

local function step_measurement(w, ctx, params)
  local m = w.monitoring
  if m == nil or not fields.present(m.metric) then
    return false, "no monitoring.metric to measure",
           m == nil and "monitoring" or "monitoring/metric"
  end
  local metric, threshold = m.metric, m.alert_threshold
  if type(threshold) ~= "number" then
    return false, "no monitoring.alert_threshold to measure against",
           "monitoring/alert_threshold"
  end
  local deployed = time.parse(w.deployed_at)
  if deployed == nil then
    return false, "not deployed (no deployed_at), so nothing measured since",
           "deployed_at"
  end
  local need = param(params, "sequencing.scaling-evidence", "min_observations")
  local ts, vs = obs.series(ctx, w, { metric = metric, since = deployed })
  local since = "since deployment on " .. tostring(w.deployed_at)
  if #vs == 0 or #vs < need then
    return false, string.format("%d observation%s of %s %s (needs at least %s)",
                                #vs, #vs == 1 and "" or "s", metric, since,
                                num(need)),
           nil, { metric = metric, observations = #vs, needed = need }
  end
  local latest, at = vs[#vs], ts[#ts]
  local direction = monitoring.direction(m) or "below"
  local alerting = monitoring.past(latest, threshold, direction)
  local evidence = { metric = metric, observations = #vs, latest = latest,
                     latest_at = when(at), alert_threshold = threshold,
                     direction = direction }
  if alerting then
    return false, string.format(
      "latest %s %s on %s is %s the alert threshold %s", metric, num(latest),
      when(at), direction, num(threshold)), nil, evidence
  end
  return true, string.format(
    "%d observations of %s %s; latest %s on %s is not %s the alert " ..
    "threshold %s", #vs, metric, since, num(latest), when(at), direction,
    num(threshold))
end

local STEPS = { step_governance, step_data, step_redesign, step_deployment,
                step_measurement }

-- Step k alone: ok, why, path, evidence.
function M.step(k, w, ctx, params)
  return STEPS[k](w, ctx, params)
end

-- Steps 1..upto (default 5) with their paths and evidence:
-- { step =, name =, ok =, why =, path =, evidence = }.
function M.evaluate(w, ctx, params, upto)
  local rows = {}
  for k = 1, upto or #STEPS do
    local ok, why, path, evidence = STEPS[k](w, ctx, params)
    rows[k] = { step = k, name = M.NAMES[k], ok = ok, why = why, path = path,
                evidence = evidence }
  end
  return rows
end

-- The five rows { step = 1..5, name =, ok =, why = }.
function M.steps(w, ctx, params)
  local rows = {}
  for k, r in ipairs(M.evaluate(w, ctx, params)) do
    rows[k] = { step = r.step, name = r.name, ok = r.ok, why = r.why }
  end
  return rows
end

-- The earliest incomplete step the workflow's stage requires, as a row of
-- M.evaluate plus `incomplete` (the names of every incomplete required
-- step) and `required`; nil when every required step is complete.
function M.first_gap(w, ctx, params)
  local n = M.required(w.stage)
  if not n or n == 0 then return nil end
  local rows = M.evaluate(w, ctx, params, n)
  local first, incomplete = nil, {}
  for _, r in ipairs(rows) do
    if not r.ok then
      first = first or r
      incomplete[#incomplete + 1] = r.name
    end
  end
  if first then
    first.incomplete = incomplete
    first.required = n
  end
  return first
end

return M
