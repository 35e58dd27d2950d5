-- Helpers for the stdlib tests that look at rows rather than findings
-- (readiness_test.lua, sequencing_test.lua):
--   local fake = require "steward.testdata.fake"
--   local ctx, nodes = fake.ctx(reg, now, observations)
-- fake.ctx is a stand-in for ctx over an inline registry: graph.node,
-- graph.out (uses entries as bare ids or {model=}), observations(subject,
-- filter) and now (default 2026-11-26); nodes maps each id to its node.
-- The policies' tests run on the real engine.
local time = require "steward.time"

local M = {}

local KINDS = { owners = "owner", systems = "system", datasets = "dataset",
                models = "model", workflows = "workflow" }

function M.ctx(reg, now, observations)
  local nodes = {}
  for section, kind in pairs(KINDS) do
    for id, fields in pairs(reg[section] or {}) do
      local n = { id = id, kind = kind }
      for k, v in pairs(fields) do n[k] = v end
      nodes[id] = n
    end
  end
  local graph = {}
  function graph.node(id) return nodes[id] end
  function graph.out(n, rel)
    if type(n) == "string" then n = nodes[n] end
    local out = {}
    for _, ref in ipairs(n[rel] or {}) do
      out[#out + 1] = nodes[type(ref) == "table" and ref.model or ref]
    end
    return out
  end
  local function epoch(x)
    if type(x) == "string" then return time.parse(x) end
    return x
  end
  local ctx = { graph = graph, now = time.parse(now or "2026-11-26") }
  function ctx.observations(subject, filter)
    if type(subject) == "table" then subject = subject.id end
    local name, since, before = filter, nil, nil
    if type(filter) == "table" then
      name = filter.metric or filter.kind
      since, before = epoch(filter.since), epoch(filter.before)
    end
    local out = {}
    for _, r in ipairs(observations or {}) do
      local at = time.parse(r.at)
      if r.subject == subject and (name == nil or r.metric == name or
                                   r.kind == name)
         and (since == nil or at >= since) and (before == nil or at < before)
      then
        out[#out + 1] = r
      end
    end
    table.sort(out, function(a, b) return time.parse(a.at) < time.parse(b.at) end)
    return out
  end
  return ctx, nodes
end

-- The keys of a row, sorted and joined: "id,ok,why".
function M.keys(row)
  local ks = {}
  for k in pairs(row) do ks[#ks + 1] = k end
  table.sort(ks)
  return table.concat(ks, ",")
end

return M
