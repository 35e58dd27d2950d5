-- Tests of steward.sequencing: the five steps as rows, required(stage) and
-- first_gap. The policies in policies/sequencing test the same functions
-- through the engine; here a small stand-in for ctx (testdata/fake.lua:
-- graph.out over plain tables, observations, now) lets the tests look at
-- the rows themselves.
local t = require "steward.test"
local governance = require "steward.governance"
local process = require "steward.process"
local sequencing = require "steward.sequencing"
local fake = require "steward.testdata.fake"

-- A workflow `intake` that completes all five steps at now = 2026-11-26
-- (with the observations of observed()).
local function complete(stage)
  return t.registry({ intake = t.healthy_workflow({
    stage = stage or "scaling", deployed_at = "2026-02-01",
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

-- Observations of qualified_to_won for intake: one per value, monthly from
-- 2026-03-01.
local function observed(values, metric)
  local out = {}
  for i, v in ipairs(values) do
    out[i] = { at = string.format("2026-%02d-01", i + 2), subject = "intake",
               metric = metric or "qualified_to_won", value = v }
  end
  return out
end

local function steps_of(reg, observations, params, now)
  local ctx, nodes = fake.ctx(reg, now, observations)
  return sequencing.steps(nodes.intake, ctx, params), nodes.intake, ctx
end

t.case("required: how many leading steps each stage needs", function()
  local want = { proposed = 0, governance = 0, data = 1, redesign = 2,
                 deployment = 3, measurement = 4, scaling = 4 }
  for stage, n in pairs(want) do
    t.eq(sequencing.required(stage), n, stage)
  end
  t.eq(sequencing.required("retired"), nil, "retired")
  t.eq(sequencing.required(nil), nil, "no stage")
  t.eq(sequencing.required("pilot"), nil, "unknown stage")
end)

t.case("steps: five rows, all complete, with a why each", function()
  local rows = steps_of(complete(), observed({ 0.17, 0.18, 0.16 }))
  t.eq(#rows, 5, "five rows")
  for k, name in ipairs(sequencing.NAMES) do
    t.eq(rows[k].step, k, "step number")
    t.eq(rows[k].name, name, "name " .. k)
    t.eq(rows[k].ok, true, name .. " ok")
    t.eq(fake.keys(rows[k]), "name,ok,step,why", name .. " keys")
  end
  t.eq(rows[1].why, "owner, monitoring, override and escalation in place",
       "governance why")
  t.eq(rows[2].why, "reads 1 dataset (leads), each reached by api, batch or " ..
       "stream, at least 0.95 complete and validated within 180 days",
       "data why")
  t.eq(rows[3].why, "task defined: 1 input, 1 output and quality criteria; " ..
       "baseline qualified_to_won = 0.18 measured 2026-01-15; workflow " ..
       "mapped 2026-01-10; change led by ana and validated with its users",
       "redesign why")
  t.eq(rows[4].why, "deployed on 2026-02-01", "deployment why")
  t.eq(rows[5].why, "3 observations of qualified_to_won since deployment on " ..
       "2026-02-01; latest 0.16 on 2026-05-01 is not below the alert " ..
       "threshold 0.15", "measurement why")
end)

t.case("steps: a bare workflow has every step incomplete", function()
  local rows = steps_of({ workflows = { intake = { stage = "data" } } })
  local want = {
    "governance.owner: no accountability owner",
    "reads no registered dataset, directly or through a model",
    "no task (inputs, outputs and quality_criteria); no baseline (metric, " ..
      "value and measured_at); process.mapping: the current workflow is " ..
      "not mapped (no process.mapping); process.change-management: no " ..
      "change management: the redesign was not validated with the people " ..
      "who do the work and has no lead (no process.change)",
    "not deployed (no deployed_at)",
    "no monitoring.metric to measure",
  }
  for k, why in ipairs(want) do
    t.eq(rows[k], { step = k, name = sequencing.NAMES[k], ok = false,
                    why = why }, "step " .. k)
  end
end)

-- Step 1 is steward.governance.first_fault: same verdict, same words.
t.case("step 1 agrees with governance.first_fault", function()
  local mutations = {
    function(w) w.owner = nil end,
    function(w) w.monitoring.automated = false end,
    function(w) w.override.tested_at = "2025-11-25" end,
    function(w) w.override.tested_at = "2025-11-26" end,
    function(w) w.escalation.fallback = "" end,
  }
  for i, mutate in ipairs(mutations) do
    local reg = complete()
    mutate(reg.workflows.intake)
    local rows, w, ctx = steps_of(reg)
    local id, fault = governance.first_fault(w, ctx.now)
    t.eq(rows[1].ok, id == nil, "case " .. i .. " ok")
    if id then
      t.eq(rows[1].why, id .. ": " .. fault.message, "case " .. i .. " why")
    end
  end
end)

-- Step 2 is readiness.data with the same params map.
t.case("step 2 follows params[readiness.data]", function()
  local reg = complete()
  reg.datasets.leads.quality.completeness = 0.9
  t.eq(steps_of(reg)[2].ok, false, "0.9 fails by default")
  t.eq(steps_of(reg, nil, { ["readiness.data"] = { min_completeness = 0.9 } })[2].ok,
       true, "min_completeness 0.9")
end)

-- Step 3: the task, and a baseline that exists (even if measured late).
t.case("step 3: task and baseline; a late baseline still exists", function()
  local reg = complete()
  reg.workflows.intake.baseline.measured_at = "2026-06-01"
  t.eq(steps_of(reg)[3].ok, true, "late baseline")
  reg.workflows.intake.baseline.metric = nil
  local row = steps_of(reg)[3]
  t.eq(row.ok, false, "no metric")
  t.eq(row.why, "baseline has no metric", "why")
  reg = complete()
  reg.workflows.intake.task.quality_criteria = nil
  t.eq(steps_of(reg)[3].why, "task has no quality_criteria", "task why")
end)

-- Step 3 also needs the workflow mapped as it is done and the redesign
-- validated with its users (steward.process, the two process policies),
-- whatever the stage: the row says which policy, in the policies' words.
t.case("step 3: process.mapping and process.change-management", function()
  local breaks = {
    { function(p) p.mapping.documented = false end, "process.mapping",
      "process/mapping/documented" },
    { function(p) p.mapping.mapped_at = nil end, "process.mapping",
      "process/mapping/mapped_at" },
    { function(p) p.mapping = nil end, "process.mapping", "process/mapping" },
    { function(p) p.change.validated_with_users = nil end,
      "process.change-management", "process/change/validated_with_users" },
    { function(p) p.change.lead = "" end, "process.change-management",
      "process/change/lead" },
    { function(p) p.change = nil end, "process.change-management",
      "process/change" },
  }
  for i, b in ipairs(breaks) do
    for _, stage in ipairs({ "proposed", "redesign", "scaling" }) do
      local reg = complete(stage)
      b[1](reg.workflows.intake.process)
      local ctx, nodes = fake.ctx(reg)
      local row = sequencing.evaluate(nodes.intake, ctx)[3]
      local fault = (b[2] == "process.mapping" and process.mapping
                     or process.change)(nodes.intake)
      local label = "case " .. i .. " at " .. stage
      t.eq(row.ok, false, label .. " ok")
      t.eq(row.why, b[2] .. ": " .. fault.message, label .. " why")
      t.eq(row.path, b[3], label .. " path")
      t.eq(row.evidence, { policies = { b[2] } }, label .. " evidence")
    end
  end
  -- both at once, after the task: every fault in order, the first's path
  local reg = complete()
  reg.workflows.intake.task = nil
  reg.workflows.intake.process = nil
  local ctx, nodes = fake.ctx(reg)
  local row = sequencing.evaluate(nodes.intake, ctx)[3]
  t.eq(row.path, "task", "task first")
  t.eq(row.evidence, { policies = { "process.mapping",
                                    "process.change-management" } },
       "both policies")
  t.eq(row.why, "no task (inputs, outputs and quality_criteria); " ..
       "process.mapping: the current workflow is not mapped (no " ..
       "process.mapping); process.change-management: no change management: " ..
       "the redesign was not validated with the people who do the work and " ..
       "has no lead (no process.change)", "both whys")
end)

-- Step 5: the count and the side of the threshold, both directions.
t.case("step 5: 2 observations are too few, 3 are enough", function()
  t.eq(steps_of(complete(), observed({ 0.2, 0.2 }))[5], {
    step = 5, name = "measurement", ok = false,
    why = "2 observations of qualified_to_won since deployment on " ..
          "2026-02-01 (needs at least 3)" }, "two")
  t.eq(steps_of(complete(), observed({ 0.2, 0.2, 0.2 }))[5].ok, true, "three")
  t.eq(steps_of(complete(), observed({ 0.2, 0.2 }),
                { ["sequencing.scaling-evidence"] = { min_observations = 2 } })[5].ok,
       true, "min_observations 2")
end)

t.case("step 5: direction below, the latest on each side", function()
  t.eq(steps_of(complete(), observed({ 0.1, 0.1, 0.15 }))[5].ok, true,
       "at the threshold")
  t.eq(steps_of(complete(), observed({ 0.2, 0.2, 0.1499 }))[5].why,
       "latest qualified_to_won 0.1499 on 2026-05-01 is below the alert " ..
       "threshold 0.15", "under it")
end)

t.case("step 5: direction above, the latest on each side", function()
  local reg = complete()
  reg.workflows.intake.monitoring.direction = "above"
  t.eq(steps_of(reg, observed({ 0.9, 0.9, 0.15 }))[5].ok, true,
       "at the threshold")
  t.eq(steps_of(reg, observed({ 0.1, 0.1, 0.1 }))[5].ok, true, "under it")
  t.eq(steps_of(reg, observed({ 0.1, 0.1, 0.1501 }))[5].why,
       "latest qualified_to_won 0.1501 on 2026-05-01 is above the alert " ..
       "threshold 0.15", "over it")
end)

t.case("step 5: only observations from deployed_at to now count", function()
  local obs = observed({ 0.2, 0.2, 0.2 })
  obs[1].at = "2026-01-31"          -- before deployment
  t.eq(steps_of(complete(), obs)[5].ok, false, "one before deployment")
  obs[1].at = "2026-02-01"          -- the day of deployment
  t.eq(steps_of(complete(), obs)[5].ok, true, "one on deployment day")
  t.eq(steps_of(complete(), obs, nil, "2026-04-30")[5].why,
       "2 observations of qualified_to_won since deployment on 2026-02-01 " ..
       "(needs at least 3)", "one after now")
end)

-- first_gap: the earliest incomplete step the stage requires.
t.case("first_gap: earliest incomplete required step, and all of them",
       function()
  local reg = complete("deployment")
  reg.datasets.leads.access = "file-export"
  reg.workflows.intake.task = nil
  reg.workflows.intake.deployed_at = nil
  local ctx, nodes = fake.ctx(reg)
  local gap = sequencing.first_gap(nodes.intake, ctx)
  t.eq(gap.step, 2, "step")
  t.eq(gap.name, "data", "name")
  t.eq(gap.path, "/datasets/leads/access", "path")
  t.eq(gap.required, 3, "required")
  t.eq(gap.incomplete, { "data", "redesign" }, "step 4 is not required")
end)

t.case("first_gap: nil when nothing required is incomplete", function()
  for _, stage in ipairs({ "proposed", "governance", "retired" }) do
    local reg = complete(stage)
    reg.workflows.intake.owner = nil
    local ctx, nodes = fake.ctx(reg)
    t.eq(sequencing.first_gap(nodes.intake, ctx), nil, stage)
  end
  local reg = complete("redesign")
  reg.workflows.intake.deployed_at = nil
  reg.workflows.intake.task = nil
  local ctx, nodes = fake.ctx(reg)
  t.eq(sequencing.first_gap(nodes.intake, ctx), nil, "redesign needs 1-2")
end)

t.case("evaluate: upto limits the steps computed", function()
  local ctx, nodes = fake.ctx(complete())
  t.eq(#sequencing.evaluate(nodes.intake, ctx, nil, 2), 2, "two")
  t.eq(#sequencing.evaluate(nodes.intake, ctx), 5, "all")
end)
