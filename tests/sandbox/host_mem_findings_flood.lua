-- attack: report findings in an endless loop: each ctx.fail is a few VM
--   instructions, each finding a host allocation the policy's cap does not
--   see.
--   What the findings hold counts against the policy's memory limit.
-- expect: memory "flood"   (the flood ends at the memory limit)
return {
  id = "attack.host-mem-findings-flood", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do ctx.fail("flood") end
  end,
}
