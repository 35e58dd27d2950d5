-- attack: coroutine.resume inside coroutine.resume without end.
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-coroutine-resume", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function f()
      local ok, e = coroutine.resume(coroutine.create(f))
      if not ok then error(e, 0) end
    end
    f()
  end,
}
