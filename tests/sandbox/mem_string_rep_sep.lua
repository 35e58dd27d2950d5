-- attack: string.rep with a separator, 300 MB in all.
-- expect: memory
return {
  id = "attack.mem-string-rep-sep", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local s = string.rep("x", 100000000, "yy")
  end,
}
