-- attack: table.sort of a million numbers with the default comparator: all in
--   C, about 0.4 s per call, no hook inside.
-- expect: runaway   (budget or deadline: sorting is charged to the budget)
return {
  id = "attack.cpu-sort-big", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    for i = 1, 1000000 do t[i] = (i * 7919) % 1000003 end
    while true do
      table.sort(t)
      table.sort(t, nil)
      for i = 1, 8 do t[i], t[#t - i] = t[#t - i], t[i] end
    end
  end,
}
