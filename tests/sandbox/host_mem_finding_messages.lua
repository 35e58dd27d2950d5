-- attack: make the host hold what the policy's memory cap does not count: 60
--   findings per subject, each with a 4 MiB message (720 MiB of host memory
--   over three subjects, while the policy's own heap stays small).
-- expect: finding "xxxxxxxx"   (the findings are reported, and what the
--   host keeps of them is bounded: peak RSS within 512 MiB)
return {
  id = "attack.host-mem-finding-messages", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.rep("x", 4 * 2^20)
    for i = 1, 60 do ctx.fail(s) end
  end,
}
