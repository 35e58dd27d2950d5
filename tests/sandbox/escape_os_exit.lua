-- attack: end the host process through os.exit.
-- expect: runtime "attempt to call" "'exit'"
return {
  id = "attack.escape-os-exit", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    os.exit(0)
  end,
}
