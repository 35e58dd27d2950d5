-- attack: a subjects function (called before any check) that loops.
-- expect: instructions
return {
  id = "attack.loop-subjects-function", severity = "high",
  subjects = function(graph, ctx) while true do end end,
  check = function(node, ctx) end,
}
