-- attack: compile a host file through loadfile.
-- expect: runtime "attempt to call" "'loadfile'"
return {
  id = "attack.escape-loadfile", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    loadfile("/etc/passwd")
  end,
}
