-- attack: leave a marker in the policy's globals, then exhaust memory; if the
--   state were reused after the memory error, the next evaluation would find
--   the marker.
-- expect: memory   (in both evaluations: the state is rebuilt)
return {
  id = "attack.iso-state-discarded-after-memory", severity = "high",
  subjects = "workflows",
  check = function(node, ctx)
    if survivor then return ctx.fail("the state survived a memory error") end
    survivor = "marker"
    local s = "x"
    while true do s = s .. s end
  end,
}
