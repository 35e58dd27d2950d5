-- steward.layers: the three layers of an AI integration, and whether one
-- workflow has completed each.
--
--   technical   the AI is connected: data it can reach and trust, models
--               pinned to what they expect, reliable, fast enough, not
--               drifting
--   process     the work is redesigned around it: the task defined, the
--               actual workflow mapped, the change validated with the people
--               who do the work, the output required and delivered, adopted
--   governance  someone answers for it: owner, monitoring, override,
--               escalation, the order of the steps, the scope it was
--               validated for, and the measurement that holds it to account
--
-- A policy declares its layer (`layer = "process"`) and each of its
-- findings carries it; the layer of a policy is never listed here. A layer
-- is complete for a workflow when no policy of that layer has an open
-- (unwaived) finding on it: partial completion produces deployment without
-- impact. `steward readiness` calls status() with the workflow's findings
-- from a run of every loaded policy.
local M = {}

M.NAMES = { "technical", "process", "governance" }

local KNOWN = {}
for _, name in ipairs(M.NAMES) do KNOWN[name] = true end

-- True when name is one of the three layers.
function M.known(name)
  return KNOWN[name] == true
end

-- The sorted keys of a set.
local function sorted(set)
  local out = {}
  for k in pairs(set) do out[#out + 1] = k end
  table.sort(out)
  return out
end

-- findings: one workflow's findings, each { policy =, layer =, waived = }
-- (layer nil for a policy that declares none: it counts in no layer).
-- Returns one row per layer, in M.NAMES order: { layer =, complete =,
-- failing = the policies with an open finding, sorted, waived = the
-- policies whose findings are all waived, sorted }.
function M.status(findings)
  local open, waived = {}, {}
  for _, name in ipairs(M.NAMES) do
    open[name], waived[name] = {}, {}
  end
  for _, f in ipairs(findings) do
    if KNOWN[f.layer] then
      if f.waived then
        waived[f.layer][f.policy] = true
      else
        open[f.layer][f.policy] = true
      end
    end
  end
  local rows = {}
  for i, name in ipairs(M.NAMES) do
    for id in pairs(open[name]) do waived[name][id] = nil end
    local failing = sorted(open[name])
    rows[i] = { layer = name, complete = #failing == 0, failing = failing,
                waived = sorted(waived[name]) }
  end
  return rows
end

return M
