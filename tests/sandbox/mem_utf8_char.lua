-- attack: utf8.char of 100,000 four-byte code points, then doubled
--   (with more utf8.char) without end.
-- expect: memory
-- requires: lua5.4
return {
  id = "attack.mem-utf8-char", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local args = {}
    for i = 1, 100000 do args[i] = 0x10FFFF end
    local s = utf8.char(table.unpack(args))
    while true do s = s .. utf8.char(table.unpack(args, 1, 1000)) .. s end
  end,
}
