-- attack: a to-be-closed variable whose __close loops, around a loop (__close
--   runs while the error unwinds).
-- expect: instructions
-- requires: lua5.4
return {
  id = "attack.loop-close", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local guard <close> = setmetatable({}, {__close = function() while true do end end})
    while true do end
  end,
}
