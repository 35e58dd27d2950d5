-- attack: evidence and ctx.fail options whose __index, __pairs, __len and
--   __tostring loop forever: the host must read them raw and run none.
-- expect: finding "trapped"
local function spin() while true do end end
local trap = {__index = spin, __newindex = spin, __pairs = spin, __len = spin,
  __tostring = spin, __eq = spin, __lt = spin, __le = spin, __concat = spin,
  __call = spin, __name = "trap"}
return {
  id = "attack.evidence-metamethods", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local ev = setmetatable({1, 2, {x = setmetatable({}, trap)}}, trap)
    local opts = setmetatable({evidence = ev}, trap)
    ctx.fail("trapped", opts)
  end,
}
