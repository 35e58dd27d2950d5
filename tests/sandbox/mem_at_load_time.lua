-- attack: exhaust memory while the policy loads.
-- expect: memory   (a finding naming the limit, like any runaway; the other
--   policies in the run still report)
local s = "x"
while true do s = s .. s end
return {
  id = "attack.mem-at-load-time", severity = "high", subjects = "workflows",
  check = function(node, ctx) end,
}
