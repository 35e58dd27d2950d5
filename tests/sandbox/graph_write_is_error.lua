-- attack: assign to a node field.
-- expect: runtime "the graph is read-only"
return {
  id = "attack.graph-write-is-error", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    node.owner = "mallory"
  end,
}
