-- Tests of debt.schema-mismatch: every entry of a model's input_schema
-- names the schema_version its dataset is at. One finding per entry that
-- does not (or names no registered dataset), at input_schema/DATASET.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local function registry(input_schema, datasets)
  return {
    datasets = datasets or {
      ["crm.leads"] = { schema_version = "5" },
      ["crm.accounts"] = { schema_version = "12" },
      ["raw/events"] = { schema_version = "1" },
      unversioned = {},
    },
    models = { scorer = { version = "1", input_schema = input_schema } },
  }
end

t.case("matching versions pass", function()
  t.none(t.check(registry({ ["crm.leads"] = "5", ["crm.accounts"] = "12" }), NOW))
end)

t.case("no input_schema, no finding", function()
  t.none(t.check(registry(nil), NOW))
end)

t.case("another version fires at input_schema/DATASET", function()
  local found = t.check(registry({ ["crm.leads"] = "4", ["crm.accounts"] = "12" }),
                        NOW)
  t.expect(found, { {
    policy = "debt.schema-mismatch", subject = "scorer", severity = "high",
    path = "/models/scorer/input_schema/crm.leads",
    message = "expects schema version 4 of 'crm.leads', but the dataset is at 5",
  } })
  t.eq(found[1].evidence, { dataset = "crm.leads", expected = "4",
                            schema_version = "5" }, "evidence")
end)

t.case("one finding per mismatched dataset", function()
  t.expect(t.check(registry({ ["crm.leads"] = "6", ["crm.accounts"] = "1" }), NOW), {
    { path = "/models/scorer/input_schema/crm.accounts" },
    { path = "/models/scorer/input_schema/crm.leads" },
  })
end)

t.case("a dataset without schema_version fires", function()
  t.expect(t.check(registry({ unversioned = "1" }), NOW), { {
    path = "/models/scorer/input_schema/unversioned",
    message = "the dataset is at no version",
  } })
end)

t.case("a dataset that is not registered fires", function()
  t.expect(t.check(registry({ ["crm.lead"] = "5" }), NOW), { {
    path = "/models/scorer/input_schema/crm.lead",
    message = "'crm.lead', which is not a registered dataset",
  } })
end)

t.case("a number and the same string are the same version", function()
  t.none(t.check(registry({ ["crm.leads"] = 5 }), NOW))
  t.expect(t.check(registry({ ["crm.leads"] = 6 }), NOW),
           { { path = "/models/scorer/input_schema/crm.leads" } })
end)

t.case("a '/' in a dataset id is escaped in the pointer", function()
  t.none(t.check(registry({ ["raw/events"] = "1" }), NOW))
  t.expect(t.check(registry({ ["raw/events"] = "2" }), NOW),
           { { path = "/models/scorer/input_schema/raw~1events" } })
end)

-- {=== What lineage saw =================================================== }

local function seen(at, ds, version, fields)
  return { at = at, kind = "schema", dataset = ds, version = version,
           fields = fields, job = "loader", source = "openlineage" }
end

local function observe(observations, input_schema, datasets)
  return t.check(registry(input_schema or { ["crm.leads"] = "5" }, datasets),
                 { now = "2026-11-26", observations = observations })
end

t.case("lineage seeing another version fires before the registry changes", function()
  local found = observe({ seen("2026-11-20", "crm.leads", "5", 5),
                          seen("2026-11-23T06:00:00Z", "crm.leads", "6", 6) })
  t.expect(found, { {
    policy = "debt.schema-mismatch", subject = "scorer", severity = "high",
    path = "/models/scorer/input_schema/crm.leads", key = "observed",
    message = "expects schema version 5 of 'crm.leads', but lineage saw "
              .. "version 6 on 2026-11-23T06:00:00Z (the registry says 5)",
  } })
  t.eq(found[1].evidence.observed, { version = "6",
                                     at = "2026-11-23T06:00:00Z",
                                     fields = 6, job = "loader" }, "observed")
end)

t.case("the latest version seen decides, not the most frequent", function()
  t.none(observe({ seen("2026-11-01", "crm.leads", "6"),
                   seen("2026-11-02", "crm.leads", "6"),
                   seen("2026-11-03", "crm.leads", "5") }))
end)

t.case("records without a version, of other datasets, or after now do not count", function()
  t.none(observe({ { at = "2026-11-23", kind = "schema", dataset = "crm.leads",
                     fields = 9 } }))
  t.none(observe({ seen("2026-11-20", "crm.accounts", "99") }))
  t.none(observe({ seen("2026-11-27", "crm.leads", "6") }))
  t.none(observe({ { at = "2026-11-20", subject = "crm.leads",
                     metric = "schema", value = 6 } }))
end)

t.case("a number in input_schema and the same version seen pass", function()
  t.none(observe({ seen("2026-11-20", "crm.leads", "5") },
                 { ["crm.leads"] = 5 }))
end)

t.case("when the registry already says the version seen, one finding", function()
  local found = observe({ seen("2026-11-20", "crm.leads", "6") },
                        { ["crm.leads"] = "5" },
                        { ["crm.leads"] = { schema_version = "6" } })
  t.expect(found, { { path = "/models/scorer/input_schema/crm.leads",
                      message = "but the dataset is at 6" } })
  t.eq(found[1].key, nil, "the registry's finding keeps its identity")
end)

t.case("a version seen that is neither expected nor registered: both", function()
  t.expect(observe({ seen("2026-11-20", "crm.leads", "7") },
                   { ["crm.leads"] = "5" },
                   { ["crm.leads"] = { schema_version = "6" } }), {
    { message = "but the dataset is at 6" },
    { key = "observed", message = "lineage saw version 7 on 2026-11-20 "
                                  .. "(the registry says 6)" },
  })
end)

t.case("an unregistered dataset is reported once, whatever lineage saw", function()
  t.expect(observe({ seen("2026-11-20", "crm.lead", "6") },
                   { ["crm.lead"] = "5" }),
           { { message = "which is not a registered dataset" } })
end)
