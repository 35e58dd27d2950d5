local function words(s)
  local t = {}
  for w in s:gmatch("%a+") do t[#t + 1] = w:upper() end
  return t
end
return {
  id = "fuzz.patterns", severity = "info",
  subjects = function(graph, ctx) return graph.nodes("workflows") end,
  check = function(node, ctx)
    local s = string.format("%s-%q-%5.2f", node.id, node.stage or "", 3.14159)
    local a, b, c = s:find("^(%w+)%-(.-)%-")
    local g = s:gsub("%d", {["3"] = "three"}):gsub("(%w)(%w*)", function(x, y) return y .. x end)
    local m = ("key=value; k2=v2"):match("(%w+)=(%w+)")
    local f = ("(a(b)c)"):find("%b()") and ("THE (quick) fox"):find("%f[%a]%a+%f[%A]")
    if #words(g) > 100 then ctx.fail(g) end
  end,
}
