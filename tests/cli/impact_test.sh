#!/bin/sh
# steward impact and steward graph end to end: exact blast radius, owners,
# finding diff, verdicts, exit codes, bad change sets.
. tests/cli/lib.sh
D=tests/cli/fixtures/impact
IM="impact $D/registry.json"
P="--no-builtin --policies $D/policies --now 2026-11-26"

# ids of a JSON array section, sorted ("affected", "touched").
ids_of() {
  sed -n "/^	\"$1\":/,/^	\"/p" "$tmp/out" | grep -E '^			"id":' |
    sed -E 's/.*"id":[[:space:]]*"([^"]*)".*/\1/' | sort | tr '\n' ' '
}
expect_ids() {
  got=$(ids_of "$2")
  if [ "$got" = "$3" ]; then ok; else ko "$1" "$2 = '$got', expected '$3'"; fi
}

# A model upgrade: workflows pinned to the old version newly fail (blocked).
run $IM $D/upgrade-merge.json $P --format json
expect_rc "upgrade is blocked (exit 1)" 1
expect_out "verdict blocked" '"verdict":	"blocked"'
expect_ids "touched is the model" touched "scorer "
expect_ids "blast radius follows uses, writes, feeds, readers; not upstream" affected "forecast plan qualify scores "
expect_out "distance 1 for the direct user" '"via":	["scorer", "qualify"]'
expect_out "via goes through the written dataset" '"via":	["scorer", "qualify", "scores", "forecast"]'
expect_out "the changed field is named" '"fields":	["/models/scorer/version"]'
expect_out "new finding names the pin" '"message":	"pinned to 1, model is 2"'
expect_out "the new finding's path" '"path":	"/workflows/qualify/uses/0/version"'
expect_out "owner to notify with contact" '"contact":	"sales@example.com"'
expect_out "unowned workflow called out" '"unowned":	["forecast"]'
expect_out "flags high stakes" '"high_stakes":	true'

# The same change as a JSON Patch gives the same report.
run $IM $D/upgrade-merge.json $P --format json
cp "$tmp/out" "$tmp/merge.json"
run $IM $D/upgrade-patch.json $P --format json
sed 's/upgrade-patch/upgrade-merge/' "$tmp/out" > "$tmp/patch.json"
if cmp -s "$tmp/merge.json" "$tmp/patch.json"; then ok; else ko "merge patch and JSON Patch agree" "reports differ"; fi

# A harmless edit: an owner's contact. Owners propagate nothing: clear.
run $IM $D/harmless.json $P --format json
expect_rc "harmless change exits 0" 0
expect_out "verdict clear" '"verdict":	"clear"'
expect_ids "harmless touches the owner only" touched "ml "
expect_ids "harmless affects nothing" affected ""

# Removing a feeds edge: what it disconnects is affected, seen before.
run $IM $D/unfeed.json $P --format json
expect_ids "unfeed touches qualify" touched "qualify "
expect_ids "unfeed reaches the old downstream" affected "forecast plan scores "

# A new feeds edge changes findings upstream of the change (fan-out of
# the model used by the new feeder), outside the blast radius.
run $IM $D/upstream.json $P --format json
expect_out "upstream finding is new" '"message":	"serves 4 workflows"'
expect_rc "a medium new finding is review, exit 0" 0
expect_out "verdict review" '"verdict":	"review"'

# Markdown leads with the verdict; text too.
run $IM $D/upgrade-merge.json $P --format markdown
expect_out "markdown verdict first" "steward impact: **blocked**"
expect_out "markdown blast radius table" "| \`forecast\` | workflow | downstream | 3 | scorer → qualify → scores → forecast | **none** |"
run $IM $D/upgrade-merge.json $P
expect_out "text verdict first" "verdict: blocked: the change adds blocking findings"

# DOT renders with Graphviz.
run $IM $D/upgrade-merge.json $P --format dot
expect_out "dot highlights the touched node" 'fillcolor="#e06666"'
if dot -Tsvg "$tmp/out" >/dev/null 2>&1; then ok; else ko "impact dot renders" "dot -Tsvg failed"; fi

# Bad change sets exit 2 and name the file, the operation and the path.
run $IM $D/bad-path.json $P
expect_rc "missing patch path exits 2" 2
expect_err_is "missing path named" "steward: $D/bad-path.json: operation 0 (replace) at /models/nope/version: /models/nope does not exist"
run $IM $D/bad-test.json $P
expect_rc "failed test op exits 2" 2
expect_err_is "test failure named" "steward: $D/bad-test.json: operation 0 (test) at /models/scorer/version: test failed"
run $IM $D/dangling.json $P
expect_rc "invalid result exits 2" 2
expect_err_is "invalid result named" "steward: $D/dangling.json: after the change: /workflows/qualify/uses/0: unknown id 'ghost'"
run $IM $D/malformed.json $P
expect_rc "malformed change exits 2" 2
expect_err_is "malformed change position" "steward: $D/malformed.json:2:11: malformed JSON"
run $IM $D/scalar.json $P
expect_rc "scalar change exits 2" 2
run impact $D/registry.json
expect_rc "impact without CHANGE exits 2" 2

# Finding identity is (policy, subject, path, key), never the message: a
# model version moving from 4.0.1 to 4.0.2 changes the message of the
# invoice-coding pin finding, not the finding.
printf '[{"op":"replace","path":"/models/invoice-classifier/version","value":"4.0.2"}]\n' >"$tmp/bump.json"
run impact examples/registry "$tmp/bump.json" --observations examples/observations.jsonl --now 2026-11-26 --format json
cp "$tmp/out" "$tmp/bump.out"
if jq -e '.summary.new == 0 and .summary.resolved == 0 and .summary.unchanged == 78' "$tmp/bump.out" >/dev/null; then ok; else
  ko "a changed message with the same identity is unchanged" "$(jq -c .summary "$tmp/bump.out")"; fi
run check examples/registry --observations examples/observations.jsonl --now 2026-11-26 --format json
pin=$(jq -r '.findings[] | select(.policy == "debt.unpinned" and .subject == "invoice-coding") | .identity + " " + .message' "$tmp/out")
expect_same "the finding carries its identity as one field" "$pin" \
  "$(jq -r '.findings[] | select(.policy == "debt.unpinned" and .subject == "invoice-coding") | .identity' "$tmp/out") pins model 'invoice-classifier' to version 3.5.0, but its registered version is 4.0.1"
fp=$(printf 'debt.unpinned\000invoice-coding\000/workflows/invoice-coding/uses/0/version\000\000' | sha256sum | cut -c1-32)
expect_same "identity is the documented hash of policy, subject, path, key" "$(echo "$pin" | cut -d' ' -f1)" "$fp"

# Which nodes are sensitive is the packs' judgement: readiness.human-in-loop's
# `stakes` parameter moves it, as it moves the policy.
hs() { jq -r '.affected[] | select(.id == "cash-planning") | .flags.high_stakes' "$tmp/out"; }
expect_same "high stakes by the default parameter" "$(jq -r '.affected[] | select(.id == "cash-planning") | .flags.high_stakes' "$tmp/bump.out")" "true"
printf '{"readiness.human-in-loop": {"stakes": ["critical"]}}\n' >"$tmp/stakes.json"
run impact examples/registry "$tmp/bump.json" --observations examples/observations.jsonl --now 2026-11-26 --format json --params "$tmp/stakes.json"
expect_same "--params stakes reach impact's flags" "$(hs)" "false"
expect_same "an irreversible decision stays sensitive" \
  "$(jq -r '[.affected[] | select(.flags.sensitive) | .id] | join(" ")' "$tmp/out")" "credit-decisioning fraud-screening refund-approval"

# The blast radius says only what matters: the schema bump of crm.leads
# reaches, along lineage, its readers and what they feed (and the systems
# they write); what lies past a written system is only possible.
O="--observations examples/observations.jsonl --now 2026-11-26"
run impact examples/registry examples/changes/schema-bump.json $O --format json
cp "$tmp/out" "$tmp/bump-radius.json"
expect_same "schema bump: direct and downstream, exactly" \
  "$(jq -r '[.affected[] | select(.reach != "possible") | "\(.id)=\(.reach)"] | join(" ")' "$tmp/bump-radius.json")" \
  "lead-qualification=direct lead-scorer=direct account-planning=downstream crm=downstream renewal-forecasting=downstream churn-outreach=downstream data-warehouse=downstream revenue-forecasting=downstream cash-planning=downstream email-platform=downstream collections-prioritisation=downstream credit-decisioning=downstream erp=downstream"
expect_same "schema bump: the rest only possible, each past a written system" \
  "$(jq -r '[.affected[] | select(.reach == "possible") | .via | map(select(. == "crm" or . == "data-warehouse" or . == "email-platform" or . == "erp")) | length > 0] | all' "$tmp/bump-radius.json")" "true"
expect_same "surest first: every direct before every downstream before every possible" \
  "$(jq -r '[.affected[].reach] | . == (sort_by({"direct": 0, "downstream": 1, "possible": 2}[.]))' "$tmp/bump-radius.json")" "true"
expect_same "owners to notify in the order of their nodes" \
  "$(jq -r '.notify[0:3] | map(.owner) | join(" ")' "$tmp/bump-radius.json")" "data-eng maria.chen ml-platform"
run impact examples/registry examples/changes/schema-bump.json $O --format json --depth 1
expect_same "--depth 1 keeps one hop" "$(jq -r '[.affected[].id] | join(" ")' "$tmp/out")" "lead-qualification lead-scorer"
run impact examples/registry examples/changes/schema-bump.json $O --depth 0
expect_rc "--depth 0 is refused" 2
run impact examples/registry examples/changes/model-upgrade.json $O --format json
expect_same "model upgrade: lineage reaches the users and what they feed" \
  "$(jq -r '[.affected[] | select(.reach != "possible") | .id] | join(" ")' "$tmp/out")" \
  "lead-qualification account-planning crm renewal-forecasting churn-outreach data-warehouse revenue-forecasting cash-planning email-platform collections-prioritisation credit-decisioning erp"
run impact examples/registry examples/changes/harmless-edit.json $O --format json
expect_same "an owner's contact reaches nothing" "$(jq '.affected | length' "$tmp/out")" "0"

# A sensitive workflow only possibly reached (past a system another
# workflow writes) is shown, but does not make the verdict review; reached
# along lineage, it does.
cat >"$tmp/possible.json" <<'JSON'
{"owners": {"o": {}}, "systems": {"sys": {"owner": "o"}},
 "models": {"m": {"owner": "o", "version": "1"}},
 "workflows": {
   "w": {"owner": "o", "uses": ["m"], "writes": ["sys"], "stage": "deployment"},
   "r": {"owner": "o", "depends_on": ["sys"], "stage": "deployment",
         "decision": {"reversible": false}}}}
JSON
printf '{"models": {"m": {"version": "2"}}}\n' >"$tmp/m2.json"
run impact "$tmp/possible.json" "$tmp/m2.json" --no-builtin --format json
expect_same "a possibly reached sensitive workflow: shown" \
  "$(jq -r '[.affected[] | "\(.id)=\(.reach)=\(.flags.sensitive)"] | join(" ")' "$tmp/out")" "w=direct=false sys=downstream=false r=possible=true"
expect_same "…but the verdict stays clear" "$(jq -r .verdict "$tmp/out")" "clear"
printf '{"systems": {"sys": {"name": "the system itself"}}}\n' >"$tmp/sys.json"
run impact "$tmp/possible.json" "$tmp/sys.json" --no-builtin --format json
expect_same "a change to the system reaches what depends on it: review" \
  "$(jq -r '.verdict + " " + ([.affected[] | "\(.id)=\(.reach)"] | join(" "))' "$tmp/out")" "review r=direct"

# steward graph: JSON of a focus, DOT that renders.
run graph $D/registry.json --focus qualify --depth 1 --format json
expect_rc "graph exits 0" 0
expect_ids "focus keeps the 1-hop neighbourhood" nodes "intake leads plan qualify sales scorer scores "
run graph $D/registry.json --cluster stage
if dot -Tsvg "$tmp/out" >/dev/null 2>&1; then ok; else ko "graph dot renders" "dot -Tsvg failed"; fi
expect_out "edges are labelled" '"qualify" -> "plan" [label="feeds"]'
run graph $D/registry.json --focus nobody
expect_rc "unknown focus exits 2" 2

finish
