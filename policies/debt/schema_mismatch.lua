-- debt.schema-mismatch: a model built for one version of a dataset's schema
-- reading another breaks quietly. One finding per input_schema entry whose
-- version is not the dataset's schema_version (or names no dataset).
local pointer = require "steward.pointer"
local versions = require "steward.versions"

return {
  id = "debt.schema-mismatch",
  title = "A model's input schema matches the datasets it reads",
  severity = "high",
  enforcement = "mandatory",
  layer = "technical",
  subjects = "models",
  params = {},
  check = function(m, ctx)
    local schema = m.input_schema
    if schema == nil or type(schema) ~= "userdata" then return end
    local names = {}
    for ds in pairs(schema) do
      if type(ds) == "string" then names[#names + 1] = ds end
    end
    table.sort(names)
    for _, ds in ipairs(names) do
      local want = schema[ds]
      local d = ctx.graph.node(ds)
      local path = "input_schema/" .. pointer.escape(ds)
      if d == nil or d.kind ~= "dataset" then
        ctx.fail(string.format("input_schema names '%s', which is not a "
                               .. "registered dataset", ds), {
          path = path, evidence = { dataset = ds, expected = want },
        })
      elseif not versions.same(d.schema_version, want) then
        ctx.fail(string.format("expects schema version %s of '%s', but the "
                               .. "dataset is at %s", tostring(want), ds,
                               tostring(d.schema_version or "no version")), {
          path = path,
          evidence = { dataset = ds, expected = want,
                       schema_version = d.schema_version },
        })
      end
    end
  end,
}
