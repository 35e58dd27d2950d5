-- attack: %b() over 200,000 unmatched open brackets: every start position
--   scans to the end.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-balance-quadratic", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.find(string.rep("(", 200000), "%b()")
  end,
}
