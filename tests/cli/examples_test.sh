#!/bin/sh
# The example organisation end to end: every finding the built-in packs and
# the custom pack in examples/policies give at now = 2026-11-26, exactly as
# examples/EXPECTED.md lists them; the healthy workflows stay clean; every
# built-in policy fires somewhere; the custom pack's tests pass.
. tests/cli/lib.sh
OBS="--observations examples/observations.jsonl --now 2026-11-26"
HEALTHY="ticket-triage credit-decisioning credit-limit-review"

# Every finding, one "policy subject path" line each (path null when the
# finding names no field).
ALL="adoption.cliff reply-drafting /workflows/reply-drafting/deployed_at
debt.chain-depth lead-qualification /workflows/lead-qualification/feeds
debt.cycle fraud-screening /workflows/fraud-screening/feeds/0
debt.fan-out churn-predictor null
debt.fan-out lead-scorer null
debt.fan-out renewal-forecaster null
debt.fan-out text-assist null
debt.schema-mismatch churn-predictor /models/churn-predictor/input_schema/customer.usage
debt.unpinned account-planning /workflows/account-planning/uses/0
debt.unpinned contract-clause-review /workflows/contract-clause-review/uses/0
debt.unpinned invoice-coding /workflows/invoice-coding/uses/0/version
drift.psi churn-predictor null
drift.psi ticket-router null
drift.threshold invoice-coding /workflows/invoice-coding/monitoring/alert_threshold
drift.threshold reply-drafting /workflows/reply-drafting/monitoring/alert_threshold
drift.trend renewal-forecasting /workflows/renewal-forecasting/monitoring/alert_threshold
governance.escalation account-planning /workflows/account-planning/escalation/contact
governance.escalation reply-drafting /workflows/reply-drafting/escalation/fallback
governance.escalation vendor-onboarding /workflows/vendor-onboarding/escalation
governance.incident-response collections-prioritisation null
governance.irreversible refund-approval /workflows/refund-approval/monitoring/cadence_days
governance.monitoring account-planning /workflows/account-planning/monitoring/automated
governance.monitoring collections-prioritisation /workflows/collections-prioritisation/monitoring/alert_threshold
governance.monitoring expense-audit /workflows/expense-audit/monitoring
governance.override churn-outreach /workflows/churn-outreach/override/tested_at
governance.override invoice-coding /workflows/invoice-coding/override/requires_admin
governance.owner expense-audit /workflows/expense-audit/owner
governance.reassessment churn-outreach /workflows/churn-outreach/review/at
measurement.improvement invoice-coding /workflows/invoice-coding/baseline/value
measurement.improvement renewal-forecasting /workflows/renewal-forecasting/baseline/value
measurement.improvement reply-drafting /workflows/reply-drafting/baseline/value
measurement.incident-rate revenue-forecasting /workflows/revenue-forecasting/volume/cases_per_month
measurement.outcomes payment-matching /workflows/payment-matching/outcome/metric
measurement.outcomes reply-drafting /workflows/reply-drafting/outcome
measurement.override-rate payment-matching null
measurement.override-rate refund-approval null
measurement.quality-sampling expense-audit /workflows/expense-audit/monitoring/sampling_days
measurement.quality-sampling invoice-coding /workflows/invoice-coding/monitoring/sampling_days
measurement.silent-governance payment-matching null
measurement.stale-monitoring churn-outreach /workflows/churn-outreach/monitoring/metric
process.augmentation reply-drafting /workflows/reply-drafting/process/ai_output_required
process.change-management expense-audit /workflows/expense-audit/process/change
process.change-management refund-approval /workflows/refund-approval/process/change/validated_with_users
process.delivery revenue-forecasting /workflows/revenue-forecasting/process/delivery
process.mapping account-planning /workflows/account-planning/process/mapping/documented
process.mapping expense-audit /workflows/expense-audit/process/mapping
readiness.baseline contract-clause-review /workflows/contract-clause-review/baseline
readiness.baseline expense-audit /workflows/expense-audit/baseline
readiness.data expense-audit /datasets/expense.claims/access
readiness.data invoice-coding /datasets/erp.vendors/quality/completeness
readiness.data payment-matching /datasets/bank.statements/access
readiness.data vendor-onboarding /datasets/erp.vendors/quality/completeness
readiness.human-in-loop fraud-screening /workflows/fraud-screening/decision/human_in_loop
readiness.task contract-clause-review /workflows/contract-clause-review/task
readiness.volume revenue-forecasting /workflows/revenue-forecasting/volume/cases_per_month
readiness.volume vendor-onboarding /workflows/vendor-onboarding/volume/cases_per_month
scope.observed-use churn-predictor /models/churn-predictor/validated_for
scope.observed-use fraud-detector /models/fraud-detector/validated_for
scope.unvalidated-use aml-alert-review /workflows/aml-alert-review/uses/0
scope.unvalidated-use contract-clause-review /workflows/contract-clause-review/uses/0
scope.unvalidated-use refund-approval /workflows/refund-approval/uses/0
sequencing.order account-planning /workflows/account-planning/monitoring/automated
sequencing.order churn-outreach /workflows/churn-outreach/override/tested_at
sequencing.order collections-prioritisation /workflows/collections-prioritisation/monitoring/alert_threshold
sequencing.order expense-audit /workflows/expense-audit/owner
sequencing.order invoice-coding /workflows/invoice-coding/override/requires_admin
sequencing.order payment-matching /datasets/bank.statements/access
sequencing.order refund-approval /workflows/refund-approval/process/change/validated_with_users
sequencing.order reply-drafting /workflows/reply-drafting/escalation/fallback
sequencing.order vendor-onboarding /workflows/vendor-onboarding/escalation
sequencing.reversible-first fraud-screening /workflows/fraud-screening/decision/reversible
sequencing.scaling-evidence invoice-coding null
technical.data-governance aml-alert-review /workflows/aml-alert-review/data_governance
technical.data-governance churn-predictor /models/churn-predictor/data_governance/access_audited
technical.data-governance contract-clause-review /workflows/contract-clause-review/data_governance
technical.data-governance expense-audit /workflows/expense-audit/data_governance
technical.latency fraud-screening /workflows/fraud-screening/latency/required_ms
technical.reliability text-assist null"
CUSTOM="northwind.second-reviewer vendor-onboarding /workflows/vendor-onboarding/decision/second_reviewer"

# expect_no_subject NAME ID: no finding of the last JSON report names ID.
expect_no_subject() {
  if findings | awk '{ print $2 }' | grep -qxF -- "$2"; then
    ko "$1" "a finding names '$2': $(findings | awk -v s="$2" '$2 == s' | tr '\n' ';')"
  else ok; fi
}

# expect_policy_fires NAME ID: some finding of the last JSON report is from ID.
expect_policy_fires() {
  if findings | awk '{ print $1 }' | grep -qxF -- "$2"; then ok; else
    ko "$1" "no finding from '$2'"; fi
}

# Built-in packs plus the custom pack: exactly the findings of EXPECTED.md.
run check examples/registry $OBS --policies examples/policies --format json
expect_rc "example with the custom pack exits 1" 1
expect_findings "example findings, built-in and custom packs" "$ALL
$CUSTOM"
expect_out "escalation waiver applies" '"waived_by":	"w-vendor-onboarding-escalation"'
expect_out "sequencing waiver applies" '"waived_by":	"w-vendor-onboarding-sequencing"'
expect_out "summary: findings" '"findings":	79'
expect_out "summary: blocking" '"blocking":	39'
expect_out "summary: waived" '"waived":	2'
expect_out "summary: no policy errors" '"errors":	0'
expect_same "summary: open findings by layer" "$(jq -c .summary.by_layer "$tmp/out")" \
  '{"technical":25,"process":10,"governance":42,"none":0}'
# Every finding carries its policy's layer; the custom policy declares one.
expect_same "every finding has a layer" \
  "$(jq -r '[.findings[] | select(.layer == null)] | length' "$tmp/out")" 0
expect_same "layers of the new policies' findings" \
  "$(jq -r '[.findings[] | select(.policy | test("^(process\\.(mapping|change-management)|technical\\.latency|governance\\.(incident-response|reassessment)|measurement\\.(improvement|incident-rate|outcomes)|sequencing\\.reversible-first)$")) | "\(.policy)=\(.layer)"] | unique | join(" ")' "$tmp/out")" \
  "governance.incident-response=governance governance.reassessment=governance measurement.improvement=governance measurement.incident-rate=governance measurement.outcomes=governance process.change-management=process process.mapping=process sequencing.reversible-first=governance technical.latency=technical"

# The healthy workflows pass every policy, the custom one included.
for w in $HEALTHY; do
  expect_no_subject "healthy workflow $w has no finding" "$w"
done

# Every built-in policy fires at least once, and so does the custom one.
ids=$(grep -h '^  id = "' $(ls policies/*/*.lua | grep -v '_test\.lua$') |
      sed -E 's/^  id = "([^"]+)".*/\1/' | sort -u)
n=0
for id in $ids; do
  n=$((n + 1))
  expect_policy_fires "built-in policy $id fires on the example" "$id"
done
if [ "$n" -eq 40 ]; then ok; else ko "built-in policy ids found" "$n, expected 40"; fi
expect_policy_fires "custom policy fires on the example" northwind.second-reviewer

# Every finding is in EXPECTED.md: a table row naming its policy, subject
# and (when it has one) path.
printf '%s\n%s\n' "$ALL" "$CUSTOM" | while read -r policy subject path; do
  if [ "$path" = null ]; then
    row="| \`$policy\` | \`$subject\` |"
  else
    row="| \`$policy\` | \`$subject\` | "
  fi
  if grep -F -- "$row" examples/EXPECTED.md | grep -qF -- "$path" ||
     { [ "$path" = null ] && grep -qF -- "$row" examples/EXPECTED.md; }; then
    echo ok
  else
    echo "missing $policy $subject $path"
  fi
done >"$tmp/rows"
if grep -q '^missing' "$tmp/rows"; then
  ko "EXPECTED.md lists every finding" "$(grep '^missing' "$tmp/rows" | tr '\n' ';')"
else ok; fi

# The built-in packs alone: the same, without the custom finding.
run check examples/registry $OBS --format json
expect_rc "example without the custom pack exits 1" 1
expect_findings "example findings, built-in packs" "$ALL"

# The text report: grouped by subject, summary last.
run check examples/registry $OBS --policies examples/policies
expect_rc "text report exits 1" 1
expect_out "text names the custom policy" "northwind.second-reviewer"
expect_out "text summary" "79 findings (0 critical, 41 high, 32 medium, 6 low, 0 info) on 21 subjects from 41 policies; 2 waived"
expect_out "text layers line" "77 open by layer: 25 technical, 10 process, 42 governance"
expect_out "text blocking line" "39 blocking at --fail-on high"

# The healthy workflows are ready by `steward readiness` too.
for w in $HEALTHY; do
  run readiness examples/registry "$w" $OBS
  expect_rc "readiness of $w exits 0" 0
done

# The custom pack's own tests pass, with full coverage of the policy.
run test examples/policies --coverage
expect_rc "steward test examples/policies exits 0" 0
expect_out "custom pack tests pass" " passed, 0 failed"
expect_out "custom policy fully covered" "100.0%  examples/policies/northwind/second_reviewer.lua"

finish
