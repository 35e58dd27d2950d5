-- attack: print a value whose __tostring loops (print runs it in the policy,
--   on its budget).
-- expect: instructions
return {
  id = "attack.loop-tostring-metamethod", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    print(setmetatable({}, {__tostring = function() while true do end end}))
  end,
}
