-- attack: Lua-stack overflow in xpcall whose message handler overflows again
--   (testes/cstack.lua, 'stack overflow in message handling').
-- expect: ok   (xpcall returns false, "error in error handling")
return {
  id = "attack.rec-lua-overflow-in-handler", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function loop(x, y, z) return 1 + loop(x, y, z) end
    local res, msg = xpcall(loop, loop)
    if res or msg ~= "error in error handling" then
      ctx.fail("xpcall returned " .. tostring(res) .. ", " .. tostring(msg))
    end
  end,
}
