-- attack: a coroutine.create'd coroutine from load time, resumed at run time
--   in a loop.
-- expect: instructions
co = coroutine.create(function() while true do end end)
return {
  id = "attack.loop-coroutine-create-load-time", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do coroutine.resume(co) end
  end,
}
