-- attack: raise the text of the host's kill message as an ordinary error: it
--   is a runtime error of this policy, not a kill.
-- expect: runtime "steward: instruction budget exhausted"
return {
  id = "attack.err-fake-kill-message", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    error("steward: instruction budget exhausted", 0)
  end,
}
