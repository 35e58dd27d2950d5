-- attack: a gsub over a megabyte with a replacement table whose __index
--   loops.
-- expect: runaway   (budget or deadline: matcher steps are charged to the budget)
return {
  id = "attack.pat-gsub-callback-table", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local repl = setmetatable({}, {__index = function() while true do end end})
    string.gsub(string.rep("a", 2^20), ".", repl)
  end,
}
