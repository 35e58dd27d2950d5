-- attack: set the metatable first and add a looping __gc afterwards, then
--   churn memory so the collector runs (and the state is closed later).
-- expect: ok   (Lua marks objects for finalization only at setmetatable,
--   so the finalizer never runs and nothing hangs)
return {
  id = "attack.gc-finalizer-added-later", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local mt = {}
    local objs = {}
    for i = 1, 1000 do objs[i] = setmetatable({}, mt) end
    mt.__gc = function() while true do end end
    keep = objs[1]
    for i = 1, 200000 do local t = {i, tostring(i)} end
  end,
}
