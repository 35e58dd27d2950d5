-- attack: weak tables and ephemerons (__mode) full of garbage while memory
--   churns: allowed, and must stay harmless.
-- expect: ok
return {
  id = "attack.gc-weak-tables", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local weak = setmetatable({}, {__mode = "kv"})
    local eph = setmetatable({}, {__mode = "k"})
    for i = 1, 100000 do
      local k = {}
      weak[k] = {i}
      eph[k] = k
      weak[i] = tostring(i)
    end
  end,
}
