-- attack: C-stack overflow while handling a C-stack overflow: pcall recursion
--   with the same function as xpcall's message handler (the shape of
--   CVE-2022-33099, a heap overflow in luaG_runerror on Lua <= 5.4.4; Lua's
--   testes/calls.lua).
-- expect: ok   (xpcall returns false and a message about the error)
return {
  id = "attack.rec-overflow-in-handler", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function loop() assert(pcall(loop)) end
    local err, msg = xpcall(loop, loop)
    if err or not string.find(tostring(msg), "error") then
      ctx.fail("xpcall returned " .. tostring(err) .. ", " .. tostring(msg))
    end
  end,
}
