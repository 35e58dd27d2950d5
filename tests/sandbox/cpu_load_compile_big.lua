-- attack: compile a 1 MiB chunk again and again: the parser runs inside one C
--   call (load), some 30 ms each, with no hook.
-- expect: deadline   (within the 2 s bound)
return {
  id = "attack.cpu-load-compile-big", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local src = string.rep("x=1 ", 250000)
    while true do load(src) end
  end,
}
