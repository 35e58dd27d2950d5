---@meta
-- LuaLS annotations for steward policies: completion and type checks for
-- the policy table, ctx, nodes and the stdlib. Point your editor at it:
--   .luarc.json: { "workspace.library": ["/path/to/steward/stdlib"] }
-- This file is never loaded by steward; it only describes.

---@alias steward.Severity "info"|"low"|"medium"|"high"|"critical"
---@alias steward.Enforcement "advisory"|"mandatory"|"soft-mandatory"|"hard-mandatory"
---@alias steward.Kind "owner"|"system"|"dataset"|"model"|"workflow"
---@alias steward.Section "owners"|"systems"|"datasets"|"models"|"workflows"
---@alias steward.Rel "owner"|"uses"|"reads"|"writes"|"feeds"|"depends_on"
---@alias steward.Layer "technical"|"process"|"governance"

---A registry node, read-only: `id`, `kind` and every field of its JSON.
---Nested objects and arrays are read-only views too (`#`, `ipairs`,
---`pairs` and indexing work; assignment raises "the graph is read-only").
---@class steward.Node
---@field id string
---@field kind steward.Kind
---@field owner? string
---@field stage? "proposed"|"governance"|"data"|"redesign"|"deployment"|"measurement"|"scaling"|"retired"
---@field [string] any

---One observation record (JSON Lines), read-only.
---@class steward.Observation
---@field at string RFC 3339 date or time
---@field subject? string
---@field metric? string
---@field value? number
---@field kind? "usage"|"incident"|"override"|"response"|string
---@field id? string an incident's id, named by the responses that answer it
---@field incident? string a response's incident id
---@field [string] any

---@class steward.WalkOptions
---@field out? steward.Rel|steward.Rel[] relations followed forward
---@field into? steward.Rel|steward.Rel[] relations followed backward
---@field kind? steward.Kind|steward.Section keep only nodes of this kind
---@field depth? integer at most this many hops
---@field count? boolean return the number of nodes instead of the nodes

---The graph, computed in C.
---@class steward.Graph
local Graph = {}
---@param id string|steward.Node
---@return steward.Node?
function Graph.node(id) end
---@param kind steward.Kind|steward.Section
---@return steward.Node[]
function Graph.nodes(kind) end
---Direct successors, optionally only along `rel`.
---@param id string|steward.Node
---@param rel? steward.Rel|steward.Rel[]
---@return steward.Node[]
function Graph.out(id, rel) end
---Direct predecessors, optionally only along `rel`.
---@param id string|steward.Node
---@param rel? steward.Rel|steward.Rel[]
---@return steward.Node[]
function Graph.into(id, rel) end
---Everything a change to `id` reaches, transitively, nearest first: along
---feeds and writes, against uses, reads and depends_on.
---@param id string|steward.Node
---@param opts? steward.WalkOptions
---@return steward.Node[]|integer
function Graph.dependents(id, opts) end
---A walk along the relations named in opts (out / into).
---@param id string|steward.Node
---@param opts steward.WalkOptions
---@return steward.Node[]|integer
function Graph.reach(id, opts) end
---@param id string|steward.Node
---@return steward.Node?
function Graph.owner(id) end
---Shortest path from a to b along out-edges in rels (all when nil).
---@param a string|steward.Node
---@param b string|steward.Node
---@param rels? steward.Rel|steward.Rel[]
---@return steward.Node[]?
function Graph.path(a, b, rels) end
---Strongly connected components with more than one node, or one node
---with an edge to itself, each sorted by id.
---@param rels? steward.Rel|steward.Rel[]
---@return steward.Node[][]
function Graph.cycles(rels) end

---@class steward.FailOptions
---@field path? string JSON Pointer of the field at fault; relative ones start at the subject
---@field evidence? any what a reviewer needs (converted to JSON)
---@field severity? steward.Severity overrides the policy's
---@field key? string identity across runs when the message has changing numbers

---@class steward.ObservationFilter
---@field name? string a metric or a kind
---@field metric? string
---@field kind? string only records of this kind
---@field since? number|string epoch seconds or RFC 3339, inclusive
---@field before? number|string epoch seconds or RFC 3339, exclusive

---@class steward.Ctx
---@field graph steward.Graph
---@field now integer the evaluation clock, epoch seconds (`--now`)
---@field params table<string, any> this policy's parameters
---@field policy {id: string, severity: steward.Severity, title: string}
local Ctx = {}
---Reports a finding on the subject being checked.
---@param message string
---@param opts? steward.FailOptions
function Ctx.fail(message, opts) end
---A subject's observations in time order.
---@param subject string|steward.Node
---@param filter? string|steward.ObservationFilter
---@return steward.Observation[]
function Ctx.observations(subject, filter) end
---The parameters of another policy of the run (nil when not loaded).
---@param id string
---@return table<string, any>?
function Ctx.params_of(id) end

---@class steward.Limits
---@field instructions? integer per call
---@field memory_mb? number per policy state
---@field seconds? number per call

---What a policy file returns.
---@class steward.Policy
---@field id string
---@field title? string
---@field severity steward.Severity
---@field enforcement? steward.Enforcement defaults to "mandatory"
---@field layer? steward.Layer the layer it judges; its findings carry it
---@field subjects steward.Section|fun(graph: steward.Graph, ctx: steward.Ctx): (steward.Node|string)[]
---@field params? table<string, any> defaults; --params FILE overrides
---@field limits? steward.Limits
---@field check fun(node: steward.Node, ctx: steward.Ctx)

---@class steward.Finding
---@field policy string
---@field subject string
---@field severity steward.Severity
---@field enforcement string
---@field layer? steward.Layer absent when the policy declares none
---@field message string
---@field path? string
---@field key? string
---@field evidence? any
---@field error? "runtime"|"instructions"|"memory"|"deadline"

---require "steward.test"
---@class steward.test
local test = {}
---@param name string
---@param fn fun()
function test.case(name, fn) end
---Runs the policy beside the test file on an inline registry.
---@param registry table|string a registry as Lua tables or JSON text
---@param opts? {now?: string, observations?: table[], params?: table, keep_going?: boolean, policy?: string}
---@return steward.Finding[]
function test.check(registry, opts) end
---Exactly these findings, one for one; `message` matches by substring.
---@param found steward.Finding[]
---@param expected table[]
function test.expect(found, expected) end
---@param found steward.Finding[]
function test.none(found) end
---@param actual any
---@param expected any
---@param label? string
function test.eq(actual, expected, label) end
---@param v any
---@param label? string
function test.truthy(v, label) end
---@param fn fun()
---@param text string
function test.raises(fn, text) end
---As a value in overrides: removes the field.
test.NONE = {}
---A deep copy of base with overrides merged in: objects merge field by
---field, lists and other values replace, test.NONE removes.
---@param base table @param overrides? table @return table
function test.merge(base, overrides) end
---A workflow that passes every governance policy (owner maria.chen, stage
---deployment, uses scorer, monitoring, override, escalation).
---@param overrides? table @return table
function test.healthy_workflow(overrides) end
---A healthy workflow in measurement, deployed 2026-02-01, watching
---qualified_to_won (alert below 0.15) every 7 days.
---@param overrides? table @return table
function test.measured_workflow(overrides) end
---A registry of workflows with the owner maria.chen and the model scorer.
---@param workflows table<string, table> @param overrides? table @return table
function test.registry(workflows, overrides) end

---require "steward.stats"
---@class steward.stats
local stats = {}
---@param xs number[] @return number
function stats.sum(xs) end
---@param xs number[] @return number?
function stats.mean(xs) end
---@param xs number[] @return number?
function stats.median(xs) end
---@param xs number[] @param q number 0..1 @return number?
function stats.quantile(xs, q) end
---@param xs number[] @return number?
function stats.stddev(xs) end
---@param xs number[] @param ys number[] @return number? slope, number? intercept
function stats.linear_fit(xs, ys) end
---@param xs number[] @param ys number[] @return number?
function stats.slope(xs, ys) end
---Population Stability Index of two histograms over the same bins.
---@param expected number[] @param actual number[] @param epsilon? number @return number?
function stats.psi(expected, actual, epsilon) end
---Two-sample Kolmogorov-Smirnov statistic.
---@param xs number[] @param ys number[] @return number?
function stats.ks(xs, ys) end

---require "steward.time"
---@class steward.time
---@field DAY integer
local time = {}
---@param s string @return integer?
function time.parse(s) end
---@param t number @return string
function time.format(t) end
---@param from number @param to number @return number
function time.days_between(from, to) end
---@param s string @param now number @return number?
function time.age_days(s, now) end
---Calendar days (UTC) from the date of s to the date of now.
---@param s string @param now number @return integer?
function time.days_since(s, now) end

---What obs.window selects: a metric or a kind (exactly one), bounds, and
---always nothing after ctx.now (now itself included).
---@class steward.Window
---@field metric? string records of this metric (no kind)
---@field kind? string records of this kind (usage, override, incident, ...)
---@field since? number|string epoch seconds or RFC 3339, inclusive
---@field before? number|string epoch seconds or RFC 3339, exclusive
---@field days? number from midnight UTC this many days before the date of now

---require "steward.obs"
---@class steward.obs
local obs = {}
---The records of a subject in a window, oldest first.
---@param ctx steward.Ctx
---@param subject string|steward.Node
---@param filter steward.Window
---@return {t: number, record: steward.Observation}[]
function obs.window(ctx, subject, filter) end
---The numeric values of a window, with their times.
---@param ctx steward.Ctx
---@param subject string|steward.Node
---@param filter steward.Window
---@return number[] times, number[] values
function obs.series(ctx, subject, filter) end
---The last numeric value of a window and its time.
---@param ctx steward.Ctx
---@param subject string|steward.Node
---@param filter steward.Window
---@return number? value, number? at
function obs.latest(ctx, subject, filter) end
---Midnight UTC `days` days before the date of now (epoch seconds).
---@param now number @param days number @return number
function obs.window_start(now, days) end

---require "steward.graph"
---@class steward.graph
---@field STAGES string[]
local graph = {}
---@param stage string? @return integer?
function graph.stage_rank(stage) end
---@param node steward.Node @param stage string @return boolean
function graph.stage_at_least(node, stage) end
---@param node steward.Node @param g steward.Graph @return boolean
function graph.uses_model(node, g) end
---Uses a model and is not retired, whatever its stage: what the debt,
---scope, technical, process, drift, adoption, measurement and sequencing
---packs judge.
---@param node steward.Node @param g steward.Graph @return boolean
function graph.ai_integrated(node, g) end
---Uses a model and is at stage data or later: what the governance pack
---judges.
---@param node steward.Node @param g steward.Graph @return boolean
function graph.governed(node, g) end
---Uses a model or is proposed, and is not retired: what the readiness pack
---judges.
---@param node steward.Node @param g steward.Graph @return boolean
function graph.ai_or_proposed(node, g) end
---One entry of a workflow's `uses`, as written.
---@class steward.UsesEntry
---@field index integer 0-based position in `uses`
---@field model string
---@field version? string
---@field bare boolean true for a bare model id
---The entries of w.uses in order (the edges lose position and version).
---@param w steward.Node @return steward.UsesEntry[]
function graph.uses_entries(w) end
---@param nodes steward.Node[] @return string[]
function graph.sorted_ids(nodes) end
---The strings of a list field as a set, built once per run and node.
---@param ctx steward.Ctx @param node steward.Node @param field string
---@return table<string, true>
function graph.set_of(ctx, node, field) end

---require "steward.fields"
---@class steward.fields
local fields = {}
---@param v any @return boolean
function fields.present(v) end
---@param obj table|steward.Node @param names string[] @return string[]
function fields.missing(obj, names) end

---require "steward.lineage": chains and cycles of feeds / depends_on.
---@class steward.lineage
local lineage = {}
---The workflows of a `rel` graph in integer arrays, cycles collapsed.
---@class steward.Chains
---@field n integer the number of workflows
---@field ids string[] workflow i's id, in load order
---@field index table<string, integer> and back
---@field rep integer[] workflow i's component (the index of its smallest id)
---@field members table<integer, string[]> sorted ids of collapsed components
---@field succ integer[][] the components each one has an edge to
---@field hops? integer[] longest chain from each component (longest_chains)
---@field next? integer[] its first step
---The workflows' `rel` graph with every cycle collapsed to one node.
---@param g steward.Graph @param rel steward.Rel @return steward.Chains
function lineage.condense(g, rel) end
---Adds the longest path (hops, next) from every component; returns c.
---@param c steward.Chains @return steward.Chains
function lineage.longest_chains(c) end
---Longest chains of `rel` (default "feeds"), collapsed.
---@param g steward.Graph @param rel? steward.Rel @return steward.Chains
function lineage.chains(g, rel) end
---@param c steward.Chains @param id string @return integer?
function lineage.hops_from(c, id) end
---The components along a longest chain from id, each by its smallest id.
---@param c steward.Chains @param id string @param limit? integer
---@return string[]
function lineage.chain_from(c, id, limit) end
---@param c steward.Chains @param id string @return string[]?
function lineage.members_of(c, id) end
---A shortest cycle through id inside its component, first = last = id.
---@param g steward.Graph @param id string @param members string[]
---@param rels steward.Rel|steward.Rel[]
---@return string[]?
function lineage.cycle_through(g, id, members, rels) end

---require "steward.evidence": lists as findings show them.
---@class steward.evidence
---@field MAX integer
local evidence = {}
---At most max (default MAX) items; true as second value when cut.
---@generic T
---@param list T[] @param max? integer @return T[], true?
function evidence.cap(list, max) end
---"a -> b -> c", the middle elided beyond max ids (default 12).
---@param ids string[] @param max? integer @return string
function evidence.arrows(ids, max) end

---require "steward.pointer": pieces of JSON Pointers (RFC 6901).
---@class steward.pointer
local pointer = {}
---@param token any @return string
function pointer.escape(token) end
---The 0-based position of id in a list field, or nil.
---@param list any @param id string @return integer?
function pointer.index_of(list, id) end

---require "steward.versions"
---@class steward.versions
local versions = {}
---Same version as written (5 and "5" alike); nil matches nothing.
---@param a any @param b any @return boolean
function versions.same(a, b) end

---require "steward.monitoring": what drift, adoption and measurement share.
---@class steward.monitoring
---@field DAY integer
---@field TOLERANCE number
local monitoring = {}
---"below" or "above": the field, else the side of the baseline the
---threshold is on; nil when neither says.
---@param m? table a workflow's monitoring @return "below"|"above"|nil
function monitoring.direction(m) end
---Which way the baseline metric improves: baseline.better, else the
---monitoring direction of the same metric (below or none: "higher", above:
---"lower"); nil when neither says.
---@param w steward.Node @return "higher"|"lower"|nil
function monitoring.better(w) end
---@param b number @return number
function monitoring.slack(b) end
---Strictly past the threshold in the direction (beyond rounding when
---computed is true).
---@param value number @param threshold number @param direction? string
---@param computed? boolean @return boolean
function monitoring.past(value, threshold, direction, computed) end
---a greater than b by more than slack(b).
---@param a number @param b number @return boolean
function monitoring.exceeds(a, b) end
---{metric, threshold, direction, baseline}, or nil when incomplete.
---@param w steward.Node @return table?
function monitoring.spec(w) end
---@param now integer @param t number @return integer
function monitoring.days_ago(now, t) end
---@param t number @return string
function monitoring.when(t) end
---@param x number @return string
function monitoring.num(x) end
---@param x number @return string
function monitoring.percent(x) end
---@param x number @param digits? integer @return number
function monitoring.round(x, digits) end

---A fault of steward.process (and steward.governance): the field at fault,
---relative to the workflow, a sentence, and the names of what is missing.
---@class steward.Fault
---@field field string
---@field message string
---@field faults? string[]

---require "steward.process": the process checks process.mapping,
---process.change-management and sequencing step 3 share.
---@class steward.process
local process = {}
---process.mapping.documented is true and mapped_at set; nil when so.
---@param w steward.Node @return steward.Fault?
function process.mapping(w) end
---process.change.validated_with_users is true and lead set; nil when so.
---@param w steward.Node @return steward.Fault?
function process.change(w) end

---One workflow's finding as steward.layers reads it.
---@class steward.LayerFinding
---@field policy string
---@field layer? steward.Layer
---@field waived? boolean

---@class steward.LayerStatus
---@field layer steward.Layer
---@field complete boolean no open finding of the layer
---@field failing string[] policies with an open finding, sorted
---@field waived string[] policies whose findings are all waived, sorted

---require "steward.layers": the three layers, and one workflow's status.
---@class steward.layers
---@field NAMES steward.Layer[] technical, process, governance
local layers = {}
---@param name any @return boolean
function layers.known(name) end
---One row per layer, in NAMES order.
---@param findings steward.LayerFinding[] @return steward.LayerStatus[]
function layers.status(findings) end
