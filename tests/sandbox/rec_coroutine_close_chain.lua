-- attack: a chain of 20,000 coroutines, each closing the previous one from a
--   pending __close (crashes Lua 5.4.0-5.4.4, fixed upstream in 5.4.5).
-- expect: runtime "stack overflow"
-- requires: lua5.4
return {
  id = "attack.rec-coroutine-close-chain", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local coro = false
    for i = 1, 20000 do
      local previous = coro
      coro = coroutine.create(function()
        local cc <close> = setmetatable({}, {__close = function()
          if previous then assert(coroutine.close(previous)) end
        end})
        coroutine.yield()
      end)
      assert(coroutine.resume(coro))
    end
    local ok, msg = coroutine.close(coro)
    error(msg, 0)
  end,
}
