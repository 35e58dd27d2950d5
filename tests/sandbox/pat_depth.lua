-- attack: a pattern nested deeper than the matcher may recurse.
-- expect: runtime "pattern too complex"
return {
  id = "attack.pat-depth", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.find(string.rep("a", 300), string.rep("a?", 300) .. "b")
  end,
}
