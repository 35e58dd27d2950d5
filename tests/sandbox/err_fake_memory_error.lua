-- attack: raise the text of Lua's memory error ("not enough memory") as an
--   ordinary error and catch it: a host that recognises memory errors by
--   their text would kill a healthy policy and report the wrong limit.
-- expect: ok   (an ordinary error, caught by the policy itself)
return {
  id = "attack.err-fake-memory-error", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local ok = pcall(error, "not enough memory", 0)
    local ok2 = xpcall(function() error("not enough memory", 0) end, function(m) return m end)
    local co = coroutine.create(function() error("not enough memory", 0) end)
    coroutine.resume(co)
    pcall(coroutine.wrap(function() error("not enough memory", 0) end))
  end,
}
