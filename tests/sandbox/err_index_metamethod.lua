-- attack: raise an error value whose __index, __len, __concat and __name
--   would run or mislead if the host touched them.
-- expect: runtime "(error object is a table value)"
return {
  id = "attack.err-index-metamethod", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local function spin() while true do end end
    error(setmetatable({}, {__index = spin, __len = spin, __concat = spin, __eq = spin, __name = "string"}))
  end,
}
