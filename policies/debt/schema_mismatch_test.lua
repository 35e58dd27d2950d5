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
