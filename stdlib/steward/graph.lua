-- steward.graph: questions policies ask of the graph again and again,
-- above all which workflows a policy judges.
local M = {}

-- The stages in order; `retired` is outside the order on purpose.
local STAGES = { "proposed", "governance", "data", "redesign", "deployment",
                 "measurement", "scaling" }
local RANK = {}
for i, stage in ipairs(STAGES) do RANK[stage] = i end

M.STAGES = STAGES

-- The position of a stage in the order, or nil (retired, unknown, missing).
function M.stage_rank(stage)
  return RANK[stage]
end

-- True when node's stage is `stage` or later (never for retired).
function M.stage_at_least(node, stage)
  local rank = RANK[node.stage]
  return rank ~= nil and rank >= RANK[stage]
end

-- True when the workflow has at least one `uses` edge to a model.
function M.uses_model(node, graph)
  return #graph.out(node, "uses") > 0
end

-- {=== Which workflows a policy judges =================================== }
--
-- Three definitions, because the packs ask three different questions. All
-- leave out retired workflows: nothing runs there to go wrong.

-- AI-integrated: uses at least one model and is not retired, whatever its
-- stage (or none). The risk of a model in the loop exists as soon as it is
-- wired in, so the packs that look at what the model does or depends on
-- judge these: debt, scope, technical, process (with their own stage
-- floor), drift, adoption, measurement and sequencing.
function M.ai_integrated(node, graph)
  return node.stage ~= "retired" and M.uses_model(node, graph)
end

-- Governed: AI-integrated and at stage `data` or later (so not proposed,
-- governance, retired or unstaged). The governance prerequisites are what
-- the `governance` stage builds; they are owed once the work moves past it.
-- Used by the governance pack and the northwind example.
function M.governed(node, graph)
  return M.stage_at_least(node, "data") and M.uses_model(node, graph)
end

-- AI-integrated or proposed (and not retired): readiness is judged before
-- a model is chosen, so a proposed workflow without one is judged too.
-- Used by the readiness pack.
function M.ai_or_proposed(node, graph)
  if node.stage == "retired" then return false end
  return node.stage == "proposed" or M.uses_model(node, graph)
end

-- }===

-- The entries of w.uses as written, in order, each as { index = 0-based
-- position (for a path such as "uses/2"), model = id, version = string or
-- nil, bare = true for a bare id }. The `uses` edges lose the position and
-- the pinned version; this keeps both.
function M.uses_entries(w)
  local out = {}
  local uses = w.uses
  if uses == nil or type(uses) == "string" then return out end
  for i = 1, #uses do
    local e = uses[i]
    if type(e) == "string" then
      out[#out + 1] = { index = i - 1, model = e, bare = true }
    elseif e ~= nil and e.model ~= nil then
      out[#out + 1] = { index = i - 1, model = e.model, version = e.version,
                        bare = false }
    end
  end
  return out
end

-- The ids of a list of nodes, sorted: one order for messages and evidence,
-- whatever order the graph returned them in.
function M.sorted_ids(nodes)
  local ids = {}
  for i, n in ipairs(nodes) do ids[i] = n.id end
  table.sort(ids)
  return ids
end

-- The strings of the array field node[field] as a set, built once per run
-- (per ctx) and node, so membership in a long list (a model validated for
-- thousands of workflows) costs one lookup instead of a scan. Weak keys: a
-- run's sets go when its ctx does.
local sets = setmetatable({}, { __mode = "k" })

function M.set_of(ctx, node, field)
  local per_run = sets[ctx]
  if per_run == nil then
    per_run = {}
    sets[ctx] = per_run
  end
  local key = node.id .. "\0" .. field
  local set = per_run[key]
  if set == nil then
    set = {}
    local list = node[field]
    if list ~= nil and type(list) ~= "string" then
      for i = 1, #list do set[list[i]] = true end
    end
    per_run[key] = set
  end
  return set
end

return M
