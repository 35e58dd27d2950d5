-- Tests of readiness.data: every dataset a workflow reads, directly or
-- through a model it uses, has `access` api, batch or stream,
-- `quality.completeness` >= 0.95 and `quality.validated_at` at most 180
-- calendar days before now (missing values fail); and it reads at least one
-- registered dataset. One finding per workflow, at the first fault (datasets
-- in the order: direct reads, then each model's; per dataset: access,
-- completeness, validated_at), the message naming every fault.
local t = require "steward.test"

-- now is 2026-11-26: 2026-05-30 is 180 days before, 2026-05-29 is 181.
local NOW = { now = "2026-11-26" }

-- A dataset that passes; changes replace its fields (quality is a table).
local function dataset(changes)
  local d = { owner = "data-eng", access = "api",
              quality = { completeness = 0.97, validated_at = "2026-10-01" } }
  for k, v in pairs(changes or {}) do d[k] = v end
  return d
end

-- A registry with the healthy workflow `intake` that reads `leads`
-- directly and through its model `scorer`; `patch(reg)` may change
-- anything.
local function registry(patch)
  local reg = t.registry({ intake = t.healthy_workflow({
    deployed_at = "2026-02-01", reads = { "leads" },
  }) }, {
    owners = { ["data-eng"] = { name = "Data engineering" } },
    datasets = { leads = dataset() },
    models = { scorer = { reads = { "leads" } } },
  })
  if patch then patch(reg) end
  return reg
end

local function check(patch, opts)
  return t.check(registry(patch), opts or NOW)
end

-- registry() whose dataset `leads` has quality { completeness = c,
-- validated_at = v }.
local function quality(c, v)
  return function(reg)
    reg.datasets.leads.quality = { completeness = c, validated_at = v }
  end
end

t.case("a workflow reading a ready dataset passes", function()
  t.none(check())
end)

-- Clause: access other than api, batch, stream.
t.case("access api, batch and stream pass", function()
  for _, access in ipairs({ "api", "batch", "stream" }) do
    t.none(check(function(reg) reg.datasets.leads.access = access end))
  end
end)

t.case("access file-export fires at the dataset's access", function()
  local found = check(function(reg) reg.datasets.leads.access = "file-export" end)
  t.expect(found, { {
    policy = "readiness.data", subject = "intake", severity = "medium",
    enforcement = "soft-mandatory", path = "/datasets/leads/access",
    message = "leads is reached by file-export, not api, batch or stream",
  } })
  t.eq(found[1].evidence.faults[1].value, "file-export", "evidence value")
end)

t.case("a missing or empty access fires", function()
  for _, access in ipairs({ false, "" }) do
    t.expect(check(function(reg) reg.datasets.leads.access = access or nil end), { {
      subject = "intake", path = "/datasets/leads/access",
      message = "leads has no access mode",
    } })
  end
end)

-- Access values are compared exactly: "API" is not "api".
t.case("access is case-sensitive", function()
  t.expect(check(function(reg) reg.datasets.leads.access = "API" end), { {
    subject = "intake", path = "/datasets/leads/access",
  } })
end)

-- Clause: completeness < 0.95; the boundary passes.
t.case("completeness 0.95 passes", function()
  t.none(check(quality(0.95, "2026-10-01")))
  t.none(check(quality(1, "2026-10-01")))
end)

t.case("completeness 0.9499 fires at quality/completeness", function()
  local found = check(quality(0.9499, "2026-10-01"))
  t.expect(found, { {
    subject = "intake", severity = "medium",
    path = "/datasets/leads/quality/completeness",
    message = "leads completeness 0.9499 is below 0.95",
  } })
  t.eq(found[1].evidence.faults[1].value, 0.9499, "evidence value")
end)

t.case("a missing completeness fires", function()
  t.expect(check(quality(nil, "2026-10-01")), { {
    subject = "intake", path = "/datasets/leads/quality/completeness",
    message = "leads has no quality.completeness",
  } })
end)

t.case("a dataset without quality fires once, at quality", function()
  t.expect(check(function(reg) reg.datasets.leads.quality = nil end), { {
    subject = "intake", path = "/datasets/leads/quality",
    message = "leads has no quality record",
  } })
end)

-- Clause: validated_at older than 180 days; 180 passes, 181 fires.
t.case("validated exactly 180 days ago passes", function()
  t.none(check(quality(0.97, "2026-05-30")))
end)

t.case("validated 181 days ago fires at quality/validated_at", function()
  local found = check(quality(0.97, "2026-05-29"))
  t.expect(found, { {
    subject = "intake", path = "/datasets/leads/quality/validated_at",
    message = "leads was last validated 181 days ago (more than 180)",
  } })
  t.eq(found[1].evidence.faults[1].age_days, 181, "evidence age_days")
end)

t.case("a missing validated_at fires", function()
  t.expect(check(quality(0.97, nil)), { {
    subject = "intake", path = "/datasets/leads/quality/validated_at",
    message = "leads has never been validated",
  } })
end)

-- Calendar days: 180 days passes at any hour of now's day.
t.case("180 days passes at any time of day", function()
  for _, now in ipairs({ "2026-11-26T00:00:01Z", "2026-11-26T23:59:59Z" }) do
    t.none(check(quality(0.97, "2026-05-30"), { now = now }))
  end
  t.expect(check(quality(0.97, "2026-05-30"), { now = "2026-11-27T00:00:01Z" }),
           { { subject = "intake", path = "/datasets/leads/quality/validated_at" } })
end)

-- Clause: it reads no registered dataset at all.
t.case("reading no dataset fires at /workflows/ID/reads", function()
  t.expect(check(function(reg)
    reg.workflows.intake.reads = nil
    reg.models.scorer.reads = nil
  end), { {
    subject = "intake", path = "/workflows/intake/reads",
    message = "reads no registered dataset",
  } })
end)

-- A `reads` edge to a system is not a dataset (keep_going lets it load).
t.case("reading only a system counts as reading no dataset", function()
  local found = t.check(registry(function(reg)
    reg.systems = { crm = { name = "CRM" } }
    reg.workflows.intake.reads = { "crm" }
    reg.models.scorer.reads = nil
  end), { now = "2026-11-26", keep_going = true })
  local mine = {}
  for _, f in ipairs(found) do
    if f.policy == "readiness.data" then mine[#mine + 1] = f end
  end
  t.expect(mine, { { subject = "intake", path = "/workflows/intake/reads" } })
end)

-- Reads through a model count: the workflow itself reads nothing.
t.case("a dataset read only through the model is judged", function()
  t.none(check(function(reg) reg.workflows.intake.reads = nil end))
  t.expect(check(function(reg)
    reg.workflows.intake.reads = nil
    reg.datasets.leads.access = "file-export"
  end), { { subject = "intake", path = "/datasets/leads/access" } })
end)

t.case("a bad dataset behind the model fires though the direct one is fine",
       function()
  t.expect(check(function(reg)
    reg.datasets.features = dataset({ quality = { completeness = 0.5,
                                                  validated_at = "2026-10-01" } })
    reg.models.scorer.reads = { "features" }
  end), { {
    subject = "intake", path = "/datasets/features/quality/completeness",
    message = "features completeness 0.5 is below 0.95",
  } })
end)

-- A dataset read both directly and through the model is named once.
t.case("a dataset read twice is judged once", function()
  local found = check(quality(0.9, "2026-10-01"))
  t.expect(found, { { subject = "intake", path = "/datasets/leads/quality/completeness" } })
  local _, n = found[1].message:gsub("leads completeness", "")
  t.eq(n, 1, "times named")
  t.eq(found[1].evidence.datasets, { "leads" }, "evidence datasets")
end)

-- Every fault of every dataset in one finding; the path is the first fault,
-- direct reads before the model's, access before quality.
t.case("all faults: one finding at the first, naming all", function()
  local found = check(function(reg)
    reg.datasets.leads = dataset({ quality = { completeness = 0.9,
                                               validated_at = "2025-01-01" } })
    reg.datasets.features = dataset({ access = "warehouse" })
    reg.models.scorer.reads = { "features" }
  end)
  t.expect(found, { {
    subject = "intake", path = "/datasets/leads/quality/completeness",
  } })
  local msg = found[1].message
  for _, part in ipairs({ "leads completeness 0.9 is below 0.95",
                          "leads was last validated 694 days ago",
                          "features is reached by warehouse" }) do
    t.truthy(msg:find(part, 1, true), "message names '" .. part .. "'")
  end
  t.eq(#found[1].evidence.faults, 3, "three faults in evidence")
  t.eq(found[1].evidence.datasets, { "leads", "features" }, "datasets in order")
end)

-- Scope: workflows that use a model or are proposed, not retired.
t.case("judged at every stage but retired", function()
  for _, stage in ipairs({ "proposed", "governance", "data", "redesign",
                           "deployment", "measurement", "scaling" }) do
    t.expect(check(function(reg)
      reg.workflows.intake.stage = stage
      reg.datasets.leads.access = "file-export"
    end), { { subject = "intake", path = "/datasets/leads/access" } })
  end
  t.none(check(function(reg)
    reg.workflows.intake.stage = "retired"
    reg.datasets.leads.access = "file-export"
  end))
end)

t.case("a workflow without a model is judged only when proposed", function()
  local function no_model(stage)
    return function(reg)
      reg.workflows.intake.uses = nil
      reg.workflows.intake.stage = stage
      reg.datasets.leads.access = "file-export"
    end
  end
  t.none(check(no_model("deployment")))
  t.none(check(no_model("governance")))
  t.expect(check(no_model("proposed")), { {
    subject = "intake", path = "/datasets/leads/access",
  } })
end)

t.case("a workflow with a model and no stage is judged", function()
  t.expect(check(function(reg)
    reg.workflows.intake.stage = nil
    reg.datasets.leads.access = "file-export"
  end), { { subject = "intake", path = "/datasets/leads/access" } })
end)

-- Parameters move every boundary.
t.case("min_completeness = 0.9: 0.9 passes, 0.89 fires", function()
  local opts = { now = "2026-11-26", params = { min_completeness = 0.9 } }
  t.none(check(quality(0.9, "2026-10-01"), opts))
  t.expect(check(quality(0.89, "2026-10-01"), opts), { {
    subject = "intake", message = "completeness 0.89 is below 0.9",
  } })
end)

t.case("max_validation_age_days = 30: 30 passes, 31 fires", function()
  local opts = { now = "2026-11-26", params = { max_validation_age_days = 30 } }
  t.none(check(quality(0.97, "2026-10-27"), opts))
  t.expect(check(quality(0.97, "2026-10-26"), opts), { {
    subject = "intake", message = "31 days ago (more than 30)",
  } })
end)

t.case("access = {warehouse}: warehouse passes, api fires", function()
  local opts = { now = "2026-11-26", params = { access = { "warehouse" } } }
  t.none(check(function(reg) reg.datasets.leads.access = "warehouse" end, opts))
  t.expect(check(nil, opts), { {
    subject = "intake", path = "/datasets/leads/access",
    message = "leads is reached by api, not warehouse",
  } })
end)

-- Several workflows: exactly one finding for each faulty judged one.
t.case("several workflows give exactly the expected findings", function()
  t.expect(t.check(registry(function(reg)
    reg.datasets.stale = dataset({ quality = { completeness = 0.99,
                                               validated_at = "2026-05-29" } })
    reg.datasets.edge = dataset({ quality = { completeness = 0.95,
                                              validated_at = "2026-05-30" } })
    local function wf(reads, stage)
      return { stage = stage or "data", uses = { "scorer" }, reads = reads }
    end
    reg.models.scorer.reads = nil
    reg.workflows.on_edge = wf({ "edge" })
    reg.workflows.stale_one = wf({ "edge", "stale" })
    reg.workflows.nothing = wf(nil)
    reg.workflows.old = wf({ "stale" }, "retired")
  end), NOW), {
    { subject = "stale_one", path = "/datasets/stale/quality/validated_at" },
    { subject = "nothing", path = "/workflows/nothing/reads" },
  })
end)
