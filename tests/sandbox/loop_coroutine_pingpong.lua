-- attack: resume and yield forever: each step is short (a little work, then a
--   yield), the whole is endless.
-- expect: runaway   (budget or deadline, whichever the build's speed brings first)
return {
  id = "attack.loop-coroutine-pingpong", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local co = coroutine.wrap(function() while true do for i = 1, 100 do end coroutine.yield() end end)
    while true do co() end
  end,
}
