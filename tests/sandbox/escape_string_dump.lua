-- attack: produce bytecode with string.dump (the first step to a forged
--   binary chunk).
-- expect: runtime "attempt to call" "'dump'"
return {
  id = "attack.escape-string-dump", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.dump(function() end)
  end,
}
