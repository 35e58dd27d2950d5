-- attack: string.gmatch with the same exponential pattern.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-gmatch", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    for m in string.gmatch(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40)) do end
  end,
}
