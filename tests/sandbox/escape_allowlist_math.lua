-- attack: enumerate the math library, looking for functions beyond its
--   allowlist (Lua 5.4 math plus Debian's LUA_COMPAT_MATHLIB functions, all
--   pure).
-- expect: ok   (the math table holds exactly the allowed names)
-- requires: lua5.4
local want = "abs acos asin atan atan2 ceil cos cosh deg exp floor fmod frexp huge ldexp log log10 max maxinteger min mininteger modf pi pow rad random randomseed sin sinh sqrt tan tanh tointeger type ult"
local function keys(t)
  local r = {}
  for k in next, t do r[#r + 1] = tostring(k) end
  table.sort(r)
  return table.concat(r, " ")
end
return {
  id = "attack.escape-allowlist-math", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local got = keys(math)
    if got ~= want then ctx.fail("math: " .. got) end
  end,
}
