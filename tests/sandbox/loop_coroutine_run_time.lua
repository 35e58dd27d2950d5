-- attack: a coroutine created inside check that loops.
-- expect: instructions
return {
  id = "attack.loop-coroutine-run-time", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    coroutine.wrap(function() while true do end end)()
  end,
}
