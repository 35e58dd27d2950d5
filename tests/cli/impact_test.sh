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
expect_out "markdown blast radius table" "| \`forecast\` | workflow | 3 | scorer → qualify → scores → forecast | **none** |"
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
