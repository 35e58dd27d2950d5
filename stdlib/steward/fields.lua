-- steward.fields: presence checks with the same meaning in every policy.
local M = {}

-- A field is present when it is neither nil nor an empty string.
function M.present(v)
  return v ~= nil and v ~= ""
end

-- The names in `fields` that obj lacks, in the order given.
function M.missing(obj, fields)
  local out = {}
  for _, name in ipairs(fields) do
    if not M.present(obj[name]) then out[#out + 1] = name end
  end
  return out
end

return M
