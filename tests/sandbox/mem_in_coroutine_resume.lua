-- attack: a memory bomb inside a coroutine whose error resume returns as a
--   value.
-- expect: memory
return {
  id = "attack.mem-in-coroutine-resume", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local ok, e = coroutine.resume(coroutine.create(function() local s = "x" while true do s = s .. s end end))
    while true do end
  end,
}
