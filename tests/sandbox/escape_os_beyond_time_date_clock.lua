-- attack: look for every stock os function beyond time, date and clock,
--   directly, through rawget and through a chunk compiled by load.
-- expect: ok   (os has time, date and clock only)
local stock = {"execute", "exit", "getenv", "remove", "rename", "tmpname",
  "setlocale", "difftime"}
return {
  id = "attack.escape-os-beyond-time-date-clock", severity = "high",
  subjects = "workflows",
  check = function(node, ctx)
    for _, n in ipairs(stock) do
      if os[n] ~= nil or rawget(os, n) ~= nil then ctx.fail("os." .. n .. " is reachable") end
      if load("return os." .. n)() ~= nil then ctx.fail("os." .. n .. " through load") end
    end
    for _, n in ipairs({"time", "date", "clock"}) do
      if type(os[n]) ~= "function" then ctx.fail("os." .. n .. " is missing") end
    end
  end,
}
