-- attack: s:upper() on a 16 MiB string in a loop: some 25 ms of C work per
--   four VM instructions.
-- expect: runaway   (budget or deadline: C string work is charged to the budget)
return {
  id = "attack.cpu-string-upper-big", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.rep("x", 16 * 2^20)
    while true do local u = s:upper() end
  end,
}
