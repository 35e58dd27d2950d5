-- attack: reach the host's globals through load: the default environment, an
--   explicit nil or empty environment, _ENV tricks, and a chunk asking for
--   the registry's globals table.
-- expect: ok   (a loaded chunk sees this policy's globals and nothing more)
-- requires: lua5.4
return {
  id = "attack.load-env-host-globals", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if load("return _G")() ~= _G then ctx.fail("load's _G is not the policy's") end
    if load("return _ENV")() ~= _G then ctx.fail("load's _ENV is not the policy's") end
    for _, n in ipairs({"io", "debug", "package", "dofile", "loadfile"}) do
      if load("return " .. n)() ~= nil then ctx.fail(n .. " reachable through load") end
      if load("return _ENV." .. n)() ~= nil then ctx.fail(n .. " reachable through _ENV") end
    end
    if load("return print", "x", "t", {})() ~= nil then ctx.fail("an empty env is not empty") end
    local f = load("return print", "x", "t", nil)
    if f and pcall(f) then ctx.fail("a nil env gave globals") end
    local env = setmetatable({}, {__index = function(_, k) return nil end})
    if load("return getmetatable", "x", "t", env)() ~= nil then ctx.fail("env proxy leaked") end
    if load("local _ENV = ... return io", "x", "t")({}) ~= nil then ctx.fail("_ENV param leaked") end
    -- A chunk's own upvalue is its env; nothing else is reachable.
    if load("return ...", "x", "t")(1) ~= 1 then ctx.fail("varargs broken") end
  end,
}
