-- attack: learn a heap address through string.format("%p"); addresses defeat
--   ASLR and help any memory-corruption exploit, and issue 5 says none may
--   leak.
-- expect: ok   (the result, or the error, holds no address)
local function leaks(s)
  s = tostring(s)
  return s:find("0x%x%x%x%x") or s:find("%x%x%x%x%x%x%x%x") ~= nil
end
return {
  id = "attack.addr-format-p", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local ok, s = pcall(function() return string.format("%p", {}) end)
    if leaks(s) then ctx.fail("address leaked: " .. tostring(s)) end
  end,
}
