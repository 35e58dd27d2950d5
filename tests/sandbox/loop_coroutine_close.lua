-- attack: coroutine.close on a coroutine whose pending __close loops.
-- expect: instructions
-- requires: lua5.4
return {
  id = "attack.loop-coroutine-close", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local co = coroutine.create(function()
      local guard <close> = setmetatable({}, {__close = function() while true do end end})
      coroutine.yield()
    end)
    coroutine.resume(co)
    while true do coroutine.close(co) end
  end,
}
