-- attack: evidence that repeats one 1 MiB string 600 times: the policy's heap
--   holds the string once, a JSON copy of the evidence holds it 600 times
--   (600 MiB of host memory, outside the policy's cap).
-- expect: finding "repeated"   (evidence is bounded by size, not only by
--   item count: peak RSS within 512 MiB, evidence within 16 MiB)
return {
  id = "attack.host-mem-evidence-strings", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if node.id ~= "a" then return end
    local s, ev = string.rep("x", 2^20), {}
    for i = 1, 600 do ev[i] = s end
    ctx.fail("repeated", {evidence = ev})
  end,
}
