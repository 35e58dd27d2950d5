-- attack: bypass __newindex with rawset on a node.
-- expect: runtime "table expected"
return {
  id = "attack.graph-rawset-is-error", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    rawset(node, "owner", "mallory")
  end,
}
