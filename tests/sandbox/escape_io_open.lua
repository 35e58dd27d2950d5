-- attack: read a host file through io.
-- expect: runtime "attempt to index" "'io'"
return {
  id = "attack.escape-io-open", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    io.open("/etc/passwd"):read("a")
  end,
}
