-- adoption.cliff: people stopped using the AI after the launch.
-- The mean `adherence` in the last params.window_days days is more than
-- params.max_drop (a share) below its mean in the first params.window_days
-- days after deployed_at. A workflow with no adherence observations at all
-- is judged on its `usage` metric instead. Both windows need at least one
-- observation; the first window is [deployed_at, deployed_at + window),
-- the last one the last window_days days up to now.
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"
local stats = require "steward.stats"
local time = require "steward.time"

local DAY = monitoring.DAY

return {
  id = "adoption.cliff",
  title = "Adoption has not fallen off a cliff since deployment",
  severity = "high",
  enforcement = "mandatory",
  layer = "process",
  subjects = "workflows",
  params = { window_days = 30, max_drop = 0.25 },
  check = function(w, ctx)
    if not graph.ai_integrated(w, ctx.graph) then return end
    local deployed = time.parse(w.deployed_at)
    if deployed == nil or deployed > ctx.now then return end
    local p = ctx.params
    local metric = "adherence"
    if #obs.window(ctx, w, { metric = metric }) == 0 then metric = "usage" end
    local _, first = obs.series(ctx, w, {
      metric = metric, since = deployed,
      before = deployed + p.window_days * DAY,
    })
    local _, last = obs.series(ctx, w, { metric = metric,
                                         days = p.window_days })
    if #first == 0 or #last == 0 then return end
    local before, after = stats.mean(first), stats.mean(last)
    if before <= 0 then return end
    local drop = (before - after) / before
    if not monitoring.exceeds(drop, p.max_drop) then return end
    ctx.fail(string.format("%s fell %s, from a mean of %s in the first %s "
        .. "days after deployment to %s in the last %s days (more than %s)",
        metric, monitoring.percent(monitoring.round(drop, 4)),
        monitoring.num(before), monitoring.num(p.window_days),
        monitoring.num(after), monitoring.num(p.window_days),
        monitoring.percent(p.max_drop)), {
      path = "deployed_at",
      key = "adoption cliff",
      evidence = {
        metric = metric, drop = drop, max_drop = p.max_drop,
        first_window = { from = monitoring.when(deployed),
                         before = monitoring.when(deployed
                                                  + p.window_days * DAY),
                         mean = before, n = #first },
        last_window = { from = monitoring.when(
                          obs.window_start(ctx.now, p.window_days)),
                        to = monitoring.when(ctx.now),
                        mean = after, n = #last },
      },
    })
  end,
}
