-- attack: coroutine.wrap inside coroutine.wrap without end, with pcall(1)
--   (the shape of CVE-2021-43519).
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-coroutine-wrap", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local f
    f = function() pcall(1) coroutine.wrap(f)() end
    f()
  end,
}
