-- attack: enumerate the string library, looking for functions beyond its
--   allowlist (dump must be gone).
-- expect: ok   (the string table holds exactly the allowed names)
-- requires: lua5.4
local want = "byte char find format gmatch gsub len lower match pack packsize rep reverse sub unpack upper"
local function keys(t)
  local r = {}
  for k in next, t do r[#r + 1] = tostring(k) end
  table.sort(r)
  return table.concat(r, " ")
end
return {
  id = "attack.escape-allowlist-string", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local got = keys(string)
    if got ~= want then ctx.fail("string: " .. got) end
  end,
}
