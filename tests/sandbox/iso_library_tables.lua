-- attack: policy 1 vandalises the library tables (table.insert, math.floor,
--   coroutine.wrap, os.time, string.char, the string global itself); policy 2
--   must get them intact.
-- expect: ok   (library tables are per policy)
return {
  id = "attack.iso-library-tables-1", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    pcall(function()
      table.insert = nil
      math.floor = function() return 42 end
      coroutine.wrap = nil
      os.time = function() return 0 end
      string.char = error
      string = nil
    end)
  end,
}
--8<-- policy 2: the victim
return {
  id = "attack.iso-library-tables-2", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    if type(table.insert) ~= "function" then return ctx.fail("table.insert gone") end
    table.insert(t, 1)
    if math.floor(2.5) ~= 2 then ctx.fail("math.floor replaced") end
    if type(coroutine.wrap) ~= "function" then ctx.fail("coroutine.wrap gone") end
    if os.time() == 0 then ctx.fail("os.time replaced") end
    if string.char(65) ~= "A" then ctx.fail("string.char replaced") end
    if type(string) ~= "table" then ctx.fail("string gone") end
  end,
}
