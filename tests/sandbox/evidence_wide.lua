-- attack: evidence with two million entries.
-- expect: finding "wide"   (truncated to the item cap; prints within 16 MiB)
return {
  id = "attack.evidence-wide", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    for i = 1, 2000000 do t[i] = i end
    ctx.fail("wide", {evidence = t})
  end,
}
