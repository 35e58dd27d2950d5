-- attack: a hash table (negative integer keys) that grows without end.
-- expect: memory
return {
  id = "attack.mem-table-hash-growth", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    for i = 1, 2^53 do t[-i] = true end
  end,
}
