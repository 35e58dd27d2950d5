-- attack: reach the VM internals through debug (sethook would lift the
--   budget, getregistry the host's tables).
-- expect: runtime "attempt to index" "'debug'"
return {
  id = "attack.escape-debug", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    debug.sethook()
  end,
}
