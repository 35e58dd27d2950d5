-- attack: a memory bomb inside a coroutine, resumed under pcall.
-- expect: memory
return {
  id = "attack.mem-in-coroutine", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    pcall(coroutine.wrap(function() local s = "x" while true do s = s .. s end end))
    while true do end
  end,
}
