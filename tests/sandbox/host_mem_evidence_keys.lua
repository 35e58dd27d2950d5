-- attack: evidence whose keys are 40 distinct 1 MiB strings (the item cap
--   counts keys, not bytes: 40 MiB of JSON from one finding).
-- expect: finding "keys"   (evidence is bounded by size: within 16 MiB)
return {
  id = "attack.host-mem-evidence-keys", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if node.id ~= "a" then return end
    local base, ev = string.rep("k", 2^20), {}
    for i = 1, 40 do ev[base .. i] = true end
    ctx.fail("keys", {evidence = ev})
  end,
}
