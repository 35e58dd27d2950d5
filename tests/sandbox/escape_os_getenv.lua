-- attack: read the host environment through os.getenv.
-- expect: runtime "attempt to call" "'getenv'"
return {
  id = "attack.escape-os-getenv", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    os.getenv("HOME")
  end,
}
