-- attack: a string.format precision far beyond the 99 stock Lua allows.
--   On LuaJIT: the format is refused before it allocates.
-- expect: runtime "invalid option"
-- requires: luajit
return {
  id = "attack.mem-format-precision", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.format("%.9999999f", 1)
  end,
}
