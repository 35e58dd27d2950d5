-- attack: ctx.fail options whose fields exist only through an __index that
--   loops.
-- expect: finding "proxied"
return {
  id = "attack.err-ctx-fail-options-proxy", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    ctx.fail("proxied", setmetatable({}, {__index = function() while true do end end}))
  end,
}
