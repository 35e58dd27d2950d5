-- attack: table.concat of 200 one-MiB strings.
-- expect: memory
return {
  id = "attack.mem-table-concat", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s, t = string.rep("x", 2^20), {}
    for i = 1, 200 do t[i] = s end
    local big = table.concat(t)
  end,
}
