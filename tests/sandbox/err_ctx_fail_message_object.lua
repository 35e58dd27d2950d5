-- attack: pass ctx.fail a message object whose __tostring loops.
-- expect: runtime "the message must be a string"
return {
  id = "attack.err-ctx-fail-message-object", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    ctx.fail(setmetatable({}, {__tostring = function() while true do end end}))
  end,
}
