-- attack: loop forever while the policy loads, before it even has an id.
-- expect: instructions   (a finding naming the limit, like any runaway;
--   the other policies in the run still report)
while true do end
return {
  id = "attack.loop-at-load-time", severity = "high", subjects = "workflows",
  check = function(node, ctx) end,
}
