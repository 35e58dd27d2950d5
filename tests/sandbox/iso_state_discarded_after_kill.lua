-- attack: leave a marker in the policy's globals, then loop forever; if the
--   killed state were reused, the next evaluation would find the marker.
-- expect: instructions   (in both evaluations: the state is rebuilt after
--   the kill, so the second one starts clean and is killed again)
return {
  id = "attack.iso-state-discarded-after-kill", severity = "high",
  subjects = "workflows",
  check = function(node, ctx)
    if survivor then return ctx.fail("the killed state survived: " .. survivor) end
    survivor = "marker"
    string.upper = nil
    while true do end
  end,
}
