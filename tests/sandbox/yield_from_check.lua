-- attack: yield from check itself, hoping to suspend the host's call and come
--   back later outside its limits.
-- expect: runtime "attempt to yield"
return {
  id = "attack.yield-from-check", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    coroutine.yield("suspended")
  end,
}
