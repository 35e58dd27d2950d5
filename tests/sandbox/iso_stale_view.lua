-- attack: keep a node from one evaluation in a global and read it in the next
--   one (after a rebind the view would index another registry).
-- expect: ok
-- then: runtime "a graph value kept from an earlier evaluation cannot be used"
return {
  id = "attack.iso-stale-view", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    kept = kept or node
    local _ = kept.owner
  end,
}
