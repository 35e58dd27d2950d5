-- attack: evidence nested 100,000 tables deep (a recursive converter or
--   printer would overflow the C stack).
-- expect: finding "deep"   (the depth is capped; the evidence prints)
return {
  id = "attack.evidence-deep", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local root = {}
    local cur = root
    for i = 1, 100000 do cur.x = {} cur = cur.x end
    ctx.fail("deep", {evidence = root})
  end,
}
