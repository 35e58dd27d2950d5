-- attack: spend just under the per-call limits on every subject, over many
--   subjects (here 20 entries from a subjects function): no single call is a
--   runaway, the policy as a whole takes 20 times the deadline and would hold
--   a daemon for hours on a large registry.
--   Limits are per call, by design: a policy slow but within them on every
--   subject is a slow policy, not a runaway (a run's time is the scheduler's).
-- expect: ok   (completes, every subject checked)
-- time: 10
return {
  id = "attack.slow-per-subject", severity = "high",
  subjects = function(graph)
    local t = {}
    for i = 1, 20 do t[i] = graph.node("a") end
    return t
  end,
  check = function(node, ctx)
    local n = 0
    for i = 1, 20000000 do n = n + 1 end
  end,
}
