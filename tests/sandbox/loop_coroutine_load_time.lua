-- attack: a coroutine created while the policy loads, looping when the check
--   resumes it.
-- expect: instructions
local spin = coroutine.wrap(function() while true do end end)
return {
  id = "attack.loop-coroutine-load-time", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    spin()
  end,
}
