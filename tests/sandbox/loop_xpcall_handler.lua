-- attack: an xpcall message handler that loops forever.
-- expect: instructions
return {
  id = "attack.loop-xpcall-handler", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    xpcall(function() error("x") end, function() while true do end end)
  end,
}
