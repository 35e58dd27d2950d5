-- attack: catch the pattern kill with pcall and start the match again.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-pcall-loop", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do pcall(string.find, string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40)) end
  end,
}
