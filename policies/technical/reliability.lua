-- technical.reliability: an AI that fails often (errors, timeouts) erodes
-- trust faster than a weaker one that is consistent. The mean of the
-- `error_rate` observations (share of AI calls that failed or timed out)
-- over the last 30 calendar days, today included, must not exceed 0.05.
-- Subjects: every model, and every workflow that uses one and is not
-- retired.
local graph = require "steward.graph"
local obs = require "steward.obs"
local stats = require "steward.stats"

-- Means are sums of floats: 0.04 and 0.06 must average to 0.05, not to a
-- hair above it.
local EPSILON = 1e-9

return {
  id = "technical.reliability",
  title = "Models and AI workflows fail rarely",
  severity = "high",
  enforcement = "mandatory",
  layer = "technical",
  params = { max_error_rate = 0.05, window_days = 30 },
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
  end,
}
