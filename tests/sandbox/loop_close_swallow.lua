-- attack: a __close handler that calls pcall on the loop again while the kill
--   unwinds.
-- expect: instructions
-- requires: lua5.4
return {
  id = "attack.loop-close-swallow", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local guard <close> = setmetatable({}, {__close = function()
      while true do pcall(function() while true do end end) end
    end})
    while true do end
  end,
}
