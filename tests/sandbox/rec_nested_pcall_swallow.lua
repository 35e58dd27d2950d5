-- attack: pcall inside pcall without end, swallowing the overflow at every
--   level.
-- expect: ok
return {
  id = "attack.rec-nested-pcall-swallow", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function f() pcall(f) end
    f()
  end,
}
