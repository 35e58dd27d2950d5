-- steward.evidence: lists as a finding shows them to a reviewer, short
-- enough to read and to store: evidence cut at a maximum, chains written
-- as arrows with the middle elided.
local M = {}

-- The most items a list in evidence keeps.
M.MAX = 1000

-- At most `max` (default M.MAX) items of a list for evidence: returns the
-- list (a copy when cut) and true when it was cut, else nil.
function M.cap(list, max)
  max = max or M.MAX
  if #list <= max then return list, nil end
  local out = {}
  for i = 1, max do out[i] = list[i] end
  return out, true
end

-- "a -> b -> c", with the middle elided beyond `max` ids (default 12).
function M.arrows(ids, max)
  max = max or 12
  if #ids <= max then return table.concat(ids, " -> ") end
  local head = {}
  for i = 1, max - 2 do head[i] = ids[i] end
  return table.concat(head, " -> ") .. " -> ... -> " .. ids[#ids - 1] ..
         " -> " .. ids[#ids]
end

return M
