-- Tests of technical.data-governance: a model, or a workflow that uses one
-- and is not retired, that reads a dataset classified pii, confidential or
-- restricted has data_governance with approved_by, retention_days and
-- access_audited: true. Evidence lists the sensitive datasets it reads.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local COMPLETE = { approved_by = "privacy-office", retention_days = 90,
                   access_audited = true }

local function registry(model, workflows)
  return {
    datasets = {
      leads = { classification = "pii" },
      deals = { classification = "confidential" },
      vendors = { classification = "restricted" },
      catalog = { classification = "public" },
      wiki = { classification = "internal" },
      unlabelled = {},
    },
    models = { scorer = model or { version = "1" } },
    workflows = workflows,
  }
end

local function model_reading(reads, dg)
  return registry({ version = "1", reads = reads, data_governance = dg })
end

local function copy(dg, changes)
  local out = {}
  for k, v in pairs(dg) do out[k] = v end
  for k, v in pairs(changes) do out[k] = v end
  return out
end

t.case("complete data governance passes", function()
  t.none(t.check(model_reading({ "leads", "deals", "vendors" }, COMPLETE), NOW))
end)

t.case("public, internal or unclassified data needs none", function()
  t.none(t.check(model_reading({ "catalog", "wiki", "unlabelled" }), NOW))
end)

t.case("each sensitive classification fires without data_governance", function()
  for _, ds in ipairs({ "leads", "deals", "vendors" }) do
    local found = t.check(model_reading({ ds, "catalog" }), NOW)
    t.expect(found, { {
      policy = "technical.data-governance", subject = "scorer", severity = "high",
      path = "/models/scorer/data_governance", message = "no data_governance",
    } })
    t.eq(#found[1].evidence.datasets, 1, "only the sensitive dataset")
    t.eq(found[1].evidence.datasets[1].id, ds, "evidence.datasets")
  end
end)

t.case("the evidence lists every sensitive dataset, sorted", function()
  local found = t.check(model_reading({ "vendors", "catalog", "leads", "deals" }), NOW)
  t.expect(found, { { subject = "scorer",
    message = "reads deals (confidential), leads (pii), vendors (restricted) "
              .. "with no data_governance" } })
  t.eq(found[1].evidence.datasets, {
    { id = "deals", classification = "confidential" },
    { id = "leads", classification = "pii" },
    { id = "vendors", classification = "restricted" },
  }, "evidence.datasets")
end)

t.case("each missing field fires, at the first one missing", function()
  t.expect(t.check(model_reading({ "leads" }, copy(COMPLETE, { approved_by = "" })),
                   NOW), { { path = "/models/scorer/data_governance/approved_by",
                             message = "data_governance lacks approved_by" } })
  local no_retention = copy(COMPLETE, {})
  no_retention.retention_days = nil
  t.expect(t.check(model_reading({ "leads" }, no_retention), NOW),
           { { path = "/models/scorer/data_governance/retention_days" } })
  t.expect(t.check(model_reading({ "leads" }, copy(COMPLETE, { access_audited = false })),
                   NOW), { { path = "/models/scorer/data_governance/access_audited" } })
  local unaudited = copy(COMPLETE, {})
  unaudited.access_audited = nil
  t.expect(t.check(model_reading({ "leads" }, unaudited), NOW),
           { { path = "/models/scorer/data_governance/access_audited" } })
end)

t.case("several missing: one finding naming them all", function()
  local found = t.check(model_reading({ "leads" }, { retention_days = 30 }), NOW)
  t.expect(found, { { path = "/models/scorer/data_governance/approved_by",
                      message = "lacks approved_by, access_audited" } })
  t.eq(found[1].evidence.missing, { "approved_by", "access_audited" }, "missing")
end)

t.case("a retention of 0 days is a retention period", function()
  t.none(t.check(model_reading({ "leads" }, copy(COMPLETE, { retention_days = 0 })),
                 NOW))
end)

t.case("a workflow that reads sensitive data is judged too", function()
  t.expect(t.check(registry(nil, {
    intake = { stage = "deployment", uses = { "scorer" }, reads = { "leads" } },
    governed = { stage = "deployment", uses = { "scorer" }, reads = { "leads" },
                 data_governance = COMPLETE },
  }), NOW), { { subject = "intake", path = "/workflows/intake/data_governance" } })
end)

t.case("a retired workflow, or one that uses no model, is skipped", function()
  t.none(t.check(registry(nil, {
    old = { stage = "retired", uses = { "scorer" }, reads = { "leads" } },
    manual = { stage = "deployment", reads = { "leads" } },
  }), NOW))
end)

t.case("only what it reads itself counts", function()
  -- The workflow reaches leads only through its model.
  t.expect(t.check(registry({ version = "1", reads = { "leads" } }, {
    intake = { stage = "deployment", uses = { "scorer" }, reads = { "catalog" } },
  }), NOW), { { subject = "scorer" } })
end)

t.case("classifications is a parameter", function()
  t.expect(t.check(model_reading({ "wiki" }),
                   { now = "2026-11-26",
                     params = { classifications = { "internal" } } }),
           { { subject = "scorer", message = "wiki (internal)" } })
  t.none(t.check(model_reading({ "leads" }),
                 { now = "2026-11-26", params = { classifications = { "restricted" } } }))
end)
