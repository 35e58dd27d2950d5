-- measurement.outcomes: downstream decision quality, "the hardest metric to
-- measure but the most meaningful", is measured. At stage measurement or
-- scaling, a workflow that uses a model names the metric of its outcomes
-- (outcome.metric) and it was observed in the last params.window_days
-- days. Advisory: a measurement gap to close, not a gate.
local fields = require "steward.fields"
local graph = require "steward.graph"
local monitoring = require "steward.monitoring"
local obs = require "steward.obs"

return {
  id = "measurement.outcomes",
  title = "A measured AI workflow measures the outcomes of its decisions",
  severity = "low",
  enforcement = "advisory",
  layer = "governance",
  subjects = "workflows",
  params = { window_days = 90 },
  check = function(w, ctx)
    if not (graph.ai_integrated(w, ctx.graph)
            and graph.stage_at_least(w, "measurement")) then
      return
    end
    local days = ctx.params.window_days
    local o = w.outcome
    local metric = o and o.metric
    if not fields.present(metric) then
      return ctx.fail("no outcome.metric: the quality of the decisions "
                      .. "downstream is not measured",
                      { path = o == nil and "outcome" or "outcome/metric" })
    end
    if #obs.window(ctx, w, { metric = metric, days = days }) > 0 then return end
    local evidence = { metric = metric, window_days = days,
                       since = monitoring.when(obs.window_start(ctx.now, days)) }
    local _, last = obs.latest(ctx, w, { metric = metric })
    local when = "never"
    if last ~= nil then
      evidence.last_at = monitoring.when(last)
      when = "last on " .. evidence.last_at
    end
    ctx.fail(string.format("outcome metric %s was not observed in the last "
        .. "%s days (%s): the quality of the decisions downstream is not "
        .. "measured", metric, monitoring.num(days), when),
      { path = "outcome/metric", evidence = evidence })
  end,
}
