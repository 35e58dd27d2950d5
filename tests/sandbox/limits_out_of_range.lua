-- attack: a policy that grants itself limits beyond the ranges the loader
--   accepts (a million MiB of memory, a billion seconds).
-- expect: load-error "limits out of range"
return {
  id = "attack.limits-out-of-range", severity = "high", subjects = "workflows",
  limits = {memory_mb = 1000000, seconds = 1e9, instructions = 1e18},
  check = function(node, ctx) while true do end end,
}
