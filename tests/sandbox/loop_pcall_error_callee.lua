-- attack: catch with pcall(error) after the kill, loop again.
-- expect: instructions
return {
  id = "attack.loop-pcall-error-callee", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do
      pcall(function() while true do end end)
      pcall(error, "again")
    end
  end,
}
