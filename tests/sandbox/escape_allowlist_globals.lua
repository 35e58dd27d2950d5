-- attack: enumerate the globals, looking for anything beyond the allowlist
--   (io, debug, package, dofile, loadfile, require's host loader, ffi, jit,
--   newproxy, setfenv, warn, ...).
-- expect: ok   (the global table holds exactly the allowed names)
-- requires: lua5.4
local want = "_G _VERSION assert collectgarbage coroutine error getmetatable " ..
  "ipairs load math next os pairs pcall print rawequal rawget rawlen rawset " ..
  "require select setmetatable string table tonumber tostring type utf8 xpcall"
local function keys(t)
  local r = {}
  for k in next, t do r[#r + 1] = tostring(k) end
  table.sort(r)
  return table.concat(r, " ")
end
return {
  id = "attack.escape-allowlist-globals", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local got = keys(_G)
    if got ~= want then ctx.fail("globals: " .. got) end
    if _G._G ~= _G then ctx.fail("_G._G is not _G") end
    if getmetatable(_G) ~= nil then ctx.fail("_G has a metatable") end
  end,
}
