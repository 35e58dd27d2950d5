-- attack: table.insert(t, 1, x) and table.remove(t, 1) on a 2-million-entry
--   array: each call shifts every element in C, some 15 ms per VM
--   instruction, so a hook that looks at the clock every 1000 instructions
--   sees it only every few seconds.
--   The shifts are charged to the instruction budget by the array's length.
-- expect: runaway   (budget or deadline, whichever the build's speed brings first)
return {
  id = "attack.cpu-table-shift", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    for i = 1, 2000000 do t[i] = i end
    while true do
      table.insert(t, 1, 0)
      table.remove(t, 1)
    end
  end,
}
