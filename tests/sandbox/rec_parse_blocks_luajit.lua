-- attack: compile 100,000 nested do blocks.
--   On LuaJIT: the parser's own nesting limit stops it.
-- expect: runtime "too many syntax levels"
-- requires: luajit
return {
  id = "attack.rec-parse-blocks", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load(string.rep("do ", 100000) .. string.rep("end ", 100000)))
  end,
}
