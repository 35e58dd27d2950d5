-- attack: policy 1 writes globals (plainly, through _G, through rawset) and
--   gives _G a metatable that invents values; policy 2, in the same run, must
--   see none of it.
-- expect: ok   (globals are per policy)
return {
  id = "attack.iso-global-write-1", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    leak = "from policy 1"
    _G.leak2 = "from policy 1"
    rawset(_G, "leak3", "from policy 1")
    setmetatable(_G, {__index = function(_, k) return "invented " .. k end})
  end,
}
--8<-- policy 2: the victim
return {
  id = "attack.iso-global-write-2", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if leak ~= nil or leak2 ~= nil or rawget(_G, "leak3") ~= nil then
      ctx.fail("saw policy 1's globals")
    end
    if undefined_name ~= nil or getmetatable(_G) ~= nil then
      ctx.fail("saw policy 1's _G metatable")
    end
  end,
}
