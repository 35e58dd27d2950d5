-- attack: string.pack of ever longer strings with length prefixes.
-- expect: memory
-- requires: lua5.4
return {
  id = "attack.mem-string-pack", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = "x"
    while true do s = string.pack("s4s4", s, s) end
  end,
}
