-- attack: run a shell command through os.execute.
-- expect: runtime "attempt to call" "'execute'"
return {
  id = "attack.escape-os-execute", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    os.execute("id")
  end,
}
