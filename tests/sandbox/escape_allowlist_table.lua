-- attack: enumerate the table library, looking for functions beyond its
--   allowlist (all of it).
-- expect: ok   (the table table holds exactly the allowed names)
-- requires: lua5.4
local want = "concat insert move pack remove sort unpack"
local function keys(t)
  local r = {}
  for k in next, t do r[#r + 1] = tostring(k) end
  table.sort(r)
  return table.concat(r, " ")
end
return {
  id = "attack.escape-allowlist-table", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local got = keys(table)
    if got ~= want then ctx.fail("table: " .. got) end
  end,
}
