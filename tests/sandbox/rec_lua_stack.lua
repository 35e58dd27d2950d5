-- attack: unbounded Lua recursion (the Lua stack, not the C stack).
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-lua-stack", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function f(n) return 1 + f(n + 1) end
    f(1)
  end,
}
