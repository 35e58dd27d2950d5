-- attack: get the debug library through require.
-- expect: runtime "require: 'debug' is not a steward.* module"
return {
  id = "attack.escape-require-debug", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    require("debug").sethook()
  end,
}
