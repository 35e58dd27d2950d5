-- attack: a load reader that returns a gigabyte string.
-- expect: memory
return {
  id = "attack.mem-load-reader", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local f = load(function() return string.rep("x", 2^30) end)
    while true do end
  end,
}
