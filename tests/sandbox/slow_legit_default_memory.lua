-- attack: the same 100 MiB policy at the default memory limit (64 MiB).
--   Its deadline is raised so that only the memory limit can stop it, on a
--   slow (sanitizer) build too.
-- expect: memory
-- time: 10
-- requires: lua5.4
return {
  id = "attack.slow-legit-default-memory", severity = "high", subjects = "workflows",
  limits = { seconds = 10 },
  check = function(node, ctx)
    if node.id ~= "a" then return end
    local t = {}
    for i = 1, 100 do t[i] = string.rep(string.char(64 + i % 26), 2^20) end
  end,
}
