-- attack: a table.sort comparator that loops.
-- expect: instructions
return {
  id = "attack.loop-sort-comparator", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    table.sort({3, 2, 1}, function() while true do end end)
  end,
}
