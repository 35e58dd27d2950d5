-- steward.readiness: the five readiness criteria of a workflow, so the
-- readiness policies, sequencing and `steward readiness` agree.
--
-- Every criterion is criterion(w, ctx, params) → ok, why, path, evidence:
--   ok       true when the workflow meets it
--   why      one human sentence, for a pass as well as a failure
--   path     the field at fault (relative to the workflow, or an absolute
--            JSON Pointer when it is another node's field), nil on a pass
--   evidence a table for findings, nil on a pass
-- params maps a policy id to its parameter table
-- (params["readiness.data"].min_completeness); a missing table or key means
-- the default in M.DEFAULTS.
local fields = require "steward.fields"
local time = require "steward.time"

local M = {}

M.IDS = { "readiness.data", "readiness.task", "readiness.volume",
          "readiness.human-in-loop", "readiness.baseline" }

-- The defaults of every parameter; the policies declare these as `params`.
M.DEFAULTS = {
  ["readiness.data"] = { min_completeness = 0.95, max_validation_age_days = 180,
                         access = { "api", "batch", "stream" } },
  ["readiness.task"] = {},
  ["readiness.volume"] = { min_cases_per_month = 100 },
  ["readiness.human-in-loop"] = { stakes = { "high" } },
  ["readiness.baseline"] = {},
}

-- A fresh copy of the defaults of one policy (policies own their `params`).
function M.defaults(id)
  local out = {}
  for k, v in pairs(M.DEFAULTS[id]) do
    if type(v) == "table" then
      local c = {}
      for i, x in ipairs(v) do c[i] = x end
      v = c
    end
    out[k] = v
  end
  return out
end

-- One parameter: params[id][key], or its default. A list parameter given
-- as one string ("access": "api") is read as a list of that string.
function M.param(params, id, key)
  local p = params and params[id]
  local v = p ~= nil and p[key] or nil
  if v == nil then return M.DEFAULTS[id][key] end
  if type(v) == "string" and type(M.DEFAULTS[id][key]) == "table" then
    return { v }
  end
  return v
end

-- {"a", "b", "c"} → "a, b or c" (conj defaults to "or").
local function list_words(xs, conj)
  local n = #xs
  if n == 0 then return "nothing" end
  if n == 1 then return tostring(xs[1]) end
  local parts = {}
  for i = 1, n - 1 do parts[i] = tostring(xs[i]) end
  return table.concat(parts, ", ") .. " " .. (conj or "or") .. " " ..
         tostring(xs[n])
end
M.list_words = list_words

local function contains(list, x)
  for _, v in ipairs(list) do
    if v == x then return true end
  end
  return false
end

local function plural(n, one, many)
  return string.format("%d %s", n, n == 1 and one or (many or one .. "s"))
end

-- A non-empty array (a Lua sequence or a registry array view).
local function non_empty_list(v)
  local ty = type(v)
  return (ty == "table" or ty == "userdata") and v[1] ~= nil
end

-- A list of faults {message=, path=} → ok, why, path, evidence (the first fault's path,
-- every fault's message).
local function verdict(faults, evidence)
  local messages = {}
  for i, f in ipairs(faults) do messages[i] = f.message end
  return false, table.concat(messages, "; "), faults[1].path, evidence
end

-- The faults {message=, path=, field=} for the named fields of section `name` of w that
-- are missing; the section itself when it is missing altogether.
local function missing_fields(w, name, wanted, is_present)
  local section = w[name]
  if section == nil then
    return { { message = string.format("no %s (%s)", name,
                                       list_words(wanted, "and")),
               path = name, field = name } }
  end
  local faults = {}
  for _, key in ipairs(wanted) do
    if not is_present(section[key], key) then
      faults[#faults + 1] = { message = name .. " has no " .. key,
                              path = name .. "/" .. key,
                              field = name .. "/" .. key }
    end
  end
  if #faults > 1 then     -- one sentence: "task has no inputs and no outputs"
    local keys = {}
    for i, f in ipairs(faults) do keys[i] = f.field:match("[^/]*$") end
    faults = { { message = name .. " has no " ..
                   table.concat(keys, " and no "),
                 path = faults[1].path, field = faults[1].field } }
  end
  return faults
end

-- The number at w[section][key], or nil and a fault when it is missing (at
-- the section when the whole section is).
local function number_field(w, section, key)
  local s = w[section]
  if s == nil then
    return nil, { message = string.format("no %s.%s", section, key),
                  path = section }
  end
  local v = s[key]
  if type(v) ~= "number" then
    return nil, { message = string.format("no %s.%s", section, key),
                  path = section .. "/" .. key }
  end
  return v
end

-- A number as people write it: 3 → "3", 3.0 → "3", 0.95 → "0.95".
local function num(x)
  if type(x) ~= "number" then return tostring(x) end
  if x == math.floor(x) and math.abs(x) < 1e15 then
    return string.format("%d", x)
  end
  return string.format("%.10g", x)
end
M.num = num

-- == readiness.data ==

-- The registered datasets a workflow reads, directly or through a model it
-- uses, each once, in that order: direct reads first, then each model's.
function M.datasets(w, g)
  local out, seen = {}, {}
  local function add(list)
    for _, d in ipairs(list) do
      if d.kind == "dataset" and not seen[d.id] then
        seen[d.id] = true
        out[#out + 1] = d
      end
    end
  end
  add(g.out(w, "reads"))
  for _, m in ipairs(g.out(w, "uses")) do add(g.out(m, "reads")) end
  return out
end

-- The faults of one dataset, in the order access, completeness, validated_at.
local function dataset_faults(d, ctx, min_completeness, max_age, access)
  local base = "/datasets/" .. d.id
  local faults = {}
  local function add(field, message, extra)
    local f = { dataset = d.id, field = field, path = base .. "/" .. field,
                message = d.id .. " " .. message }
    for k, v in pairs(extra or {}) do f[k] = v end
    faults[#faults + 1] = f
  end
  if not fields.present(d.access) then
    add("access", "has no access mode")
  elseif not contains(access, d.access) then
    add("access", string.format("is reached by %s, not %s",
                                tostring(d.access), list_words(access)),
        { value = d.access })
  end
  local q = d.quality
  if q == nil then
    add("quality", "has no quality record (completeness, validated_at)")
    return faults
  end
  local c = q.completeness
  if type(c) ~= "number" then
    add("quality/completeness", "has no quality.completeness")
  elseif c < min_completeness then
    add("quality/completeness", string.format("completeness %s is below %s",
                                              num(c), num(min_completeness)),
        { value = c })
  end
  local age = time.days_since(q.validated_at, ctx.now)
  if age == nil then
    add("quality/validated_at", "has never been validated (no quality.validated_at)")
  elseif age > max_age then
    add("quality/validated_at", string.format(
          "was last validated %d days ago (more than %s)", age, num(max_age)),
        { value = q.validated_at, age_days = age })
  end
  return faults
end

-- A dataset's faults depend on the dataset, the clock and the parameters
-- only, and many workflows read the same datasets: they are worked out once
-- per run (per ctx) and dataset, and shared (callers only read them).
local fault_cache = setmetatable({}, { __mode = "k" })

local function cached_faults(d, ctx, min_completeness, max_age, access)
  local per_run = fault_cache[ctx]
  if per_run == nil then
    per_run = {}
    fault_cache[ctx] = per_run
  end
  local faults = per_run[d.id]
  if faults == nil then
    faults = dataset_faults(d, ctx, min_completeness, max_age, access)
    per_run[d.id] = faults
  end
  return faults
end

function M.data(w, ctx, params)
  local id = "readiness.data"
  local min_completeness = M.param(params, id, "min_completeness")
  local max_age = M.param(params, id, "max_validation_age_days")
  local access = M.param(params, id, "access")
  local datasets = M.datasets(w, ctx.graph)
  if #datasets == 0 then
    return false, "reads no registered dataset, directly or through a model",
           "reads", { datasets = {} }
  end
  local faults, ids = {}, {}
  for i, d in ipairs(datasets) do
    ids[i] = d.id
    for _, f in ipairs(cached_faults(d, ctx, min_completeness, max_age,
                                     access)) do
      faults[#faults + 1] = f
    end
  end
  if #faults > 0 then
    local ev = {}
    for i, f in ipairs(faults) do
      ev[i] = { dataset = f.dataset, field = f.field, value = f.value,
                age_days = f.age_days }
    end
    return verdict(faults, { datasets = ids, faults = ev })
  end
  return true, string.format(
    "reads %s (%s), each reached by %s, at least %s complete and validated " ..
    "within %s days", plural(#datasets, "dataset"), list_words(ids, "and"),
    list_words(access), num(min_completeness), num(max_age))
end

-- == readiness.task ==

function M.task(w, ctx, params)
  local faults = missing_fields(w, "task",
    { "inputs", "outputs", "quality_criteria" },
    function(v, key)
      if key == "quality_criteria" then return fields.present(v) end
      return non_empty_list(v)
    end)
  if #faults > 0 then return verdict(faults) end
  return true, string.format("task defined: %s, %s and quality criteria",
                             plural(#w.task.inputs, "input"),
                             plural(#w.task.outputs, "output"))
end

-- == readiness.volume ==

function M.volume(w, ctx, params)
  local min = M.param(params, "readiness.volume", "min_cases_per_month")
  local cases, fault = number_field(w, "volume", "cases_per_month")
  if fault then return verdict({ fault }) end
  if cases < min then
    return verdict({ {
      message = string.format("%s cases a month, fewer than %s", num(cases),
                              num(min)),
      path = "volume/cases_per_month" } }, { cases_per_month = cases })
  end
  return true, string.format("%s cases a month (at least %s)", num(cases),
                             num(min))
end

-- == readiness.human-in-loop ==

function M.human_in_loop(w, ctx, params)
  local stakes_needing = M.param(params, "readiness.human-in-loop", "stakes")
  local d = w.decision or {}
  local reasons = {}
  if d.stakes ~= nil and contains(stakes_needing, d.stakes) then
    reasons[#reasons + 1] = tostring(d.stakes) .. "-stakes"
  end
  if d.reversible == false then reasons[#reasons + 1] = "irreversible" end
  if #reasons == 0 then
    return true, string.format("no human needed: stakes %s, decision %s",
      d.stakes ~= nil and tostring(d.stakes) or "unstated",
      d.reversible == nil and "reversibility unstated" or "reversible")
  end
  local what = table.concat(reasons, ", ")
  if d.human_in_loop == true then
    return true, string.format("%s decision with a human in the loop", what)
  end
  return verdict({ {
    message = string.format("%s decision without a human in the loop", what),
    path = w.decision and "decision/human_in_loop" or "decision" } },
    { stakes = d.stakes, reversible = d.reversible,
      human_in_loop = d.human_in_loop })
end

-- == readiness.baseline ==

-- The baseline is complete: metric, value and measured_at are all there.
function M.baseline_missing(w)
  return missing_fields(w, "baseline", { "metric", "value", "measured_at" },
                        function(v) return fields.present(v) end)
end

function M.baseline(w, ctx, params)
  local faults = M.baseline_missing(w)
  if #faults > 0 then return verdict(faults) end
  local b = w.baseline
  local measured = time.parse(b.measured_at)
  if measured == nil then
    return verdict({ { message = "baseline.measured_at is not a date",
                       path = "baseline/measured_at" } })
  end
  local deployed = time.parse(w.deployed_at)
  local what = string.format("baseline %s = %s measured %s", tostring(b.metric),
                             num(b.value), tostring(b.measured_at))
  if deployed ~= nil then
    -- Calendar days: a baseline taken on the day of deployment is in time.
    if time.days_since(b.measured_at, deployed) < 0 then
      return verdict({ {
        message = string.format("baseline measured %s, after deployment on %s",
                                tostring(b.measured_at),
                                tostring(w.deployed_at)),
        path = "baseline/measured_at" } },
        { measured_at = b.measured_at, deployed_at = w.deployed_at })
    end
    return true, what .. ", not after deployment on " .. tostring(w.deployed_at)
  end
  return true, what
end

-- == All five ==

local CRITERIA = {
  { "readiness.data", M.data },
  { "readiness.task", M.task },
  { "readiness.volume", M.volume },
  { "readiness.human-in-loop", M.human_in_loop },
  { "readiness.baseline", M.baseline },
}

-- The five rows, in the order data, task, volume, human-in-loop, baseline:
-- { id =, ok =, why =, path = }.
function M.criteria(w, ctx, params)
  local rows = {}
  for i, c in ipairs(CRITERIA) do
    local ok, why, path = c[2](w, ctx, params)
    rows[i] = { id = c[1], ok = ok, why = why, path = path }
  end
  return rows
end

return M
