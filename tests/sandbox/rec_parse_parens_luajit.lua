-- attack: compile 100,000 nested parentheses (parser recursion in C).
--   On LuaJIT: the parser's own nesting limit stops it.
-- expect: runtime "too many syntax levels"
-- requires: luajit
return {
  id = "attack.rec-parse-parens", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load("return " .. string.rep("(", 100000) .. "1" .. string.rep(")", 100000)))
  end,
}
