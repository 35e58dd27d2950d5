-- attack: a string.format field width far beyond the 99 stock Lua allows.
--   On LuaJIT: the format is refused before it allocates.
-- expect: runtime "invalid option"
-- requires: luajit
return {
  id = "attack.mem-format-width", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.format("%9999999d", 1)
  end,
}
