-- attack: a metatable whose __index supplies __gc (a checker that reads the
--   metatable with metamethods would miss it), then churn memory.
-- expect: ok   (Lua looks __gc up raw, so nothing is marked)
return {
  id = "attack.gc-finalizer-inherited", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local mt = setmetatable({}, {__index = {__gc = function() while true do end end}})
    for i = 1, 1000 do setmetatable({}, mt) end
    for i = 1, 200000 do local t = {i, tostring(i)} end
  end,
}
