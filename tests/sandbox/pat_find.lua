-- attack: string.find with 40 optional items before 40 fixed ones:
--   exponential backtracking inside one C call, where the count hook never
--   fires.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-find", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40))
  end,
}
