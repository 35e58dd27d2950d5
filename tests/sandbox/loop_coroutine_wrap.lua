-- attack: catch the budget error at a coroutine.wrap boundary and loop again.
-- expect: instructions
return {
  id = "attack.loop-coroutine-wrap", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do pcall(coroutine.wrap(function() while true do end end)) end
  end,
}
