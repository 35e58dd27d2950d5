-- attack: compile 100,000 nested table constructors.
--   On LuaJIT: the parser's own nesting limit stops it.
-- expect: runtime "too many syntax levels"
-- requires: luajit
return {
  id = "attack.rec-parse-constructors", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load("return " .. string.rep("{", 100000) .. string.rep("}", 100000)))
  end,
}
