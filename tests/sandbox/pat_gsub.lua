-- attack: string.gsub with the same exponential pattern.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-gsub", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.gsub(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40), "")
  end,
}
