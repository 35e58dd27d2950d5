-- steward.versions: whether two version fields name the same version, the
-- same way for a model's pinned version and a dataset's schema version.
local M = {}

-- True when a and b name the same version. Versions are labels, compared
-- as written: 5 and "5" are one version (JSON lets either be written), but
-- "3.2" is not "3.2.0" and "1.0 " is not "1.0". A missing version (nil)
-- is the same as nothing, not even another missing one.
function M.same(a, b)
  if a == nil or b == nil then return false end
  return tostring(a) == tostring(b)
end

return M
