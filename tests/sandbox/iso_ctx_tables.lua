-- attack: policy 1 rewrites what ctx hands it (ctx.graph.node, ctx.params,
--   ctx.params_of of policy 2, ctx.policy, ctx.now); policy 2 must get its
--   own, intact.
-- expect: ok   (ctx is built per policy and per evaluation)
return {
  id = "attack.iso-ctx-tables-1", severity = "high", subjects = "workflows",
  params = {limit = 5},
  check = function(node, ctx)
    ctx.graph.node = function() return "evil" end
    ctx.params.limit = 999
    local other = ctx.params_of("attack.iso-ctx-tables-2")
    if other then other.limit = 999 end
    ctx.policy.id = "evil"
    ctx.now = 0
  end,
}
--8<-- policy 2: the victim
return {
  id = "attack.iso-ctx-tables-2", severity = "high", subjects = "workflows",
  params = {limit = 1},
  check = function(node, ctx)
    if ctx.graph.node("a") == "evil" then ctx.fail("ctx.graph replaced") end
    if ctx.params.limit ~= 1 then ctx.fail("own params changed") end
    if ctx.params_of("attack.iso-ctx-tables-2").limit ~= 1 then ctx.fail("params_of changed") end
    if ctx.policy.id ~= "attack.iso-ctx-tables-2" then ctx.fail("ctx.policy changed") end
    if ctx.now == 0 then ctx.fail("ctx.now changed") end
  end,
}
