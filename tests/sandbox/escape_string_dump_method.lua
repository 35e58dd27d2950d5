-- attack: reach string.dump through the string metatable (s:dump).
-- expect: runtime "attempt to call" "'dump'"
return {
  id = "attack.escape-string-dump-method", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    ("x"):dump()
  end,
}
