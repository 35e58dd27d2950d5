-- Tests of sequencing.order: a workflow (that uses a model, not retired) at
-- stage S has completed the steps S needs: `data` step 1, `redesign` 1-2,
-- `deployment` 1-3, `measurement` and `scaling` 1-4; `proposed` and
-- `governance` need none. Steps: 1 governance (owner, monitoring, override,
-- escalation pass), 2 data (readiness.data passes), 3 redesign
-- (readiness.task passes, a baseline exists, and process.mapping and
-- process.change-management pass whatever the stage), 4 deployment
-- (deployed_at set). One finding naming the earliest incomplete step and why, at the
-- field at fault; evidence lists every incomplete required step.
local t = require "steward.test"

local NOW = { now = "2026-11-26" }

local STAGES = { "proposed", "governance", "data", "redesign", "deployment",
                 "measurement", "scaling" }
local REQUIRED = { proposed = 0, governance = 0, data = 1, redesign = 2,
                   deployment = 3, measurement = 4, scaling = 4 }
local NAMES = { "governance", "data", "redesign", "deployment" }

-- A workflow `intake` that completes steps 1 to 4 at `stage`.
local function registry(stage)
  return t.registry({ intake = t.healthy_workflow({
    stage = stage or "measurement", deployed_at = "2026-02-01",
    reads = { "leads" },
    task = { inputs = { "lead" }, outputs = { "score" },
             quality_criteria = "agrees with sales review" },
    baseline = { metric = "qualified_to_won", value = 0.18,
                 measured_at = "2026-01-15" },
    process = { mapping = { documented = true, mapped_at = "2026-01-10" },
                change = { validated_with_users = true, lead = "ana" } },
  }) }, {
    datasets = { leads = { access = "api", quality = {
      completeness = 0.97, validated_at = "2026-10-01" } } },
    models = { scorer = { reads = { "leads" } } },
  })
end

-- Breaks step k of the workflow in reg; returns the path at fault.
local BREAK = {
  function(reg) reg.workflows.intake.owner = nil
    return "/workflows/intake/owner" end,
  function(reg) reg.datasets.leads.access = "file-export"
    return "/datasets/leads/access" end,
  function(reg) reg.workflows.intake.task = nil
    return "/workflows/intake/task" end,
  function(reg) reg.workflows.intake.deployed_at = nil
    return "/workflows/intake/deployed_at" end,
}

local function check(reg, opts)
  return t.check(reg, opts or NOW)
end

t.case("a workflow with steps 1-4 complete passes at every stage", function()
  for _, stage in ipairs(STAGES) do t.none(check(registry(stage))) end
end)

-- The stage gates: step k is held against a stage exactly when the stage
-- requires it.
t.case("each step is required exactly by the stages after it", function()
  for _, stage in ipairs(STAGES) do
    for k = 1, 4 do
      local reg = registry(stage)
      local path = BREAK[k](reg)
      local found = check(reg)
      if k <= REQUIRED[stage] then
        t.expect(found, { {
          policy = "sequencing.order", subject = "intake", severity = "high",
          enforcement = "soft-mandatory", path = path,
          message = string.format("at stage %s, step %d (%s) is incomplete",
                                  stage, k, NAMES[k]),
        } })
        t.eq(found[1].evidence, { stage = stage, required = REQUIRED[stage],
                                  step = k, name = NAMES[k],
                                  incomplete = { NAMES[k] } },
             stage .. " step " .. k .. " evidence")
      else
        t.none(found)
      end
    end
  end
end)

-- Step 5 is never required by sequencing.order (scaling-evidence's job).
t.case("no observations at all: measurement and scaling pass", function()
  t.none(check(registry("measurement")))
  t.none(check(registry("scaling")))
end)

-- The earliest incomplete step is named; evidence lists all of them.
t.case("several incomplete steps: the earliest is named", function()
  local reg = registry("scaling")
  BREAK[2](reg)
  BREAK[3](reg)
  BREAK[4](reg)
  local found = check(reg)
  t.expect(found, { {
    subject = "intake", path = "/datasets/leads/access",
    message = "at stage scaling, step 2 (data) is incomplete: leads is " ..
              "reached by file-export",
  } })
  t.eq(found[1].evidence.incomplete, { "data", "redesign", "deployment" },
       "evidence.incomplete")
end)

t.case("every step incomplete: step 1 is named", function()
  local reg = registry("measurement")
  for k = 1, 4 do BREAK[k](reg) end
  local found = check(reg)
  t.expect(found, { { subject = "intake", path = "/workflows/intake/owner",
                      message = "step 1 (governance) is incomplete: " ..
                                "governance.owner: no accountability owner" } })
  t.eq(found[1].evidence.incomplete,
       { "governance", "data", "redesign", "deployment" }, "evidence")
end)

-- Step 1 is the governance pack: its faults, its paths, its boundaries.
t.case("step 1 names the governance check at fault", function()
  local cases = {
    { function(w) w.monitoring.automated = false end,
      "governance.monitoring: monitoring is not automated",
      "/workflows/intake/monitoring/automated" },
    { function(w) w.override.requires_admin = true end,
      "governance.override: overriding needs an administrator",
      "/workflows/intake/override/requires_admin" },
    { function(w) w.escalation = nil end,
      "governance.escalation: no escalation protocol",
      "/workflows/intake/escalation" },
  }
  for _, c in ipairs(cases) do
    local reg = registry("data")
    c[1](reg.workflows.intake)
    t.expect(check(reg), { { subject = "intake", path = c[3],
                             message = "step 1 (governance) is incomplete: " ..
                                       c[2] } })
  end
end)

t.case("step 1: an override tested 365 days ago passes, 366 fires", function()
  local reg = registry("data")
  reg.workflows.intake.override.tested_at = "2025-11-26"
  t.none(check(reg))
  reg.workflows.intake.override.tested_at = "2025-11-25"
  t.expect(check(reg), { {
    subject = "intake", path = "/workflows/intake/override/tested_at",
    message = "last tested 366 days ago",
  } })
end)

-- Step 2 is readiness.data with its boundaries.
t.case("step 2: completeness 0.95 passes, 0.9499 fires", function()
  local reg = registry("redesign")
  reg.datasets.leads.quality.completeness = 0.95
  t.none(check(reg))
  reg.datasets.leads.quality.completeness = 0.9499
  t.expect(check(reg), { {
    subject = "intake", path = "/datasets/leads/quality/completeness",
    message = "step 2 (data) is incomplete: leads completeness 0.9499 is " ..
              "below 0.95",
  } })
end)

t.case("step 2: validated 180 days ago passes, 181 fires", function()
  local reg = registry("redesign")
  reg.datasets.leads.quality.validated_at = "2026-05-30"
  t.none(check(reg))
  reg.datasets.leads.quality.validated_at = "2026-05-29"
  t.expect(check(reg), { {
    subject = "intake", path = "/datasets/leads/quality/validated_at",
  } })
end)

t.case("step 2: reading no dataset fires at reads", function()
  local reg = registry("redesign")
  reg.workflows.intake.reads = nil
  reg.models.scorer.reads = nil
  t.expect(check(reg), { {
    subject = "intake", path = "/workflows/intake/reads",
    message = "step 2 (data) is incomplete: reads no registered dataset",
  } })
end)

-- Step 3: readiness.task, and a baseline that exists.
t.case("step 3: a task without outputs fires at task/outputs", function()
  local reg = registry("deployment")
  reg.workflows.intake.task.outputs = nil
  t.expect(check(reg), { {
    subject = "intake", path = "/workflows/intake/task/outputs",
    message = "step 3 (redesign) is incomplete: task has no outputs",
  } })
end)

t.case("step 3: no baseline fires at baseline", function()
  local reg = registry("deployment")
  reg.workflows.intake.baseline = nil
  t.expect(check(reg), { {
    subject = "intake", path = "/workflows/intake/baseline",
    message = "step 3 (redesign) is incomplete: no baseline",
  } })
  reg = registry("deployment")
  reg.workflows.intake.baseline.value = nil
  t.expect(check(reg), { {
    subject = "intake", path = "/workflows/intake/baseline/value",
    message = "baseline has no value",
  } })
end)

t.case("step 3: no task and no baseline, one finding naming both", function()
  local reg = registry("deployment")
  reg.workflows.intake.task = nil
  reg.workflows.intake.baseline = nil
  t.expect(check(reg), { {
    subject = "intake", path = "/workflows/intake/task",
    message = "no task (inputs, outputs and quality_criteria); no baseline",
  } })
end)

-- The process half of step 3: the workflow mapped as it is done and the
-- redesign validated with its users, named by the process policy at fault,
-- at its field. Required from stage deployment on, like the rest of step 3,
-- although the policies themselves judge mapping from redesign on.
t.case("step 3: process.mapping and process.change-management", function()
  local cases = {
    { function(p) p.mapping.documented = false end,
      "/workflows/intake/process/mapping/documented",
      "process.mapping: the current workflow is not documented" },
    { function(p) p.mapping.mapped_at = nil end,
      "/workflows/intake/process/mapping/mapped_at",
      "process.mapping: process.mapping has no mapped_at" },
    { function(p) p.change.validated_with_users = false end,
      "/workflows/intake/process/change/validated_with_users",
      "process.change-management: the redesigned workflow was not " ..
      "validated with the people who do the work" },
    { function(p) p.change.lead = nil end,
      "/workflows/intake/process/change/lead",
      "process.change-management: no change lead" },
  }
  for _, c in ipairs(cases) do
    for _, stage in ipairs({ "deployment", "measurement", "scaling" }) do
      local reg = registry(stage)
      c[1](reg.workflows.intake.process)
      t.expect(check(reg), { {
        subject = "intake", path = c[2],
        message = "at stage " .. stage .. ", step 3 (redesign) is " ..
                  "incomplete: " .. c[3],
      } })
    end
    for _, stage in ipairs({ "proposed", "governance", "data", "redesign" }) do
      local reg = registry(stage)
      c[1](reg.workflows.intake.process)
      t.none(check(reg))
    end
  end
end)

t.case("step 3: no process section names both process policies", function()
  local reg = registry("deployment")
  reg.workflows.intake.process = nil
  local found = check(reg)
  t.expect(found, { {
    subject = "intake", path = "/workflows/intake/process",
    message = "step 3 (redesign) is incomplete: process.mapping: the " ..
              "current workflow is not mapped (no process.mapping); " ..
              "process.change-management: no change management",
  } })
  t.eq(found[1].evidence.incomplete, { "redesign" }, "evidence.incomplete")
end)

-- A baseline measured after deployment exists: that is readiness.baseline's
-- business, not the sequence's.
t.case("step 3: a late baseline still exists", function()
  local reg = registry("measurement")
  reg.workflows.intake.baseline.measured_at = "2026-03-01"
  t.none(check(reg))
end)

-- Step 4: deployed_at.
t.case("step 4: no deployed_at fires at measurement and scaling", function()
  for _, stage in ipairs({ "measurement", "scaling" }) do
    local reg = registry(stage)
    reg.workflows.intake.deployed_at = nil
    t.expect(check(reg), { {
      subject = "intake", path = "/workflows/intake/deployed_at",
      message = "at stage " .. stage .. ", step 4 (deployment) is " ..
                "incomplete: not deployed (no deployed_at)",
    } })
  end
end)

-- Scope: workflows that use a model and are not retired, with a stage.
t.case("retired, model-less and stage-less workflows are not judged",
       function()
  local retired = registry("retired")
  BREAK[1](retired)
  t.none(check(retired))
  local manual = registry("scaling")
  BREAK[1](manual)
  manual.workflows.intake.uses = nil
  t.none(check(manual))
  local unstaged = registry("scaling")
  BREAK[1](unstaged)
  unstaged.workflows.intake.stage = nil
  t.none(check(unstaged))
end)

t.case("several workflows give exactly the expected findings", function()
  local reg = registry("scaling")
  local function copy(stage, k)
    local r = registry(stage)
    if k == 3 then r.workflows.intake.task = nil end
    if k == 4 then r.workflows.intake.deployed_at = nil end
    return r.workflows.intake
  end
  reg.workflows.early = copy("redesign", 3)        -- not required yet
  reg.workflows.undeployed = copy("deployment", 4) -- not required yet
  reg.workflows.no_task = copy("deployment", 3)
  reg.workflows.measured = copy("measurement", 4)
  t.expect(check(reg), {
    { subject = "no_task", path = "/workflows/no_task/task" },
    { subject = "measured", path = "/workflows/measured/deployed_at" },
  })
end)
