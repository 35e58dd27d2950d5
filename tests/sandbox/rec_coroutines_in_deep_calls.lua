-- attack: create and run a coroutine 1000 calls deep, which recurses 1000
--   calls deeper (testes/cstack.lua, a bug in 5.4.0).
-- expect: ok   (the policy completes, whatever the inner error)
return {
  id = "attack.rec-coroutines-in-deep-calls", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local lim = 1000
    local function stack(n)
      if n > 0 then return stack(n - 1) + 1
      else coroutine.wrap(function() stack(lim) end)() end
    end
    xpcall(stack, function() return "ok" end, lim)
  end,
}
