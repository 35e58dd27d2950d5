-- attack: stop the collector, so that garbage piles up past what the memory
--   accounting expects (and, in a shared state, for everyone).
-- expect: runtime "collectgarbage: only \"count\" is allowed"
return {
  id = "attack.gc-collectgarbage-stop", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    collectgarbage("stop")
  end,
}
