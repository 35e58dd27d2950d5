-- technical.data-governance: a model or AI workflow that reads sensitive
-- data (classification pii, confidential or restricted) has its use
-- approved, a retention period and audited access. Subjects: every model,
-- and every workflow that uses one and is not retired; only what it reads
-- itself counts.
local fields = require "steward.fields"
local graph = require "steward.graph"

return {
  id = "technical.data-governance",
  title = "Readers of sensitive datasets are under data governance",
  severity = "high",
  enforcement = "mandatory",
  layer = "technical",
  params = { classifications = { "pii", "confidential", "restricted" } },
  subjects = function(g)
    local out = {}
    for _, m in ipairs(g.nodes("model")) do
      if m.stage ~= "retired" then out[#out + 1] = m end
    end
    for _, w in ipairs(g.nodes("workflow")) do
      if graph.ai_integrated(w, g) then out[#out + 1] = w end
    end
    return out
  end,
  check = function(node, ctx)
    local sensitive = {}
    for _, c in ipairs(ctx.params.classifications) do
      sensitive[string.lower(c)] = true
    end
    local datasets = {}
    for _, d in ipairs(ctx.graph.out(node, "reads")) do
      local c = d.classification
      if type(c) == "string" and sensitive[string.lower(c)] then
        datasets[#datasets + 1] = { id = d.id, classification = c }
      end
    end
    if #datasets == 0 then return end
    table.sort(datasets, function(a, b) return a.id < b.id end)
    local dg = node.data_governance
    local missing, path
    if dg == nil or type(dg) ~= "userdata" then
      missing, path = { "data_governance" }, "data_governance"
    else
      missing = fields.missing(dg, { "approved_by", "retention_days" })
      if dg.access_audited ~= true then
        missing[#missing + 1] = "access_audited"
      end
      if #missing == 0 then return end
      path = "data_governance/" .. missing[1]
    end
    local names = {}
    for i, d in ipairs(datasets) do
      names[i] = string.format("%s (%s)", d.id, d.classification)
    end
    local lacks = missing[1] == "data_governance" and "no data_governance"
      or ("data_governance lacks " .. table.concat(missing, ", "))
    ctx.fail(string.format("reads %s with %s", table.concat(names, ", "),
                           lacks), {
      path = path,
      evidence = { datasets = datasets, missing = missing },
    })
  end,
}
