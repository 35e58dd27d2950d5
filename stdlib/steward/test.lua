-- steward.test: the assertion API of *_test.lua files (`steward test`).
--
--   local t = require "steward.test"
--   t.case("fires without an owner", function()
--     local found = t.check({ workflows = { ... }, models = { ... } },
--                           { now = "2026-11-26" })
--     t.expect(found, { { subject = "intake", path = "/workflows/intake/owner" } })
--   end)
--
-- t.check runs the policy beside the test file (x_test.lua tests x.lua) on
-- an inline registry; opts: now, observations (a list of records), params,
-- keep_going, policy (another file, relative to the test file).
--
-- Fixtures the packs' tests share: t.healthy_workflow(overrides), a
-- workflow that passes every governance policy, t.measured_workflow
-- (overrides), one in measurement with a metric to watch, and
-- t.registry(workflows, overrides), a registry holding them with the owner
-- and model they name; t.merge(base, overrides) is the deep merge they use.
local testing = require "steward.testing"

local M = { _cases = {} }

local function dir_of(path)
  return path:match("^(.*)/[^/]*$") or "."
end

local function policy_path(opts)
  if opts.policy then return dir_of(testing.file) .. "/" .. opts.policy end
  return (testing.file:gsub("_test%.lua$", ".lua"))
end

function M.case(name, fn)
  if type(name) ~= "string" or type(fn) ~= "function" then
    error("t.case(name, fn): a name and a function", 2)
  end
  M._cases[#M._cases + 1] = { name = name, fn = fn }
end

function M.check(registry, opts)
  opts = opts or {}
  return testing.check(policy_path(opts), registry, opts)
end

local function describe(f)
  local s = string.format("%s %s: %s", f.subject, f.policy, f.message)
  if f.path then s = s .. " at " .. f.path end
  if f.error then s = s .. " [" .. f.error .. "]" end
  return s
end

local function describe_all(found)
  if #found == 0 then return "  (no findings)" end
  local lines = {}
  for i, f in ipairs(found) do lines[i] = "  " .. describe(f) end
  return table.concat(lines, "\n")
end

-- An expected finding matches when every field it names is equal, except
-- message, which only has to occur in the finding's message.
local function matches(f, want)
  for k, v in pairs(want) do
    if k == "message" then
      if not (f.message or ""):find(v, 1, true) then return false end
    elseif f[k] ~= v then
      return false
    end
  end
  return true
end

local function describe_want(want)
  local keys = {}
  for k in pairs(want) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for i, k in ipairs(keys) do parts[i] = k .. "=" .. tostring(want[k]) end
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- Asserts that found is exactly the expected findings, one for one.
function M.expect(found, expected)
  local used = {}
  for _, want in ipairs(expected) do
    local hit
    for i, f in ipairs(found) do
      if not used[i] and matches(f, want) then hit = i break end
    end
    if not hit then
      error(string.format("no finding matches %s; found:\n%s",
                          describe_want(want), describe_all(found)), 2)
    end
    used[hit] = true
  end
  if #found ~= #expected then
    error(string.format("expected %d finding(s), found %d:\n%s", #expected,
                        #found, describe_all(found)), 2)
  end
end

function M.none(found)
  if #found ~= 0 then
    error("expected no findings, found:\n" .. describe_all(found), 2)
  end
end

local function deep_equal(a, b)
  if type(a) ~= "table" or type(b) ~= "table" then return a == b end
  for k, v in pairs(a) do
    if not deep_equal(v, b[k]) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function M.eq(actual, expected, label)
  if not deep_equal(actual, expected) then
    error(string.format("%s: got %s, expected %s", label or "value",
                        show(actual), show(expected)), 2)
  end
end

function M.truthy(v, label)
  if not v then error((label or "value") .. " is not true", 2) end
end

-- Asserts that fn raises an error whose message contains `text`.
function M.raises(fn, text)
  local ok, err = pcall(fn)
  if ok then error("expected an error containing '" .. text .. "'", 2) end
  if not tostring(err):find(text, 1, true) then
    error(string.format("error %q does not contain %q", tostring(err), text), 2)
  end
end

-- {=== Fixtures ========================================================== }

-- As a value in overrides: removes the field (a Lua table cannot hold nil).
M.NONE = setmetatable({}, { __tostring = function() return "t.NONE" end })

-- A list: a sequence the registry converter turns into a JSON array.
local function is_list(v)
  return type(v) == "table" and v[1] ~= nil
end

local function copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = copy(x) end
  return out
end

-- A deep copy of base with overrides merged in; neither is changed. An
-- object merges into an object field by field; a list, or any other value,
-- replaces what was there; M.NONE removes the field.
function M.merge(base, overrides)
  local out = copy(base)
  for k, v in pairs(overrides or {}) do
    if v == M.NONE then
      out[k] = nil
    elseif type(v) == "table" and not is_list(v) then
      local into = out[k]
      if type(into) ~= "table" or is_list(into) then into = {} end
      out[k] = M.merge(into, v)
    else
      out[k] = copy(v)
    end
  end
  return out
end

-- A workflow that passes every governance policy (owner, monitoring,
-- override tested 2026-05-01, escalation) at stage deployment, using the
-- model scorer; tests change what they are about through overrides.
local HEALTHY_WORKFLOW = {
  owner = "maria.chen",
  stage = "deployment",
  uses = { "scorer" },
  monitoring = { metric = "qualified_to_won", baseline = 0.18,
                 alert_threshold = 0.15, automated = true },
  override = { documented = true, requires_admin = false,
               tested_at = "2026-05-01" },
  escalation = { contact = "ml-oncall", fallback = "manual review" },
}

function M.healthy_workflow(overrides)
  return M.merge(HEALTHY_WORKFLOW, overrides)
end

-- A healthy workflow that has been measured for a while: stage
-- measurement, deployed 2026-02-01, its metric qualified_to_won to stay at
-- or above 0.15 (direction below), observed every 7 days.
function M.measured_workflow(overrides)
  return M.healthy_workflow(M.merge({
    stage = "measurement", deployed_at = "2026-02-01",
    monitoring = { direction = "below", cadence_days = 7 },
  }, overrides))
end

-- A registry holding `workflows` (a map of id to workflow), the owner
-- maria.chen and the model scorer (version 1) that a healthy workflow
-- names; overrides merge into the whole registry (more datasets, a model's
-- reads...). A fresh copy every call.
function M.registry(workflows, overrides)
  return M.merge({
    owners = { ["maria.chen"] = { name = "Maria Chen" } },
    models = { scorer = { version = "1" } },
    workflows = workflows,
  }, overrides)
end

-- }===

return M
