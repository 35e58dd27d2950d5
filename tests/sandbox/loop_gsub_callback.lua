-- attack: a gsub replacement function that loops, under pcall, again and
--   again.
-- expect: instructions
return {
  id = "attack.loop-gsub-callback", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    while true do pcall(string.gsub, "aaa", ".", function() while true do end end) end
  end,
}
