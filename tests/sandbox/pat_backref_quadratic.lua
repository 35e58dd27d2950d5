-- attack: a back-reference compare at every split of a long subject.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-backref-quadratic", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.find(string.rep("a", 100000) .. "b", "(a-)%1c")
  end,
}
