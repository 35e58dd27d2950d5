-- process.mapping: redesign needs the actual process, not the official one.
-- From stage redesign on, a workflow that uses a model has its current
-- workflow documented as it is done: process.mapping.documented is true
-- and process.mapping.mapped_at says when it was mapped. One finding, at
-- the first field missing (steward.process.mapping, which sequencing step
-- 3 shares).
local graph = require "steward.graph"
local process = require "steward.process"

return {
  id = "process.mapping",
  title = "The current workflow is mapped before it is redesigned",
  severity = "medium",
  enforcement = "mandatory",
  layer = "process",
  subjects = "workflows",
  params = {},
  check = function(w, ctx)
    if not (graph.ai_integrated(w, ctx.graph)
            and graph.stage_at_least(w, "redesign")) then
      return
    end
    local fault = process.mapping(w)
    if fault then
      ctx.fail(fault.message .. ": redesign needs the actual process, not "
               .. "the official one",
               { path = fault.field, evidence = { faults = fault.faults } })
    end
  end,
}
