-- attack: compile 100,000 nested function bodies.
-- expect: runtime "overflow"
-- requires: lua5.4
return {
  id = "attack.rec-parse-functions", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load(string.rep("function f() ", 100000) .. string.rep("end ", 100000)))
  end,
}
