-- attack: raise an error whose message is 16 MB.
-- expect: runtime "xxxxxxxxxxxxxxxx"
return {
  id = "attack.err-huge-message", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    error(string.rep("x", 16000000), 0)
  end,
}
