-- attack: yield from the subjects function, and from inside a pcall there.
-- expect: runtime "attempt to yield"
return {
  id = "attack.yield-from-subjects", severity = "high",
  subjects = function(graph)
    pcall(coroutine.yield, "suspended")
    coroutine.yield("suspended")
    return {}
  end,
  check = function(node, ctx) end,
}
