-- attack: a subjects function returning a proxy whose __len and __index loop
--   (the host reads the list raw, sees no subjects, runs nothing).
-- expect: ok
local function spin() while true do end end
return {
  id = "attack.err-subjects-proxy", severity = "high",
  subjects = function(graph)
    return setmetatable({}, {__len = spin, __index = spin, __pairs = spin})
  end,
  check = function(node, ctx) ctx.fail("a subject came out of the proxy") end,
}
