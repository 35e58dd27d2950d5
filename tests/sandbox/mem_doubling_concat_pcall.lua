-- attack: doubling concatenation under pcall, again and again (the memory
--   error must not be swallowable).
-- expect: memory
return {
  id = "attack.mem-doubling-concat-pcall", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do
      pcall(function() local s = "x" while true do s = s .. s end end)
    end
  end,
}
