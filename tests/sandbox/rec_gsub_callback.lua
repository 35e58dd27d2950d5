-- attack: a gsub callback that calls gsub again: C stack recursion through
--   the pattern matcher.
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-gsub-callback", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function f() string.gsub("a", ".", f) end
    f()
  end,
}
