-- scope.observed-use: usage the registry does not declare. A `usage`
-- observation whose caller is not a registered workflow that uses the
-- model, or is not in the model's validated_for, is scope creep seen in
-- production. Usage logs and lineage (steward import openlineage, POST
-- /api/v1/lineage: one record per run, `source` "openlineage") count
-- alike; the evidence names the sources a caller was seen in.
local graph = require "steward.graph"
local obs = require "steward.obs"

local function describe(c)
  local n = c.count
  local whole = n == math.floor(n) and math.abs(n) < 2 ^ 53
  return string.format("%s (%s calls, %s)", c.caller,
                       string.format(whole and "%d" or "%g", n),
                       table.concat(c.reasons, ", "))
end

-- Records the caller's source (a string), once, in sorted order.
local function add_source(c, source)
  if type(source) ~= "string" then return end
  local list = c.sources
  if list == nil then
    list = {}
    c.sources = list
  end
  for _, s in ipairs(list) do
    if s == source then return end
  end
  list[#list + 1] = source
  table.sort(list)
end

return {
  id = "scope.observed-use",
  title = "Observed callers of a model are registered and validated",
  severity = "high",
  enforcement = "mandatory",
  layer = "governance",
  subjects = "models",
  params = {},
  check = function(m, ctx)
    local g = ctx.graph
    local by_caller, callers = {}, {}
    for _, e in ipairs(obs.window(ctx, m, { kind = "usage" })) do
      local r = e.record
      local caller = r.caller
      if type(caller) == "string" then
        local c = by_caller[caller]
        if c == nil then
          c = { caller = caller, count = 0, first_seen = r.at, last_seen = r.at }
          by_caller[caller] = c
          callers[#callers + 1] = c
        end
        c.count = c.count + (tonumber(r.count) or 0)
        c.last_seen = r.at                    -- records are oldest first
        add_source(c, r.source)
      end
    end
    local bad = {}
    for _, c in ipairs(callers) do
      local w = g.node(c.caller)
      local reasons = {}
      if w == nil or w.kind ~= "workflow" then
        reasons[#reasons + 1] = "not a registered workflow"
      else
        local uses = false
        for _, n in ipairs(g.out(w, "uses")) do
          if n.id == m.id then uses = true break end
        end
        if not uses then
          reasons[#reasons + 1] = "does not declare it in uses"
        end
      end
      if not graph.set_of(ctx, m, "validated_for")[c.caller] then
        reasons[#reasons + 1] = "not in validated_for"
      end
      if #reasons > 0 then
        c.reasons = reasons
        bad[#bad + 1] = c
      end
    end
    if #bad == 0 then return end
    table.sort(bad, function(a, b) return a.caller < b.caller end)
    local parts = {}
    for i, c in ipairs(bad) do parts[i] = describe(c) end
    ctx.fail(string.format("used by %d caller%s outside its validation: %s",
                           #bad, #bad == 1 and "" or "s",
                           table.concat(parts, "; ")), {
      path = "validated_for",
      evidence = { callers = bad },
    })
  end,
}
