return {
  id = "fuzz.runaway", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if node.id == "a" then while true do pcall(function() while true do end end) end end
    local s = "x"
    while true do s = s .. s end
  end,
}
