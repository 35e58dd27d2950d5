#!/bin/sh
# steward check end to end: exact findings, exit codes and error positions.
. tests/cli/lib.sh
F=tests/cli/fixtures
EX="examples/registry --observations examples/observations.jsonl --now 2026-11-26 --no-builtin --policies policies/governance/owner.lua --policies policies/governance/monitoring.lua --policies policies/governance/override.lua --policies policies/governance/escalation.lua"

# The example organisation: exactly the governance findings designed into it.
run check $EX --format json
expect_rc "example exits 1 (blocking findings)" 1
expect_findings "example governance findings" "governance.escalation account-planning /workflows/account-planning/escalation/contact
governance.escalation reply-drafting /workflows/reply-drafting/escalation/fallback
governance.escalation vendor-onboarding /workflows/vendor-onboarding/escalation
governance.monitoring account-planning /workflows/account-planning/monitoring/automated
governance.monitoring collections-prioritisation /workflows/collections-prioritisation/monitoring/alert_threshold
governance.monitoring expense-audit /workflows/expense-audit/monitoring
governance.override churn-outreach /workflows/churn-outreach/override/tested_at
governance.override invoice-coding /workflows/invoice-coding/override/requires_admin
governance.owner expense-audit /workflows/expense-audit/owner"
expect_out "waived finding names its waiver" '"waived_by":	"w-vendor-onboarding-escalation"'
expect_out "summary counts blocking" '"blocking":	8'

# --fail-on moves the gate; advisory and waived findings never block.
run check $EX --fail-on critical
expect_rc "--fail-on critical passes" 0
run check $EX --fail-on medium
expect_rc "--fail-on medium blocks" 1

# After the waiver expires, its finding blocks again.
run check $EX --now 2027-04-01 --format json
expect_no_out "expired waiver no longer applies" '"waived_by"'

# Text report: grouped by subject, summary last.
run check $EX
expect_out "text groups by subject" "expense-audit"
expect_out "text summary" "9 findings (0 critical, 9 high, 0 medium, 0 low, 0 info) on 7 subjects from 4 policies; 1 waived"
expect_out "text blocking line" "8 blocking at --fail-on high"

# Reproducible: the same inputs and clock give byte-identical reports,
# evidence included (Lua's table order is not allowed to show).
ALL="examples/registry --observations examples/observations.jsonl --now 2026-11-26 --format json"
run check $ALL
cp "$tmp/out" "$tmp/first.json"
run check $ALL
if cmp -s "$tmp/out" "$tmp/first.json"; then ok; else ko "two runs give the same report" "reports differ"; fi

# Input errors: exit 2 and say where.
run check $F/malformed.json
expect_rc "malformed JSON exits 2" 2
expect_err_is "malformed JSON position" "steward: $F/malformed.json:4:5: malformed JSON"
run check $F/bad-stage.json
expect_rc "unknown stage exits 2" 2
expect_err "unknown stage position" "$F/bad-stage.json:5:16: /workflows/intake/stage: unknown stage 'live'"
run check $F/dangling.json
expect_rc "dangling reference exits 2" 2
expect_err_is "dangling reference position" "steward: $F/dangling.json:7:16: /workflows/intake/uses/0: unknown id 'ghost-model'"
run check $F/dangling.json --keep-going --format json
expect_rc "--keep-going turns it into a blocking finding" 1
expect_findings "--keep-going finding" "registry.dangling-ref intake /workflows/intake/uses/0"
run check $F/dupdir
expect_rc "duplicate id exits 2" 2
expect_err "duplicate id names the second file" "$F/dupdir/b.json:3:5: /models/scorer: duplicate id 'scorer'"
expect_err "duplicate id names the first file" "already defined at $F/dupdir/a.json:3:5"
run check $F/empty.json
expect_rc "empty file exits 2" 2
expect_err_is "empty file" "steward: $F/empty.json:1:1: empty file"
run check $F/no-such-file.json
expect_rc "missing path exits 2" 2
expect_err_is "missing path" "steward: $F/no-such-file.json: no such file or directory"
run check $F/wrong-type.json
expect_rc "wrong type exits 2" 2
expect_err "wrong type message" "/workflows/intake/reads: expected an array of ids, found a string"

# Usage errors.
run check
expect_rc "no registry exits 2" 2
run check $EX --format yaml
expect_rc "unknown format exits 2" 2
run check $EX --now yesterday
expect_rc "bad --now exits 2" 2
run check $EX --bogus
expect_rc "unknown option exits 2" 2
run frobnicate
expect_rc "unknown command exits 2" 2

# Observations are validated with line numbers.
run check examples/registry --observations $F/bad-obs.jsonl
expect_rc "bad observation exits 2" 2
expect_err_is "bad observation position" "steward: $F/bad-obs.jsonl:2:7: 'at' is not an RFC 3339 date or time"

# A policy that fails to run is a finding; the others still report; exit 3.
run check $EX --policies $F/runaway --format json
expect_rc "runaway policy exits 3" 3
expect_out "runaway finding names the limit" '"error":	"instructions"'
expect_out "other policies still report" '"policy":	"governance.owner"'
run check $EX --policies $F/crashing --no-builtin --format json
expect_rc "crashing policy exits 3" 3
expect_out "runtime error finding" '"error":	"runtime"'

# Bad policy files are input errors that name the file.
run check $EX --policies $F/syntax --no-builtin
expect_rc "policy syntax error exits 2" 2
expect_err "syntax error names file and line" "$F/syntax/broken.lua:3:"
run check $EX --policies $F/badsev --no-builtin
expect_rc "unknown severity exits 2" 2
expect_err_is "unknown severity message" "steward: $F/badsev/p.lua: unknown severity 'urgent' (expected info, low, medium, high or critical)"
run check $EX --policies $F/badlayer --no-builtin
expect_rc "unknown layer exits 2" 2
expect_err_is "unknown layer message" "steward: $F/badlayer/p.lua: unknown layer 'people' (expected technical, process or governance)"

# Layers: a finding carries its policy's layer, the summary counts open
# findings by layer (a waived one is not open), and a policy without a
# layer still loads; its findings have none.
run check $EX --format json
expect_out "a finding carries its layer" '"layer":	"governance"'
expect_same "json summary by layer" "$(jq -c .summary.by_layer "$tmp/out")" \
  '{"technical":0,"process":0,"governance":8,"none":0}'
expect_same "every finding's layer" "$(jq -r '[.findings[].layer] | unique | join(" ")' "$tmp/out")" \
  governance
run check $EX
expect_out "text summary by layer" "8 open by layer: 0 technical, 0 process, 8 governance"
run check $EX --policies $F/nolayer --format json
expect_rc "a policy without a layer loads" 1
expect_out "its finding has a null layer" '"layer":	null'
expect_same "json counts it under none" "$(jq -c .summary.by_layer "$tmp/out")" \
  '{"technical":0,"process":0,"governance":8,"none":1}'
run check $EX --policies $F/nolayer
expect_out "text names findings with no layer" "9 open by layer: 0 technical, 0 process, 8 governance, 1 with no layer"

# --params: overrides apply, unknown names are input errors.
run check $EX --params $F/params-strict.json --format json
expect_out "param override tightens the override test age" '"subject":	"lead-qualification"'
run check $EX --params $F/params-unknown.json
expect_rc "unknown parameter exits 2" 2
expect_err "unknown parameter named" "policy 'governance.override' has no parameter 'max_age'"

finish
