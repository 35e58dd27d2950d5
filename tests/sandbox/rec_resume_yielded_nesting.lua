-- attack: resume yielded coroutines nested inside each other without end
--   (testes/cstack.lua, a bug in 5.4.2).
-- expect: ok   (the nesting ends in an error that pcall catches)
return {
  id = "attack.rec-resume-yielded-nesting", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function body()
      coroutine.yield()
      local f = coroutine.wrap(body)
      f()
      f()
    end
    local f = coroutine.wrap(body)
    f()
    if pcall(f) then ctx.fail("unbounded nesting returned normally") end
  end,
}
