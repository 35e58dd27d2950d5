-- attack: a subjects list of things that are not nodes (tables posing as
--   nodes, numbers, a view of a non-node value, unknown ids).
-- expect: ok   (none of them becomes a subject)
return {
  id = "attack.err-subjects-bogus", severity = "high",
  subjects = function(graph)
    local a = graph.node("a")
    return {{id = "a", kind = "workflows"}, 1, a.task, "no-such-node",
      setmetatable({}, {__index = function() return "a" end})}
  end,
  check = function(node, ctx) ctx.fail("a bogus subject was checked: " .. tostring(node)) end,
}
