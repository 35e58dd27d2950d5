-- attack: try to register a looping finalizer while the policy loads, so it
--   would run when the host closes or rebuilds the state.
-- expect: load-error "__gc is not allowed"
setmetatable({}, {__gc = function() while true do end end})
return {
  id = "attack.gc-finalizer-at-load-time", severity = "high", subjects = "workflows",
  check = function(node, ctx) end,
}
