-- attack: an endless loop of string calls on a 4 KiB string: few VM
--   instructions, most of the time in C functions between them.
-- expect: runaway   (budget or deadline: C string work is charged to the budget)
return {
  id = "attack.loop-string-methods", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.rep("abc", 1400)
    while true do s = s:upper():lower() end
  end,
}
