-- attack: catch the budget error with xpcall and loop again.
-- expect: instructions
return {
  id = "attack.loop-xpcall", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do xpcall(function() while true do end end, function(m) return m end) end
  end,
}
