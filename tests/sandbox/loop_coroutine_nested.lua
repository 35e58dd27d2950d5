-- attack: a loop three coroutines deep, each level catching errors.
-- expect: instructions
return {
  id = "attack.loop-coroutine-nested", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function deep(n)
      if n == 0 then while true do end end
      return coroutine.resume(coroutine.create(function() while true do pcall(deep, n - 1) end end))
    end
    while true do deep(3) end
  end,
}
