-- attack: compare two equal 8 MiB strings in a loop: each == is one VM
--   instruction doing an 8 MiB memcmp (long strings are not interned).
-- expect: runaway   (budget or deadline, whichever comes first)
return {
  id = "attack.cpu-string-compare-big", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local a = string.rep("x", 8 * 2^20)
    local b = string.rep("x", 8 * 2^20)
    local n = 0
    while a == b do n = n + 1 end
  end,
}
