-- attack: evidence nested 100,000 arrays deep.
-- expect: finding "deep"   (the depth is capped; the evidence prints)
return {
  id = "attack.evidence-deep-arrays", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local root = {}
    local cur = root
    for i = 1, 100000 do cur[1] = {} cur = cur[1] end
    ctx.fail("deep", {evidence = root})
  end,
}
