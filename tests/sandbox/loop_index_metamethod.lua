-- attack: an __index metamethod that loops, under pcall.
-- expect: instructions
return {
  id = "attack.loop-index-metamethod", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = setmetatable({}, {__index = function() while true do end end})
    while true do pcall(function() return t.x end) end
  end,
}
