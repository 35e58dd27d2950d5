-- attack: a chain of 100,000 tables each the __index of the previous one.
--   On LuaJIT: the VM's own chain limit stops it.
-- expect: runtime "loop in gettable"
-- requires: luajit
return {
  id = "attack.rec-index-table-chain", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    for i = 1, 100000 do t = setmetatable({}, {__index = t}) end
    local v = t.missing
  end,
}
