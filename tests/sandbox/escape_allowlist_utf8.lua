-- attack: enumerate the utf8 library, looking for functions beyond its
--   allowlist (all of it).
-- expect: ok   (the utf8 table holds exactly the allowed names)
-- requires: lua5.4
local want = "char charpattern codepoint codes len offset"
local function keys(t)
  local r = {}
  for k in next, t do r[#r + 1] = tostring(k) end
  table.sort(r)
  return table.concat(r, " ")
end
return {
  id = "attack.escape-allowlist-utf8", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local got = keys(utf8)
    if got ~= want then ctx.fail("utf8: " .. got) end
  end,
}
