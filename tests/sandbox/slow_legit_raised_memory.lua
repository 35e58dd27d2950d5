-- attack: none - a policy that legitimately needs 100 MiB, with its own
--   memory limit raised to 160 MiB (and 10 s, for slow builds such as
--   AddressSanitizer's), must complete.
-- expect: ok
-- time: 10
return {
  id = "attack.slow-legit-raised-memory", severity = "high", subjects = "workflows",
  limits = {memory_mb = 160, seconds = 10},
  check = function(node, ctx)
    if node.id ~= "a" then return end
    local t = {}
    for i = 1, 100 do t[i] = string.rep(string.char(64 + i % 26), 2^20) end
    if #t ~= 100 then ctx.fail("wrong count") end
  end,
}
