-- attack: doubling a string through string.format("%s%s").
-- expect: memory
return {
  id = "attack.mem-format-doubling", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = "x"
    while true do s = string.format("%s%s", s, s) end
  end,
}
