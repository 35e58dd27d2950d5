-- attack: ("x.*"):rep(100).."y" against 1000 x's: polynomial blow-up.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-dotstar", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.match(string.rep("x", 1000), string.rep("x.*", 100) .. "y")
  end,
}
