-- steward.impact: what the packs judge of a node reached by a change, for
-- `steward impact`'s verdict. The judgement lives here, with the policies'
-- parameters, so the command and the packs cannot disagree: a workflow is
-- sensitive when readiness.human-in-loop would want a human in its loop
-- (stakes it lists, or an irreversible decision).
local readiness = require "steward.readiness"

local M = {}

-- The flag bits impact reads (core/impact.h ST_FLAG_*).
M.STAKES = 1
M.IRREVERSIBLE = 2
M.SENSITIVE = 4

local function contains(list, x)
  for i = 1, #list do
    if list[i] == x then return true end
  end
  return false
end

-- The parameters of one policy as the run has them: ctx.params_of when the
-- caller has a ctx (the user's --params), else the policy's defaults.
local function params_of(ctx, id)
  local p = ctx and ctx.params_of and ctx.params_of(id)
  return { [id] = p }
end

-- The flag bits of node: STAKES when its decision's stakes are among those
-- readiness.human-in-loop's `stakes` parameter names, IRREVERSIBLE when
-- decision.reversible is false, SENSITIVE when either holds.
function M.flags(node, ctx)
  if node == nil or node.kind ~= "workflow" then return 0 end
  local d = node.decision
  if d == nil or type(d) == "string" or type(d) == "number"
      or type(d) == "boolean" then
    return 0
  end
  local id = "readiness.human-in-loop"
  local stakes = readiness.param(params_of(ctx, id), id, "stakes")
  -- Sums, not `|`: LuaJIT has no bitwise operators.
  local bits = 0
  if d.stakes ~= nil and contains(stakes, d.stakes) then
    bits = bits + M.STAKES
  end
  if d.reversible == false then bits = bits + M.IRREVERSIBLE end
  if bits ~= 0 then bits = bits + M.SENSITIVE end
  return bits
end

return M
