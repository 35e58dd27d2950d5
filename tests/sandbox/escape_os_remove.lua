-- attack: delete a host file through os.remove.
-- expect: runtime "attempt to call" "'remove'"
return {
  id = "attack.escape-os-remove", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    os.remove("/tmp/steward-attack-victim")
  end,
}
