-- steward.process: the two checks of process integration that the process
-- pack and sequencing step 3 share, so `process.mapping`,
-- `process.change-management`, `sequencing.order` and `steward readiness`
-- agree.
--
--   mapping  the current workflow is documented as it is actually done:
--            process.mapping.documented is true and process.mapping.mapped_at
--            is set ("redesign needs the actual process, not the official
--            one")
--   change   the redesigned workflow was validated with the people who do
--            the work: process.change.validated_with_users is true and
--            process.change.lead names who leads the change
--
-- Like steward.governance, each check(w) returns nil when the workflow
-- passes, or a fault { field = path relative to the workflow, message =,
-- faults = the names of what is missing }. Neither looks at the stage: the
-- policies and the sequencing step decide when they apply.
local fields = require "steward.fields"

local M = {}

-- The faults of w.process[section]: `flag` must be true and `field` set.
-- describe(name) is the message for one missing name.
local function section_faults(w, section, flag, field, describe)
  local p = w.process
  if p == nil then
    return { field = "process", faults = { flag, field },
             message = describe(nil) }
  end
  local s = p[section]
  if s == nil then
    return { field = "process/" .. section, faults = { flag, field },
             message = describe(nil) }
  end
  local faults, messages = {}, {}
  if s[flag] ~= true then
    faults[#faults + 1] = flag
    messages[#messages + 1] = describe(flag)
  end
  if not fields.present(s[field]) then
    faults[#faults + 1] = field
    messages[#messages + 1] = describe(field)
  end
  if #faults == 0 then return nil end
  return { field = "process/" .. section .. "/" .. faults[1], faults = faults,
           message = table.concat(messages, "; ") }
end

local MAPPING = {
  documented = "the current workflow is not documented "
    .. "(process.mapping.documented is not true)",
  mapped_at = "process.mapping has no mapped_at: when was the actual "
    .. "workflow mapped?",
}

function M.mapping(w)
  return section_faults(w, "mapping", "documented", "mapped_at",
    function(name)
      return MAPPING[name] or "the current workflow is not mapped "
        .. "(no process.mapping)"
    end)
end

local CHANGE = {
  validated_with_users = "the redesigned workflow was not validated with "
    .. "the people who do the work (process.change.validated_with_users "
    .. "is not true)",
  lead = "no change lead (process.change.lead)",
}

function M.change(w)
  return section_faults(w, "change", "validated_with_users", "lead",
    function(name)
      return CHANGE[name] or "no change management: the redesign was not "
        .. "validated with the people who do the work and has no lead "
        .. "(no process.change)"
    end)
end

-- Both, in order: the first fault with its policy id, or nil.
function M.first_fault(w)
  local checks = {
    { "process.mapping", M.mapping(w) },
    { "process.change-management", M.change(w) },
  }
  for _, c in ipairs(checks) do
    if c[2] then return c[1], c[2] end
  end
end

return M
