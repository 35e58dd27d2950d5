-- Tests of steward.readiness: the five criteria as rows, and each criterion
-- on its own. The policies in policies/readiness test the same functions
-- through the engine; here a small stand-in for ctx (testdata/fake.lua:
-- graph.out over plain tables, observations, now) lets the tests look at
-- the rows themselves.
local t = require "steward.test"
local readiness = require "steward.readiness"
local fake = require "steward.testdata.fake"

-- A workflow `intake` that meets all five criteria at now = 2026-11-26.
local function ready()
  return {
    datasets = {
      leads = { access = "api",
                quality = { completeness = 0.97, validated_at = "2026-10-01" } },
      usage = { access = "batch",
                quality = { completeness = 0.95, validated_at = "2026-05-30" } },
    },
    models = { scorer = { version = "1", reads = { "usage", "leads" } } },
    workflows = { intake = {
      stage = "measurement", deployed_at = "2026-02-01",
      uses = { { model = "scorer", version = "1" } }, reads = { "leads" },
      volume = { cases_per_month = 4200 },
      decision = { stakes = "high", reversible = true, human_in_loop = true },
      task = { inputs = { "lead record" }, outputs = { "score", "queue" },
               quality_criteria = "agrees with sales review" },
      baseline = { metric = "qualified_to_won", value = 0.18,
                   measured_at = "2026-01-15" },
    } },
  }
end

local function rows_of(reg, params, now)
  local ctx, nodes = fake.ctx(reg, now)
  return readiness.criteria(nodes.intake, ctx, params)
end

t.case("criteria: five rows in order, all passing, with a why each", function()
  local rows = rows_of(ready())
  t.eq(#rows, 5, "five rows")
  for i, id in ipairs(readiness.IDS) do
    t.eq(rows[i].id, id, "row " .. i .. " id")
    t.eq(rows[i].ok, true, id .. " ok")
    t.eq(rows[i].path, nil, id .. " path")
    t.eq(fake.keys(rows[i]), "id,ok,why", id .. " keys")
  end
  t.eq(rows[1].why, "reads 2 datasets (leads and usage), each reached by " ..
       "api, batch or stream, at least 0.95 complete and validated within " ..
       "180 days", "data why")
  t.eq(rows[2].why, "task defined: 1 input, 2 outputs and quality criteria",
       "task why")
  t.eq(rows[3].why, "4200 cases a month (at least 100)", "volume why")
  t.eq(rows[4].why, "high-stakes decision with a human in the loop", "hil why")
  t.eq(rows[5].why, "baseline qualified_to_won = 0.18 measured 2026-01-15, " ..
       "not after deployment on 2026-02-01", "baseline why")
end)

t.case("criteria: a bare proposed workflow fails all but human-in-loop",
       function()
  local rows = rows_of({ workflows = { intake = { stage = "proposed" } } })
  local want = {
    { "readiness.data", false, "reads",
      "reads no registered dataset, directly or through a model" },
    { "readiness.task", false, "task",
      "no task (inputs, outputs and quality_criteria)" },
    { "readiness.volume", false, "volume", "no volume.cases_per_month" },
    { "readiness.human-in-loop", true, nil,
      "no human needed: stakes unstated, decision reversibility unstated" },
    { "readiness.baseline", false, "baseline",
      "no baseline (metric, value and measured_at)" },
  }
  for i, w in ipairs(want) do
    t.eq(rows[i], { id = w[1], ok = w[2], path = w[3], why = w[4] },
         "row " .. i)
  end
end)

-- Paths: relative to the workflow, absolute for another node's field.
t.case("criteria: each failing row points at the field at fault", function()
  local reg = ready()
  reg.datasets.usage.quality.completeness = 0.9499
  local w = reg.workflows.intake
  w.task.outputs = nil
  w.volume.cases_per_month = 99
  w.decision.human_in_loop = false
  w.baseline.measured_at = "2026-02-02"
  local rows = rows_of(reg)
  local paths = { "/datasets/usage/quality/completeness", "task/outputs",
                  "volume/cases_per_month", "decision/human_in_loop",
                  "baseline/measured_at" }
  for i, p in ipairs(paths) do
    t.eq(rows[i].ok, false, rows[i].id .. " fails")
    t.eq(rows[i].path, p, rows[i].id .. " path")
  end
  t.eq(rows[1].why, "usage completeness 0.9499 is below 0.95", "data why")
  t.eq(rows[3].why, "99 cases a month, fewer than 100", "volume why")
  t.eq(rows[4].why, "high-stakes decision without a human in the loop", "hil")
  t.eq(rows[5].why, "baseline measured 2026-02-02, after deployment on " ..
       "2026-02-01", "baseline why")
end)

-- params maps a policy id to its table; a missing table or key is the
-- default.
t.case("criteria: params by policy id, defaults for what is missing",
       function()
  local reg = ready()
  reg.datasets.leads.quality.completeness = 0.9
  reg.workflows.intake.volume.cases_per_month = 500
  t.eq(rows_of(reg)[1].ok, false, "0.9 fails by default")
  t.eq(rows_of(reg, {})[1].ok, false, "an empty map is the default")
  t.eq(rows_of(reg, { ["readiness.data"] = {} })[1].ok, false,
       "an empty table is the default")
  local rows = rows_of(reg, {
    ["readiness.data"] = { min_completeness = 0.9 },
    ["readiness.volume"] = { min_cases_per_month = 1000 },
  })
  t.eq(rows[1].ok, true, "min_completeness 0.9")
  t.eq(rows[3].ok, false, "min_cases_per_month 1000")
  t.eq(rows[3].why, "500 cases a month, fewer than 1000", "volume why")
end)

t.case("criteria: the boundaries of data at now", function()
  local reg = ready()
  reg.datasets.usage.quality.validated_at = "2026-05-29"
  local rows = rows_of(reg)
  t.eq(rows[1].ok, false, "181 days")
  t.eq(rows[1].path, "/datasets/usage/quality/validated_at", "path")
  t.eq(rows_of(reg, nil, "2026-11-25")[1].ok, true, "180 days a day earlier")
end)

-- The individual functions: ok, why, path, evidence.
t.case("data: evidence lists the datasets and every fault", function()
  local reg = ready()
  reg.datasets.leads.access = "file-export"
  reg.datasets.usage.quality = nil
  local ctx, nodes = fake.ctx(reg)
  local ok, why, path, ev = readiness.data(nodes.intake, ctx)
  t.eq(ok, false, "ok")
  t.eq(path, "/datasets/leads/access", "path")
  t.eq(why, "leads is reached by file-export, not api, batch or stream; " ..
       "usage has no quality record (completeness, validated_at)", "why")
  t.eq(ev, { datasets = { "leads", "usage" }, faults = {
    { dataset = "leads", field = "access", value = "file-export" },
    { dataset = "usage", field = "quality" } } }, "evidence")
end)

t.case("datasets: direct reads first, then each model's, each once", function()
  local reg = ready()
  reg.datasets.extra = { access = "api" }
  reg.models.other = { version = "2", reads = { "extra", "leads" } }
  reg.workflows.intake.uses = { "scorer", "other" }
  local ctx, nodes = fake.ctx(reg)
  local ids = {}
  for i, d in ipairs(readiness.datasets(nodes.intake, ctx.graph)) do
    ids[i] = d.id
  end
  t.eq(ids, { "leads", "usage", "extra" }, "order")
end)

t.case("human_in_loop: the why of each passing case", function()
  local function why(decision)
    local reg = ready()
    reg.workflows.intake.decision = decision
    local ctx, nodes = fake.ctx(reg)
    local ok, text = readiness.human_in_loop(nodes.intake, ctx)
    t.eq(ok, true, "ok")
    return text
  end
  t.eq(why({ stakes = "low", reversible = true }),
       "no human needed: stakes low, decision reversible", "low")
  t.eq(why({ stakes = "medium", reversible = false, human_in_loop = true }),
       "irreversible decision with a human in the loop", "irreversible")
end)

t.case("defaults are fresh copies; param falls back to them", function()
  local d = readiness.defaults("readiness.data")
  d.access[1] = "file-export"
  d.min_completeness = 0
  t.eq(readiness.DEFAULTS["readiness.data"].access[1], "api", "untouched")
  t.eq(readiness.param(nil, "readiness.data", "min_completeness"), 0.95, "nil")
  t.eq(readiness.param({ ["readiness.data"] = { min_completeness = 0.5 } },
                       "readiness.data", "min_completeness"), 0.5, "set")
  t.eq(readiness.param({ ["readiness.data"] = {} }, "readiness.data",
                       "max_validation_age_days"), 180, "missing key")
  t.eq(readiness.defaults("readiness.task"), {}, "no parameters")
  t.eq(readiness.param({ ["readiness.data"] = { access = "api" } },
                       "readiness.data", "access"), { "api" }, "one string")
end)

t.case("num and list_words write numbers and lists as people do", function()
  t.eq(readiness.num(100), "100", "integer")
  t.eq(readiness.num(100.0), "100", "integral float")
  t.eq(readiness.num(0.9499), "0.9499", "fraction")
  t.eq(readiness.num(38000), "38000", "no exponent")
  t.eq(readiness.list_words({ "api" }), "api", "one")
  t.eq(readiness.list_words({ "a", "b" }, "and"), "a and b", "two")
  t.eq(readiness.list_words({ "a", "b", "c" }), "a, b or c", "three")
end)

t.case("baseline_missing: the missing fields as one fault", function()
  t.eq(#readiness.baseline_missing({ baseline = { metric = "m", value = 0,
                                                  measured_at = "2026-01-01" } }),
       0, "complete")
  t.eq(readiness.baseline_missing({ baseline = { metric = "m" } }), { {
    message = "baseline has no value and no measured_at",
    path = "baseline/value", field = "baseline/value" } }, "partial")
  t.eq(readiness.baseline_missing({})[1].path, "baseline", "none")
end)

-- The registry only lets dates through; a stand-in ctx can still pass
-- anything, and the criterion must not crash on it.
t.case("baseline: an unparseable measured_at fails, no deployment passes",
       function()
  local reg = ready()
  reg.workflows.intake.baseline.measured_at = "last spring"
  local ctx, nodes = fake.ctx(reg)
  local ok, why, path = readiness.baseline(nodes.intake, ctx)
  t.eq({ ok, why, path }, { false, "baseline.measured_at is not a date",
                            "baseline/measured_at" }, "not a date")
  reg = ready()
  reg.workflows.intake.deployed_at = nil
  ctx, nodes = fake.ctx(reg)
  t.eq({ readiness.baseline(nodes.intake, ctx) },
       { true, "baseline qualified_to_won = 0.18 measured 2026-01-15" },
       "not deployed")
end)
