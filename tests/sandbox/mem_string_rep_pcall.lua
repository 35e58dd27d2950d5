-- attack: string.rep of a gigabyte under pcall, then carry on as if it failed
--   politely.
-- expect: memory
return {
  id = "attack.mem-string-rep-pcall", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local ok = pcall(string.rep, "x", 2^30)
    local n = 0
    for i = 1, 1000 do n = n + i end
  end,
}
