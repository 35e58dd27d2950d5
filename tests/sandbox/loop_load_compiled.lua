-- attack: a loop inside a chunk compiled at run time by load.
-- expect: instructions
return {
  id = "attack.loop-load-compiled", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    load("while true do end")()
  end,
}
