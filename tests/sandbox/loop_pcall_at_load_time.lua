-- attack: catch the budget error with pcall while the policy loads, then
--   return a policy as if nothing happened.
-- expect: instructions   (the kill is sticky at load time too)
pcall(function() while true do end end)
return {
  id = "attack.loop-pcall-at-load-time", severity = "high", subjects = "workflows",
  check = function(node, ctx) end,
}
