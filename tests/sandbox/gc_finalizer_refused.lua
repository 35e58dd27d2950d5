-- attack: a __gc finalizer that loops forever (finalizers run with hooks off
--   in Lua 5.4, so no budget would stop it).
-- expect: runtime "__gc is not allowed"
return {
  id = "attack.gc-finalizer-refused", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    setmetatable({}, {__gc = function() while true do end end})
  end,
}
