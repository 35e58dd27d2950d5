-- scope.unvalidated-use: a model used by a workflow it was never validated
-- for is scope creep, whatever the workflow's stage.
local graph = require "steward.graph"

return {
  id = "scope.unvalidated-use",
  title = "A workflow uses only models validated for it",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "workflows",
  params = {},
  check = function(w, ctx)
    local g = ctx.graph
    if not graph.ai_integrated(w, g) then return end
    local seen = {}
    for _, e in ipairs(graph.uses_entries(w)) do
      local m = g.node(e.model)
      if m ~= nil and m.kind == "model" and not seen[e.model] then
        seen[e.model] = true
        if not graph.set_of(ctx, m, "validated_for")[w.id] then
          -- The first few workflows it is validated for: a model validated
          -- for thousands would otherwise copy them into every finding.
          local validated, total = {}, 0
          if m.validated_for ~= nil then
            total = #m.validated_for
            for i = 1, math.min(total, 20) do validated[i] = m.validated_for[i] end
          end
          ctx.fail(string.format("uses model '%s', which is not validated for "
                                 .. "'%s'", e.model, w.id), {
            path = "uses/" .. e.index,
            evidence = { model = e.model, validated_for = validated,
                         validated_for_count = total },
          })
        end
      end
    end
  end,
}
