-- attack: get the real os library through require.
-- expect: runtime "require: 'os' is not a steward.* module"
return {
  id = "attack.escape-require-os", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    require("os").execute("id")
  end,
}
