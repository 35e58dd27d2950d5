-- attack: policy 1 replaces a function of the host module steward.core (what
--   require returns); policy 2 requires the same module.
-- expect: ok   (modules are cached per policy)
return {
  id = "attack.iso-steward-core-module-1", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local core = require("steward.core")
    pcall(function() core.parse_time = function() return 0 end end)
  end,
}
--8<-- policy 2: the victim
return {
  id = "attack.iso-steward-core-module-2", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    if require("steward.core").parse_time("2026-01-01") == 0 then
      ctx.fail("steward.core.parse_time was replaced")
    end
  end,
}
