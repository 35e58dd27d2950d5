-- attack: get a node's metatable (to replace __index or __newindex) or give
--   the node a new one.
-- expect: ok   (getmetatable gives no table; setmetatable refuses userdata)
return {
  id = "attack.graph-metatable-locked", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if type(getmetatable(node)) == "table" then ctx.fail("the view metatable is reachable") end
    if pcall(setmetatable, node, {}) then ctx.fail("setmetatable on a node worked") end
    local arr = ctx.graph.node("a").task.inputs
    if type(getmetatable(arr)) == "table" then ctx.fail("an array view's metatable is reachable") end
  end,
}
