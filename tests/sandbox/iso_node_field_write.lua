-- attack: policy 1 tries every way to change a node: assignment to a field
--   and to a nested array element, rawset, a new metatable, and writes to the
--   table getmetatable returns; policy 2 reads the nodes afterwards.
-- expect: ok   (every write fails; the graph others see is unchanged)
return {
  id = "attack.iso-node-field-write-1", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local a = ctx.graph.node("a")
    local tries = {
      function() a.owner = "mallory" end,
      function() a.task.inputs[1] = "poisoned" end,
      function() a.volume.cases_per_month = 0 end,
      function() rawset(a, "owner", "mallory") end,
      function() setmetatable(a, {__index = function() return "mallory" end}) end,
      function() getmetatable(a).__index = function() return "mallory" end end,
      function() node.id = "renamed" end,
    }
    for i, f in ipairs(tries) do
      if pcall(f) then ctx.fail("write " .. i .. " succeeded") end
    end
    if a.owner ~= "alice" then ctx.fail("policy 1 sees a changed owner") end
  end,
}
--8<-- policy 2: the victim
return {
  id = "attack.iso-node-field-write-2", severity = "high", subjects = "workflows",
  check = function(node, ctx)
    local a = ctx.graph.node("a")
    if a.owner ~= "alice" then ctx.fail("owner changed to " .. tostring(a.owner)) end
    if a.task.inputs[1] ~= "x" then ctx.fail("inputs changed") end
    if a.volume.cases_per_month ~= 4200 then ctx.fail("volume changed") end
    if a.id ~= "a" then ctx.fail("id changed") end
  end,
}
