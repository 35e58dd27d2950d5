-- attack: reach the host's globals through load: the default environment, an
--   explicit nil or empty environment, _ENV tricks, and a chunk asking for
--   the registry's globals table.
--   On LuaJIT there is no _ENV: the same checks without it.
-- expect: ok   (a loaded chunk sees this policy's globals and nothing more)
-- requires: luajit
return {
  id = "attack.load-env-host-globals", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if load("return _G")() ~= _G then ctx.fail("load's _G is not the policy's") end
    for _, n in ipairs({"io", "debug", "package", "dofile", "loadfile"}) do
      if load("return " .. n)() ~= nil then ctx.fail(n .. " reachable through load") end
    end
    if load("return print", "x", "t", {})() ~= nil then ctx.fail("an empty env is not empty") end
    -- LuaJIT's load takes no env argument: a chunk always gets this
    -- policy's own globals (the allowlist), never the host's.
    local f = load("return io", "x", "t", nil)
    if f and f() ~= nil then ctx.fail("io through load with a nil env") end
    local env = setmetatable({}, {__index = function(_, k) return nil end})
    if load("return getmetatable", "x", "t", env)() ~= nil then ctx.fail("env proxy leaked") end
    -- A chunk's own upvalue is its env; nothing else is reachable.
    if load("return ...", "x", "t")(1) ~= 1 then ctx.fail("varargs broken") end
  end,
}
