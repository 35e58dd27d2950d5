-- attack: compile 100,000 nested do blocks.
-- expect: runtime "overflow"
-- requires: lua5.4
return {
  id = "attack.rec-parse-blocks", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load(string.rep("do ", 100000) .. string.rep("end ", 100000)))
  end,
}
