-- attack: every collectgarbage option but "count": a full collection on a big
--   heap is O(heap) inside one C call; step/setpause/generational change how
--   memory behaves; isrunning probes.
-- expect: ok   (each is refused; "count" works)
local opts = {"collect", "stop", "restart", "step", "isrunning",
  "incremental", "generational", "setpause", "setstepmul"}
return {
  id = "attack.gc-collectgarbage-options", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    for _, o in ipairs(opts) do
      if pcall(collectgarbage, o, 1e9) then ctx.fail("collectgarbage('" .. o .. "') worked") end
    end
    if type(collectgarbage("count")) ~= "number" then ctx.fail("count is missing") end
  end,
}
