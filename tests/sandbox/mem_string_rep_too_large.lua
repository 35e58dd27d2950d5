-- attack: string.rep past the largest string Lua can make.
-- expect: runtime "resulting string too large"
-- requires: lua5.4
return {
  id = "attack.mem-string-rep-too-large", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.rep("x", 2^40)
  end,
}
