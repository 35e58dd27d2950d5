-- attack: assign to an element of an array inside a node.
-- expect: runtime "the graph is read-only"
return {
  id = "attack.graph-nested-write-is-error", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local a = ctx.graph.node("a")
    a.task.inputs[1] = "poisoned"
  end,
}
