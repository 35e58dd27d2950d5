-- attack: evidence that contains itself (a converter without a depth or item
--   cap would loop forever).
-- expect: finding "cycle"
return {
  id = "attack.evidence-cycle", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    t.self, t[1], t.also = t, t, {t, t}
    ctx.fail("cycle", {evidence = t})
  end,
}
