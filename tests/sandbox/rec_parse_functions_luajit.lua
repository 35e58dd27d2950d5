-- attack: compile 100,000 nested function bodies.
--   On LuaJIT: the parser's own nesting limit stops it.
-- expect: runtime "too many syntax levels"
-- requires: luajit
return {
  id = "attack.rec-parse-functions", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load(string.rep("function f() ", 100000) .. string.rep("end ", 100000)))
  end,
}
