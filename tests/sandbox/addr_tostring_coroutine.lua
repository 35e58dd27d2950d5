-- attack: learn a heap address through tostring of a coroutine; addresses
--   defeat ASLR and help any memory-corruption exploit, and issue 5 says none
--   may leak.
-- expect: ok   (the result, or the error, holds no address)
local function leaks(s)
  s = tostring(s)
  return s:find("0x%x%x%x%x") or s:find("%x%x%x%x%x%x%x%x") ~= nil
end
return {
  id = "attack.addr-tostring-coroutine", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local ok, s = pcall(function() return tostring(coroutine.create(function() end)) end)
    if leaks(s) then ctx.fail("address leaked: " .. tostring(s)) end
  end,
}
