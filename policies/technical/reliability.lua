-- technical.reliability: an AI that fails often (errors, timeouts) erodes
-- trust faster than a weaker one that is consistent. Two measures over the
-- last 30 calendar days, today included:
--   * the mean of the `error_rate` observations (share of AI calls that
--     failed or timed out) must not exceed 0.05;
--   * the share of the subject's runs, as lineage saw them (`run`
--     observations: steward import openlineage, POST /api/v1/lineage),
--     that failed or were aborted must not exceed 0.05, judged once there
--     are at least 10 runs in the window (fewer say too little).
-- Subjects: every model, and every workflow that uses one and is not
-- retired. The two findings are told apart by key ("failure rate").
local graph = require "steward.graph"
local obs = require "steward.obs"
local stats = require "steward.stats"

-- Means are sums of floats: 0.04 and 0.06 must average to 0.05, not to a
-- hair above it.
local EPSILON = 1e-9

local function error_rate(node, ctx)
  local max, days = ctx.params.max_error_rate, ctx.params.window_days
  local _, values = obs.series(ctx, node, { metric = "error_rate",
                                            days = days })
  local mean = stats.mean(values)
  if mean == nil or mean <= max + EPSILON then return end
  ctx.fail(string.format("mean error_rate %.4g over the last %d days "
                         .. "(%d observations) is above %g", mean, days,
                         #values, max), {
    evidence = { mean = mean, observations = #values,
                 max_error_rate = max, window_days = days },
  })
end

-- The runs of the window by status, and the last one that did not
-- complete.
local function count_runs(node, ctx)
  local n = { total = 0, fail = 0, abort = 0 }
  local last
  for _, e in ipairs(obs.window(ctx, node, { kind = "run",
                                             days = ctx.params.window_days })) do
    local status = e.record.status
    n.total = n.total + 1
    if status == "fail" or status == "abort" then
      n[status] = n[status] + 1
      last = e.record
    end
  end
  return n, last
end

local function failure_rate(node, ctx)
  local p = ctx.params
  local n, last = count_runs(node, ctx)
  if n.total < p.min_runs then return end
  local bad = n.fail + n.abort
  local rate = bad / n.total
  if rate <= p.max_failure_rate + EPSILON then return end
  ctx.fail(string.format("%d of %d runs over the last %d days failed or "
                         .. "were aborted (rate %.4g), above %g", bad,
                         n.total, p.window_days, rate, p.max_failure_rate), {
    key = "failure rate",
    evidence = { runs = n.total, failed = n.fail, aborted = n.abort,
                 failure_rate = rate, max_failure_rate = p.max_failure_rate,
                 min_runs = p.min_runs, window_days = p.window_days,
                 last_failure = { at = last.at, run_id = last.run_id,
                                  status = last.status,
                                  error = last.error } },
  })
end

return {
  id = "technical.reliability",
  title = "Models and AI workflows fail rarely",
  severity = "high",
  enforcement = "mandatory",
  layer = "technical",
  params = { max_error_rate = 0.05, window_days = 30,
             max_failure_rate = 0.05, min_runs = 10 },
  subjects = function(g)
    local out = {}
    for _, m in ipairs(g.nodes("model")) do
      if m.stage ~= "retired" then out[#out + 1] = m end
    end
    for _, w in ipairs(g.nodes("workflow")) do
      if graph.ai_integrated(w, g) then out[#out + 1] = w end
    end
    return out
  end,
  check = function(node, ctx)
    error_rate(node, ctx)
    failure_rate(node, ctx)
  end,
}
