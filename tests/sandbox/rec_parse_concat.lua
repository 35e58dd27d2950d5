-- attack: compile a 100,000-term right-associative concatenation.
-- expect: runtime "overflow"
-- requires: lua5.4
return {
  id = "attack.rec-parse-concat", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    assert(load("return " .. string.rep("a .. ", 100000) .. "a"))
  end,
}
