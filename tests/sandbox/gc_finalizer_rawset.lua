-- attack: put __gc into the metatable with rawset (past any __newindex a
--   checker might rely on) before setmetatable.
-- expect: runtime "__gc is not allowed"
return {
  id = "attack.gc-finalizer-rawset", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local mt = {}
    rawset(mt, "__gc", function() while true do end end)
    setmetatable({}, mt)
  end,
}
