-- attack: enumerate the os library, looking for functions beyond its
--   allowlist (execute, exit, getenv, remove, rename, tmpname, setlocale,
--   difftime must be gone).
-- expect: ok   (the os table holds exactly the allowed names)
-- requires: lua5.4
local want = "clock date time"
local function keys(t)
  local r = {}
  for k in next, t do r[#r + 1] = tostring(k) end
  table.sort(r)
  return table.concat(r, " ")
end
return {
  id = "attack.escape-allowlist-os", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local got = keys(os)
    if got ~= want then ctx.fail("os: " .. got) end
  end,
}
