-- attack: compile 100,000 nested parentheses (parser recursion in C).
-- expect: runtime "overflow"
-- requires: lua5.4
return {
  id = "attack.rec-parse-parens", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load("return " .. string.rep("(", 100000) .. "1" .. string.rep(")", 100000)))
  end,
}
