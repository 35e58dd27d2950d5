-- attack: a string.format precision far beyond the 99 stock Lua allows.
-- expect: runtime "invalid" "9999999"
-- requires: lua5.4
return {
  id = "attack.mem-format-precision", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.format("%.9999999f", 1)
  end,
}
