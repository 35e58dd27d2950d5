-- attack: the same slow policy as slow_legit_raised_limits without raised
--   limits: at the defaults it is told apart from the legitimate one by a
--   finding that names the limit, its value and how far it got.
-- expect: instructions
return {
  id = "attack.slow-legit-default-limits", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if node.id ~= "a" then return end
    local n = 0
    for i = 1, 200000000 do n = n + 1 end
  end,
}
