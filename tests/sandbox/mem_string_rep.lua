-- attack: string.rep of a gigabyte.
-- expect: memory
return {
  id = "attack.mem-string-rep", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.rep("x", 2^30)
  end,
}
