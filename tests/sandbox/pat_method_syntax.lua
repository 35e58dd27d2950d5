-- attack: the exponential pattern through the method syntax s:find.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-method-syntax", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.rep("a", 40)
    s:find(string.rep("a?", 40) .. string.rep("a", 40))
  end,
}
