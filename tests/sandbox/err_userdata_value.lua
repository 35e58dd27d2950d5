-- attack: raise a graph view (userdata with a host __tostring) as the error
--   value.
-- expect: runtime "(error object is a userdata value)"
return {
  id = "attack.err-userdata-value", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    error(node)
  end,
}
