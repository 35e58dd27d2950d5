-- attack: the same 100 MiB policy at the default memory limit (64 MiB).
--   On LuaJIT: strings are interned: 26 distinct 1 MiB strings stay far below the cap.
-- expect: ok
-- requires: luajit
return {
  id = "attack.slow-legit-default-memory", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if node.id ~= "a" then return end
    local t = {}
    for i = 1, 100 do t[i] = string.rep(string.char(64 + i % 26), 2^20) end
  end,
}
