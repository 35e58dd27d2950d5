#!/bin/sh
# steward readiness end to end: one line per criterion and step, exit codes.
. tests/cli/lib.sh
R="readiness examples/registry"
O="--observations examples/observations.jsonl --now 2026-11-26"

run $R lead-qualification $O
expect_rc "a ready workflow exits 0" 0
expect_out "five criteria, each with why" "pass  readiness.volume         4200 cases a month (at least 100)"
expect_out "the steps its stage requires are marked" "done  4 deployment   required  deployed on 2026-02-01"
expect_out "step 5 is not required at measurement" "done  5 measurement            "
expect_out "verdict line" "ready: the criteria pass and every step the stage needs is done"

run $R vendor-onboarding $O
expect_rc "a workflow with failing criteria exits 1" 1
expect_out "the failing criterion names the field" "FAIL  readiness.volume         60 cases a month, fewer than 100 (at /workflows/vendor-onboarding/volume/cases_per_month)"
expect_out "a required step that fails" "FAIL  1 governance   required  governance.escalation: no escalation protocol"
expect_out "a later step is only to do" "todo  4 deployment"

run $R vendor-onboarding $O --format json
expect_out "json: ready is false" '"ready":	false'
expect_out "json: required steps" '"required":	1'

# The three layers, above the criteria: each complete or not, naming the
# policies with an open finding on the workflow (the run check makes), and
# the ones whose findings are all waived.
run $R vendor-onboarding $O
expect_same "layers come first, after the title" "$(sed -n 1,3p "$tmp/out" | tr '\n' '|')" \
  "vendor-onboarding (stage data)||layers:|"
expect_same "the layers block, exactly" "$(sed -n '/^layers:/,/^$/p' "$tmp/out")" "layers:
  technical   incomplete: readiness.data
  process     incomplete: readiness.volume
  governance  complete (waived: governance.escalation, sequencing.order)"
if [ "$(grep -n '^layers:' "$tmp/out" | cut -d: -f1)" -lt "$(grep -n '^readiness criteria:' "$tmp/out" | cut -d: -f1)" ]
then ok; else ko "layers above the criteria" "layers printed after the criteria"; fi
run $R refund-approval $O
expect_rc "refund-approval is not ready" 1
expect_same "partial completion: technical only" "$(sed -n '/^layers:/,/^$/p' "$tmp/out")" "layers:
  technical   complete
  process     incomplete: process.change-management
  governance  incomplete: governance.irreversible, measurement.override-rate, scope.unvalidated-use, sequencing.order"
expect_out "step 3 needs the change validated with the users" "FAIL  3 redesign     required  process.change-management: the redesigned workflow was not validated with the people who do the work (process.change.validated_with_users is not true)"
run $R refund-approval $O --format json
expect_same "json: the layers" "$(jq -c .layers "$tmp/out")" \
  '[{"complete":true,"failing":[],"layer":"technical","waived":[]},{"complete":false,"failing":["process.change-management"],"layer":"process","waived":[]},{"complete":false,"failing":["governance.irreversible","measurement.override-rate","scope.unvalidated-use","sequencing.order"],"layer":"governance","waived":[]}]'
# The layers are the findings `steward check` reports on the workflow.
run check examples/registry $O --format json
expect_same "the failing policies are check's open findings" \
  "$(jq -r '[.findings[] | select(.subject == "refund-approval" and .waived_by == null) | "\(.layer) \(.policy)"] | unique | join(";")' "$tmp/out")" \
  "governance governance.irreversible;governance measurement.override-rate;governance scope.unvalidated-use;governance sequencing.order;process process.change-management"
run $R ticket-triage $O
expect_same "a healthy workflow completes all three" "$(sed -n '/^layers:/,/^$/p' "$tmp/out")" "layers:
  technical   complete
  process     complete
  governance  complete"
expect_out "step 3 done, mapping and change named" "done  3 redesign     required  task defined: 2 inputs, 3 outputs and quality criteria; baseline routing_accuracy = 0.84 measured 2025-11-10; workflow mapped 2025-10-06; change led by li.wei and validated with its users"

# --params moves the thresholds the criteria use.
printf '{"readiness.volume": {"min_cases_per_month": 50}}\n' > "$tmp/params.json"
run $R vendor-onboarding $O --params "$tmp/params.json"
expect_out "--params reaches the criteria" "pass  readiness.volume         60 cases a month (at least 50)"

run $R nobody $O
expect_rc "an unknown workflow exits 2" 2
expect_err_is "unknown workflow named" "steward: examples/registry: no workflow 'nobody' in the registry"
run $R crm $O
expect_rc "a node that is not a workflow exits 2" 2
run $R
expect_rc "no workflow given exits 2" 2

finish
