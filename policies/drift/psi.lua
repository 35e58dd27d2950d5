-- drift.psi: the input distribution has moved away from the one the model
-- was built on. The latest `psi` observation (up to now) of a model, or of
-- a workflow that uses one, is at least params.high (high severity) or at
-- least params.low (low severity).
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"

local function subjects(g)
  local out = {}
  for _, m in ipairs(g.nodes("models")) do out[#out + 1] = m end
  for _, w in ipairs(g.nodes("workflows")) do out[#out + 1] = w end
  return out
end

-- The ids of the workflows that use model m and are not retired.
local function users(m, g)
  local ids = {}
  for _, w in ipairs(g.into(m, "uses")) do
    if w.stage ~= "retired" then ids[#ids + 1] = w.id end
  end
  table.sort(ids)
  return ids
end

return {
  id = "drift.psi",
  title = "Model inputs have not drifted from their baseline distribution",
  severity = "high",
  enforcement = "mandatory",
  layer = "technical",
  subjects = subjects,
  params = { high = 0.25, low = 0.1 },
  check = function(node, ctx)
    if node.kind == "workflow" and not graph.ai_integrated(node, ctx.graph) then
      return
    end
    local psi, at = obs.latest(ctx, node, { metric = "psi" })
    if psi == nil then return end
    local p = ctx.params
    local severity, limit
    if psi >= p.high then
      severity, limit = "high", p.high
    elseif psi >= p.low then
      severity, limit = "low", p.low
    else
      return
    end
    local ts, vs = obs.series(ctx, node, { metric = "psi" })
    local evidence = {
      psi = psi, at = monitoring.when(at), threshold = limit,
      high = p.high, low = p.low,
    }
    if #vs > 1 then
      evidence.previous = vs[#vs - 1]
      evidence.previous_at = monitoring.when(ts[#ts - 1])
    end
    if node.kind == "model" then
      local ids = users(node, ctx.graph)
      if #ids > 0 then evidence.used_by = ids end
    end
    ctx.fail(string.format("PSI is %s on %s (at or above %s): the inputs "
        .. "have drifted from the baseline distribution", monitoring.num(psi),
        monitoring.when(at), monitoring.num(limit)), {
      severity = severity, key = "psi " .. severity, evidence = evidence,
    })
  end,
}
