-- attack: a back-reference compare at every split of a long subject.
-- expect: instructions
return {
  id = "attack.pat-backref-quadratic", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.find(string.rep("a", 100000) .. "b", "(a-)%1c")
  end,
}
