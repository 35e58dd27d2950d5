-- attack: a hot numeric loop (the kind a JIT compiles into a trace, where
--   hooks do not fire).
-- expect: instructions
return {
  id = "attack.loop-hot-trace", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local x = 0
    for i = 1, 2^53 do x = (x + i) % 7 end
  end,
}
