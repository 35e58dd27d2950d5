-- debt.schema-mismatch: a model built for one version of a dataset's schema
-- reading another breaks quietly. One finding per input_schema entry whose
-- version is not the dataset's schema_version (or names no dataset); and,
-- since the registry is edited after the fact, one more (key "observed")
-- when the latest version lineage saw of the dataset (`schema`
-- observations: steward import openlineage, POST /api/v1/lineage) is
-- neither the version the model expects nor the registry's: the mismatch
-- is found when the data changes, before anyone edits the registry.
local obs = require "steward.obs"
local pointer = require "steward.pointer"
local versions = require "steward.versions"

-- The latest `schema` record of dataset d up to now that says a version.
local function observed(ctx, d)
  local list = obs.window(ctx, d, { kind = "schema" })
  for i = #list, 1, -1 do
    local r = list[i].record
    if type(r.version) == "string" then return r end
  end
  return nil
end

local function check_observed(ctx, d, ds, want, path)
  local seen = observed(ctx, d)
  if seen == nil or versions.same(seen.version, want)
      or versions.same(seen.version, d.schema_version) then
    return
  end
  ctx.fail(string.format("expects schema version %s of '%s', but lineage "
                         .. "saw version %s on %s (the registry says %s)",
                         tostring(want), ds, seen.version, seen.at,
                         tostring(d.schema_version or "no version")), {
    path = path, key = "observed",
    evidence = { dataset = ds, expected = want,
                 schema_version = d.schema_version,
                 observed = { version = seen.version, at = seen.at,
                              fields = seen.fields, job = seen.job } },
  })
end

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
      else
        if not versions.same(d.schema_version, want) then
          ctx.fail(string.format("expects schema version %s of '%s', but "
                                 .. "the dataset is at %s", tostring(want),
                                 ds, tostring(d.schema_version
                                              or "no version")), {
            path = path,
            evidence = { dataset = ds, expected = want,
                         schema_version = d.schema_version },
          })
        end
        check_observed(ctx, d, ds, want, path)
      end
    end
  end,
}
