-- attack: none - a slow but legitimate policy: some 400 million instructions
--   in one check, with its own raised limits (2e9 instructions, 20 s), must
--   complete.
-- expect: ok
-- time: 20
return {
  id = "attack.slow-legit-raised-limits", severity = "high", subjects = "workflows",
  limits = {instructions = 2e9, seconds = 20},
  check = function(node, ctx)
    if node.id ~= "a" then return end
    local n = 0
    for i = 1, 200000000 do n = n + 1 end
    if n ~= 200000000 then ctx.fail("wrong count") end
  end,
}
