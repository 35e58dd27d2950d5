-- attack: raise an error value whose __tostring loops, hoping the host runs
--   it while making the message.
-- expect: runtime "(error object is a table value)"
return {
  id = "attack.err-tostring-metamethod", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    error(setmetatable({}, {__tostring = function() while true do end end}))
  end,
}
