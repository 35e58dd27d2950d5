-- attack: doubling concatenation under xpcall with a handler that returns
--   fine.
-- expect: memory
return {
  id = "attack.mem-doubling-xpcall", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    xpcall(function() local s = "x" while true do s = s .. s end end, function() return "fine" end)
    while true do end
  end,
}
