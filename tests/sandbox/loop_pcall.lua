-- attack: catch the budget error with pcall and loop again.
-- expect: instructions
return {
  id = "attack.loop-pcall", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do pcall(function() while true do end end) end
  end,
}
