-- attack: a table constructor with ten million items, compiled by load (the
--   parser allocates code and constants in one C call).
-- expect: memory
return {
  id = "attack.mem-table-constructor-huge", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local f = load("return {" .. string.rep("1,", 10000000) .. "}")
    if f then f() end
  end,
}
