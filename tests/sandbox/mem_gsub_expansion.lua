-- attack: a gsub whose replacement function returns a MiB for each of 100
--   characters: a 100 MiB result built inside one gsub call.
-- expect: memory
return {
  id = "attack.mem-gsub-expansion", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local big = string.rep("x", 2^20)
    local s = string.rep("a", 100):gsub(".", function() return big end)
  end,
}
