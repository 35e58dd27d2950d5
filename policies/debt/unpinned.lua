-- debt.unpinned: a workflow that does not pin the model version it was
-- built against gets whatever is rolled out next. One finding per `uses`
-- entry without a version, or pinned to a version other than the model's.
local graph = require "steward.graph"
local versions = require "steward.versions"

return {
  id = "debt.unpinned",
  title = "A workflow pins the registered version of every model it uses",
  severity = "medium",
  enforcement = "mandatory",
  layer = "technical",
  subjects = "workflows",
  params = {},
  check = function(w, ctx)
    local g = ctx.graph
    if not graph.ai_integrated(w, g) then return end
    for _, e in ipairs(graph.uses_entries(w)) do
      local m = g.node(e.model)
      if m ~= nil and m.kind == "model" then
        local registered = m.version
        local evidence = { model = e.model, pinned = e.version,
                           registered = registered }
        if e.bare then
          ctx.fail(string.format("uses model '%s' without a version "
                                 .. "(registered: %s)", e.model,
                                 tostring(registered or "none")),
                   { path = "uses/" .. e.index, evidence = evidence })
        elseif e.version == nil then
          ctx.fail(string.format("uses model '%s' without a version "
                                 .. "(registered: %s)", e.model,
                                 tostring(registered or "none")),
                   { path = "uses/" .. e.index .. "/version",
                     evidence = evidence })
        elseif not versions.same(e.version, registered) then
          ctx.fail(string.format("pins model '%s' to version %s, but its "
                                 .. "registered version is %s", e.model,
                                 tostring(e.version),
                                 tostring(registered or "missing")),
                   { path = "uses/" .. e.index .. "/version",
                     evidence = evidence })
        end
      end
    end
  end,
}
