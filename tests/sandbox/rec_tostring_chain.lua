-- attack: a __tostring that calls tostring on another such table, 100,000
--   deep.
-- expect: runtime "stack overflow"
return {
  id = "attack.rec-tostring-chain", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local t = {}
    for i = 1, 100000 do
      local inner = t
      t = setmetatable({}, {__tostring = function() return tostring(inner) end})
    end
    local s = tostring(t)
  end,
}
