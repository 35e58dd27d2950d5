local t = require "steward.test"
local graph = require "steward.graph"

local registry = {
  models = { m = { version = "1" } },
  workflows = {
    ai_data = { stage = "data", uses = { "m" } },
    ai_governance = { stage = "governance", uses = { "m" } },
    ai_proposed = { stage = "proposed", uses = { { model = "m" } } },
    ai_retired = { stage = "retired", uses = { "m" } },
    manual = { stage = "scaling" },
    manual_proposed = { stage = "proposed" },
    manual_retired = { stage = "retired" },
    unstaged = { uses = { "m" } },
  },
}

local function probe()
  return t.check(registry, { policy = "testdata/graph_probe.lua" })
end

t.case("stage order", function()
  t.eq(#graph.STAGES, 7, "seven ordered stages")
  t.eq(graph.stage_rank("proposed"), 1, "proposed first")
  t.eq(graph.stage_rank("scaling"), 7, "scaling last")
  t.eq(graph.stage_rank("retired"), nil, "retired is outside the order")
end)

-- The three definitions of a judged workflow side by side: governed needs
-- stage data or later, ai_integrated any stage but retired (or none),
-- ai_or_proposed also takes a proposal without a model.
t.case("governed, ai_integrated and ai_or_proposed", function()
  local function row(governed, integrated, or_proposed, rest)
    return string.format("governed=%s integrated=%s or_proposed=%s %s",
                         governed, integrated, or_proposed, rest)
  end
  t.expect(probe(), {
    { subject = "ai_data",
      message = row(true, true, true, "uses=true rank=3 data+=true") },
    { subject = "ai_governance",
      message = row(false, true, true, "uses=true rank=2 data+=false") },
    { subject = "ai_proposed",
      message = row(false, true, true, "uses=true rank=1 data+=false") },
    { subject = "ai_retired",
      message = row(false, false, false, "uses=true rank=nil data+=false") },
    { subject = "manual",
      message = row(false, false, false, "uses=false rank=7 data+=true") },
    { subject = "manual_proposed",
      message = row(false, false, true, "uses=false rank=1 data+=false") },
    { subject = "manual_retired",
      message = row(false, false, false, "uses=false rank=nil data+=false") },
    { subject = "unstaged",
      message = row(false, true, true, "uses=true rank=nil data+=false") },
  })
end)

t.case("set_of: a list field as a set, per run", function()
  local found = t.check({
    models = { m = { version = "1", validated_for = { "a", "b" } } },
    workflows = { a = { stage = "data", uses = { "m" } },
                  c = { stage = "data", uses = { "m" } } },
  }, { policy = "testdata/set_probe.lua" })
  t.expect(found, {
    { subject = "a", message = "validated=true" },
    { subject = "c", message = "validated=false" },
  })
end)

-- set_of caches per run: asking whether a workflow is governed in between
-- must not throw the cache away (it once did: set_of was redefined, with a
-- fresh cache, inside governed).
t.case("set_of: the cache survives a governed call", function()
  local ctx = {}
  local model = { id = "m", validated_for = { "a", "b" } }
  local g = { out = function() return { model } end }
  local first = graph.set_of(ctx, model, "validated_for")
  t.eq(graph.governed({ stage = "data" }, g), true, "governed")
  t.truthy(rawequal(graph.set_of(ctx, model, "validated_for"), first),
           "the same set after governed")
  t.truthy(not rawequal(graph.set_of({}, model, "validated_for"), first),
           "another run builds its own")
end)

t.case("uses_entries: bare ids and objects, 0-based", function()
  local es = graph.uses_entries({ uses = { "a", { model = "b", version = "2" },
                                           { model = "c" } } })
  t.eq(es, {
    { index = 0, model = "a", bare = true },
    { index = 1, model = "b", version = "2", bare = false },
    { index = 2, model = "c", bare = false },
  }, "entries")
  t.eq(graph.uses_entries({}), {}, "no uses")
  t.eq(graph.uses_entries({ uses = "a" }), {}, "a string is not a list")
end)

t.case("sorted_ids: the ids of nodes, sorted", function()
  t.eq(graph.sorted_ids({ { id = "b" }, { id = "c" }, { id = "a" } }),
       { "a", "b", "c" }, "sorted")
  t.eq(graph.sorted_ids({}), {}, "none")
end)
