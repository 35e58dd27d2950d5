-- attack: catch the budget error with coroutine.resume (which returns errors
--   as values) and loop again.
-- expect: instructions
return {
  id = "attack.loop-coroutine-resume", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do coroutine.resume(coroutine.create(function() while true do end end)) end
  end,
}
