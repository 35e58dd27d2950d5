-- attack: recursive gsub through a replacement table whose __index calls gsub
--   again (testes/cstack.lua).
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-gsub-metatable", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local foo
    local t = setmetatable({}, {__index = function() return foo() end})
    foo = function() string.gsub("a", ".", t) end
    foo()
  end,
}
