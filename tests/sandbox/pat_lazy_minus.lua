-- attack: lazy items: ("a-"):rep(30).."b" against 60 a's with no b.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-lazy-minus", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.find(string.rep("a", 60), string.rep("a-", 30) .. "b")
  end,
}
