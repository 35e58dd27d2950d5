-- attack: compile 100,000 nested table constructors.
-- expect: runtime "overflow"
-- requires: lua5.4
return {
  id = "attack.rec-parse-constructors", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load("return " .. string.rep("{", 100000) .. string.rep("}", 100000)))
  end,
}
