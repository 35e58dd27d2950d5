-- attack: an infinite loop.
-- expect: instructions
return {
  id = "attack.loop-plain", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do end
  end,
}
