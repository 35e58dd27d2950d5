-- attack: doubling a string by concatenation until it cannot grow.
-- expect: memory
return {
  id = "attack.mem-doubling-concat", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = "x"
    while true do s = s .. s end
  end,
}
