-- attack: one table.move call over 2^62 absent keys: a C loop of
--   lua_geti/lua_seti with no VM instruction, so the count hook never fires
--   (hours of CPU).
-- expect: instructions
-- requires: lua5.4
return {
  id = "attack.cpu-table-move-huge", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    table.move({}, 1, 2^62, 2)
  end,
}
