-- attack: return the policy table with an __index that loops and a
--   __pairs/__len that loop: the loader must read it raw.
-- expect: ok   (the policy loads from its raw fields and runs)
local function spin() while true do end end
return setmetatable({
  id = "attack.err-policy-table-metamethods", severity = "high", subjects = "workflows",
  check = function(node, ctx) end,
  params = setmetatable({x = 1}, {__index = spin, __pairs = spin, __len = spin}),
  limits = setmetatable({}, {__index = spin}),
}, {__index = spin, __pairs = spin, __len = spin, __newindex = spin})
