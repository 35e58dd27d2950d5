-- steward.pointer: the pieces of the JSON Pointers (RFC 6901) a finding's
-- `path` is made of, when a policy builds one from registry data.
local M = {}

-- A reference token: "~" → "~0", "/" → "~1", so a dataset id such as
-- "raw/events" stays one token ("input_schema/raw~1events").
function M.escape(token)
  return (tostring(token):gsub("~", "~0"):gsub("/", "~1"))
end

-- The 0-based position of `id` in the array field `list` (the index of a
-- pointer such as "feeds/2"), or nil.
function M.index_of(list, id)
  if list == nil or type(list) == "string" then return nil end
  for i = 1, #list do
    if list[i] == id then return i - 1 end
  end
  return nil
end

return M
