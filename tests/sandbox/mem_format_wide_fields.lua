-- attack: string.format with 99-wide fields, many per call, growing.
-- expect: memory
-- requires: lua5.4
return {
  id = "attack.mem-format-wide-fields", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local fmt = string.rep("%99d", 200)
    local args = {}
    for i = 1, 200 do args[i] = i end
    local t = {}
    for i = 1, 2^53 do t[i] = string.format(fmt, table.unpack(args)) end
  end,
}
