-- attack: load a host file through a steward.* name with a path in it.
-- expect: runtime "is not a steward.* module"
return {
  id = "attack.escape-require-path-traversal", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    require("steward.../../../../etc/passwd")
  end,
}
