-- attack: policy 1 replaces string.upper and string.lower (plainly and
--   through rawset); policy 2 must still get the real ones, as functions and
--   as methods.
-- expect: ok   (library tables are per policy)
return {
  id = "attack.iso-string-upper-1", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    string.upper = function() return "pwned" end
    rawset(string, "lower", function() return "pwned" end)
    if ("abc"):upper() ~= "pwned" then ctx.fail("the replacement did not even work here") end
  end,
}
--8<-- policy 2: the victim
return {
  id = "attack.iso-string-upper-2", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if string.upper("abc") ~= "ABC" or ("abc"):upper() ~= "ABC" then
      ctx.fail("string.upper was replaced")
    end
    if string.lower("ABC") ~= "abc" or ("ABC"):lower() ~= "abc" then
      ctx.fail("string.lower was replaced")
    end
  end,
}
