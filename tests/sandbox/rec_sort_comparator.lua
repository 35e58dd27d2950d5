-- attack: a table.sort comparator that sorts again: C recursion through
--   table.sort.
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-sort-comparator", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end
    table.sort({3, 2, 1}, cmp)
  end,
}
