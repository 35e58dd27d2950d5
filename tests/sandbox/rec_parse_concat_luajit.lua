-- attack: compile a 100,000-term right-associative concatenation.
--   On LuaJIT: the parser's own nesting limit stops it.
-- expect: runtime "too many syntax levels"
-- requires: luajit
return {
  id = "attack.rec-parse-concat", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load("return " .. string.rep("a .. ", 100000) .. "a"))
  end,
}
