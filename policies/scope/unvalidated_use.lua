-- scope.unvalidated-use: a model used by a workflow it was never validated
-- for is scope creep, whatever the workflow's stage.
local debt = require "steward.debt"

return {
  id = "scope.unvalidated-use",
  title = "A workflow uses only models validated for it",
  severity = "high",
  enforcement = "mandatory",
  subjects = "workflows",
  params = {},
  check = function(w, ctx)
    local g = ctx.graph
    if not debt.judged(w, g) then return end
    local seen = {}
    for _, e in ipairs(debt.uses_entries(w)) do
      local m = g.node(e.model)
      if m ~= nil and m.kind == "model" and not seen[e.model] then
        seen[e.model] = true
        if not debt.lists(m.validated_for, w.id) then
          local validated = {}
          if m.validated_for ~= nil then
            for i = 1, #m.validated_for do validated[i] = m.validated_for[i] end
          end
          ctx.fail(string.format("uses model '%s', which is not validated for "
                                 .. "'%s'", e.model, w.id), {
            path = "uses/" .. e.index,
            evidence = { model = e.model, validated_for = validated },
          })
        end
      end
    end
  end,
}
