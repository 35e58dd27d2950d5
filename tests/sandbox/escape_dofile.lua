-- attack: run a host file through dofile.
-- expect: runtime "attempt to call" "'dofile'"
return {
  id = "attack.escape-dofile", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    dofile("/etc/passwd")
  end,
}
