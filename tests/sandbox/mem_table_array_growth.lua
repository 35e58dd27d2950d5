-- attack: an array that grows without end.
-- expect: memory
return {
  id = "attack.mem-table-array-growth", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    for i = 1, 2^53 do t[i] = i end
  end,
}
