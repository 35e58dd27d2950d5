return {
  id = "fuzz.graph", severity = "low", subjects = "workflows",
  params = {depth = 2, names = {"a", "b"}},
  limits = {instructions = 1e6},
  check = function(node, ctx)
    local g = ctx.graph
    local out = g.out(node, "feeds")
    local deps = g.dependents(node.id, {depth = ctx.params.depth, count = true})
    local r = g.reach(node, {out = {"feeds", "uses"}, into = "owner", kind = "models"})
    local p = g.path(node, "b") or {}
    local cyc = g.cycles("feeds")
    local owner = g.owner(node)
    local obs = ctx.observations(node.id, {metric = "psi", since = "2026-01-01"})
    for k, v in pairs(node) do local _ = tostring(k) .. tostring(v) end
    if #out > 0 or deps > 0 or #cyc > 0 then
      ctx.fail(("%s: %d %d %d"):format(node.id, #out, deps, #cyc),
        {path = "feeds/0", evidence = {out = out, reach = r, path = p, owner = owner, obs = obs}, key = node.id})
    end
  end,
}
