-- attack: an __index function that indexes its own table with a new key: C
--   recursion through metamethods.
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-index-function-chain", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = setmetatable({}, {__index = function(t, k) return t[k .. "x"] end})
    local v = t.a
  end,
}
