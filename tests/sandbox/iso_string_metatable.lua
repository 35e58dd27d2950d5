-- attack: policy 1 sets getmetatable("").__index (and __add, __call) so that
--   every string method answers "evil"; policy 2 must see the stock string
--   metatable.
-- expect: ok   (the string metatable is per policy or read-only)
return {
  id = "attack.iso-string-metatable-1", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    pcall(function()
      local mt = getmetatable("")
      mt.__index = function() return function() return "evil" end end
      mt.__add = function() return "evil" end
      mt.__call = function() return "evil" end
    end)
  end,
}
--8<-- policy 2: the victim
return {
  id = "attack.iso-string-metatable-2", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if ("abc"):upper() ~= "ABC" or ("x"):rep(3) ~= "xxx" then
      ctx.fail("string methods were replaced")
    end
    if getmetatable("").__index ~= string then ctx.fail("__index is not string") end
    if pcall(function() return ("a") + ("b") end) then ctx.fail("__add was set") end
    if pcall(function() return ("a")() end) then ctx.fail("__call was set") end
  end,
}
