-- debt.chain-depth: a long chain of workflows feeding each other turns one
-- model's error into many downstream. Hops are counted on the `feeds` graph
-- with each cycle collapsed to one node (cycles are debt.cycle's business),
-- for every workflow whatever its stage; the subject is the workflow at the
-- head of the chain, one that nothing feeds.
--
-- The longest chains are computed once per run, in linear time, when the
-- engine asks for the subjects; check() only looks its subject up.
local evidence = require "steward.evidence"
local graph = require "steward.graph"
local lineage = require "steward.lineage"

local chains   -- of the run in progress, set by subjects()

return {
  id = "debt.chain-depth",
  title = "Workflows feed each other in short chains",
  severity = "medium",
  enforcement = "mandatory",
  layer = "technical",
  params = { max_hops = 4 },
  subjects = function(g)
    chains = lineage.chains(g, "feeds")
    local heads = {}
    for _, w in ipairs(g.nodes("workflow")) do
      if #g.into(w, "feeds") == 0 and graph.ai_integrated(w, g) then
        heads[#heads + 1] = w
      end
    end
    return heads
  end,
  check = function(w, ctx)
    if chains == nil or lineage.hops_from(chains, w.id) == nil then
      chains = lineage.chains(ctx.graph, "feeds")
    end
    local max = ctx.params.max_hops
    local hops = lineage.hops_from(chains, w.id)
    if hops <= max then return end
    local limit = 100
    local chain = lineage.chain_from(chains, w.id, limit)
    local collapsed = {}
    for _, id in ipairs(chain) do
      local members = lineage.members_of(chains, id)
      if members then collapsed[#collapsed + 1] = members end
    end
    ctx.fail(string.format("its longest downstream feeds chain has %d hops "
                           .. "(more than %d): %s", hops, max,
                           evidence.arrows(chain)), {
      path = "feeds",
      evidence = { hops = hops, max_hops = max, chain = chain,
                   chain_truncated = hops + 1 > #chain or nil,
                   cycles = #collapsed > 0 and collapsed or nil },
    })
  end,
}
