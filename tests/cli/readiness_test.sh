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
