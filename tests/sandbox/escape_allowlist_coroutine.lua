-- attack: enumerate the coroutine library, looking for functions beyond its
--   allowlist (all of it, wrapped).
-- expect: ok   (the coroutine table holds exactly the allowed names)
-- requires: lua5.4
local want = "close create isyieldable resume running status wrap yield"
local function keys(t)
  local r = {}
  for k in next, t do r[#r + 1] = tostring(k) end
  table.sort(r)
  return table.concat(r, " ")
end
return {
  id = "attack.escape-allowlist-coroutine", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local got = keys(coroutine)
    if got ~= want then ctx.fail("coroutine: " .. got) end
  end,
}
