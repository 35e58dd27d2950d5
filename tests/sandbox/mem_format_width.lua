-- attack: a string.format field width far beyond the 99 stock Lua allows.
-- expect: runtime "invalid" "9999999"
-- requires: lua5.4
return {
  id = "attack.mem-format-width", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.format("%9999999d", 1)
  end,
}
