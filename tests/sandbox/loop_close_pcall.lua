-- attack: catch the budget error in a __close handler under pcall and loop
--   again.
-- expect: instructions
-- requires: lua5.4
return {
  id = "attack.loop-close-pcall", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do
      pcall(function()
        local guard <close> = setmetatable({}, {__close = function() while true do end end})
        while true do end
      end)
    end
  end,
}
