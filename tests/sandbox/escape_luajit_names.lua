-- attack: look for the LuaJIT and Lua 5.1 names that open the VM: ffi, jit,
--   newproxy (userdata with __gc), setfenv/getfenv (other functions'
--   environments), loadstring, module, gcinfo, bit, unpack, and the same
--   through require and the string metatable.
-- expect: ok   (none of them is reachable)
local names = {"ffi", "jit", "newproxy", "setfenv", "getfenv", "loadstring",
  "module", "gcinfo", "bit", "bit32", "unpack", "warn", "io", "debug",
  "package", "dofile", "loadfile", "arg", "steward"}
return {
  id = "attack.escape-luajit-names", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    for _, n in ipairs(names) do
      if rawget(_G, n) ~= nil then ctx.fail("global " .. n .. " is reachable") end
      if load("return " .. n)() ~= nil then ctx.fail(n .. " is reachable through load") end
      local ok = pcall(require, n)
      if ok then ctx.fail("require('" .. n .. "') works") end
    end
    for _, n in ipairs({"ffi", "jit", "dump"}) do
      if ("x")[n] ~= nil then ctx.fail("string method " .. n .. " is reachable") end
    end
  end,
}
