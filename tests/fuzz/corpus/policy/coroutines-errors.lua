local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
return {
  id = "fuzz.coroutines", severity = "medium", enforcement = "advisory",
  subjects = "models",
  check = function(node, ctx)
    local ok, e = pcall(error, {code = 1})
    local ok2, e2 = xpcall(function() return nil + 1 end, function(m) return "handled: " .. m end)
    local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
    local _, x = coroutine.resume(co, 1)
    local _, y = coroutine.resume(co, x)
    local t = setmetatable({}, {__index = function(_, k) return k .. "!" end})
    local s = table.concat({t.a, tostring(y), select("#", 1, 2, 3), os.date("!%Y-%m-%d", ctx.now)}, ",")
    if not ok and ok2 == false then ctx.fail(s .. " " .. e2, {severity = "low"}) end
  end,
}
