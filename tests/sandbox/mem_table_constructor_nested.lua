-- attack: a constructor of a million empty tables.
-- expect: memory
return {
  id = "attack.mem-table-constructor-nested", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local f = load("return {" .. string.rep("{},", 1000000) .. "}")
    if f then local t = f() end
  end,
}
