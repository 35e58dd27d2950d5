#!/bin/sh
# Lineage and model-registry webhooks end to end (issue 13).
#   * steward import openlineage on Airflow- and Spark-shaped events
#     (tests/fixtures/openlineage: a START/COMPLETE and a START/FAIL with
#     the steward_model facet, a Spark job whose model is an input, an
#     unregistered job, a dataset's schema change): the exact observations,
#     stdin, a JSON array, no mapping, malformed events, mapping conflicts,
#     the suggestions fragment;
#   * scope.observed-use, technical.reliability and debt.schema-mismatch on
#     what the importer made: each fires where it should and nowhere else;
#   * the daemon: POST /api/v1/lineage as an OpenLineage client sends it
#     (written by hand: tests/cli/ol_client.py), the observations stored
#     exactly as the importer makes them, errors, scopes and limits; the
#     same findings from a suite run;
#   * MLflow webhooks as MLflow sends them (tests/cli/mlflow_hook.py):
#     signed, badly signed, stale, replayed, ignored; the stored impact and
#     its verdict, an alert to a test receiver; a pending impact resumed at
#     start.
. tests/cli/lib.sh
. tests/cli/serve_lib.sh

F=tests/fixtures/openlineage
REG=$F/registry.json
MAP=$F/map.json
FIXTURES="$F/airflow.jsonl $F/spark.json $F/unregistered.jsonl $F/schema-change.jsonl"
THREE='reliability|schema-mismatch|observed-use'

# The findings of the three lineage policies in a check's JSON (stdin) as
# sorted "policy subject path key" lines.
three() {
  jq -r '.findings[] | select(.policy | test("'"$THREE"'")) | "\(.policy) \(.subject) \(.path) \(.key)"' | sort
}
WANT_THREE="debt.schema-mismatch lead-scorer /models/lead-scorer/input_schema/crm.leads observed
scope.observed-use lead-scorer /models/lead-scorer/validated_for 
technical.reliability churn-outreach null failure rate"

# {=== The importer ====================================================== #

run import openlineage $FIXTURES --registry "$REG" --map "$MAP"
expect_rc "import: exit 0" 0
if cmp -s "$tmp/out" "$F/expected.jsonl"; then ok; else
  ko "import: the exact observations of the fixtures" "$(diff "$F/expected.jsonl" "$tmp/out" | head -8)"; fi
expect_err_is "import: what it made, on stderr" \
  "steward: 10 events: 21 observations (4 run, 4 usage, 13 schema)"
cp "$tmp/out" "$tmp/fixtures.jsonl"
run check "$REG" --observations "$tmp/fixtures.jsonl" --now 2026-11-26 --format json
if [ "$rc" -le 1 ] && [ ! -s "$tmp/err" ]; then ok; else
  ko "what the importer makes, steward check loads" "exit $rc"; fi

"$STEWARD" import openlineage - --registry "$REG" --map "$MAP" <"$F/airflow.jsonl" >"$tmp/stdin.out" 2>/dev/null
head -n 10 "$F/expected.jsonl" >"$tmp/airflow.want"
if cmp -s "$tmp/stdin.out" "$tmp/airflow.want"; then ok; else
  ko "import: - reads stdin" "$(diff "$tmp/airflow.want" "$tmp/stdin.out" | head -5)"; fi

run import openlineage "$F/spark.json"
expect_err_is "import: without a registry or a map, ids are namespace/name" \
  "steward: 3 events: 7 observations (1 run, 0 usage, 6 schema)"
expect_same "import: the job keeps namespace/name" \
  "$(jq -r 'select(.kind == "run") | .subject' "$tmp/out")" \
  "spark-prod/churn_features.execute_insert_into_hadoop_fs_relation_command"
run import openlineage "$F/spark.json" --map "$MAP"
expect_same "import: a map file alone maps the job and the output" \
  "$(jq -r 'select(.kind == "run") | .subject' "$tmp/out") $(jq -r 'select(.kind == "schema") | .dataset' "$tmp/out" | sort -u | tr '\n' ' ')" \
  "churn-outreach churn.account_scores postgres://crm-db.internal:5432/crm.public.accounts s3://northwind-ml-models/churn-predictor "

# A malformed event: its line and column, and nothing printed at all.
sed -n 1p "$F/airflow.jsonl" >"$tmp/bad.jsonl"
sed -n 2p "$F/airflow.jsonl" | sed 's/"name":"sales_scoring.score_leads"/"name":""/' >>"$tmp/bad.jsonl"
run import openlineage "$F/spark.json" "$tmp/bad.jsonl" --registry "$REG"
expect_rc "import: a malformed event is exit 2" 2
expect_err_is "import: the error names its line, column and field" \
  "steward: $tmp/bad.jsonl:2:2044: /job/name: expected a non-empty string"
if [ ! -s "$tmp/out" ]; then ok; else ko "import: nothing of any file is printed" "stdout not empty"; fi
printf '%s\n' '{"eventTime": "2026-11-20T03:00:00Z", "producer": "p", "schemaURL": "s", "run": {"runId": "r"}}' >"$tmp/nojob.jsonl"
run import openlineage "$tmp/nojob.jsonl"
expect_err_is "import: a RunEvent without its job" "steward: $tmp/nojob.jsonl:1:1: /: missing 'job'"
printf '[{"eventTime": "yesterday"}]' >"$tmp/arr.json"
run import openlineage "$tmp/arr.json"
expect_err_is "import: an array's element is located in the file" \
  "steward: $tmp/arr.json:1:16: /eventTime: 'yesterday' is not an RFC 3339 date-time"

# Mapping conflicts and bad map files.
printf '{"jobs": [\n  {"namespace": "airflow-prod", "name": "sales_scoring.score_leads", "id": "churn-outreach"}]}\n' >"$tmp/conflict.json"
run import openlineage "$F/airflow.jsonl" --registry "$REG" --map "$tmp/conflict.json"
expect_rc "import: a map contradicting the registry is exit 2" 2
expect_err_is "import: the conflict names both places" \
  "steward: $tmp/conflict.json:2:3: /jobs/0: the OpenLineage job airflow-prod/sales_scoring.score_leads is mapped to 'churn-outreach' there and to 'lead-qualification' at $REG:37:22: /workflows/lead-qualification/openlineage"
printf '{"job": []}' >"$tmp/badmap.json"
run import openlineage "$F/airflow.jsonl" --map "$tmp/badmap.json"
expect_err_is "import: an unknown map section" \
  "steward: $tmp/badmap.json:1:9: /job: unknown section (expected jobs, datasets or models)"

run import openlineage
expect_rc "import: no FILE is a usage error" 2
expect_err "import: it says what is needed" "needs at least one FILE (- for stdin)"
run import openlineage "$F/airflow.jsonl" --format csv
expect_err "import: an unknown option" "unknown option '--format'"
run import marquez x.json
expect_rc "import: an unknown source" 2
expect_err "import: it names the one there is" "unknown source 'marquez' (expected openlineage)"

# Suggestions: what is not registered, as a fragment steward refuses to load.
run import openlineage $FIXTURES --registry "$REG" --map "$MAP" --suggest "$tmp/suggested.json"
expect_rc "import --suggest: exit 0" 0
if cmp -s "$tmp/out" "$F/expected.jsonl"; then ok; else ko "import --suggest: the same observations" "differ"; fi
cp "$tmp/suggested.json" "$tmp/body"
expect_jq "suggest: the unregistered job, as a workflow" \
  '(.suggestions.workflows | keys) == ["airflow-prod/pricing_lab.try_lead_scorer"]'
expect_jq "suggest: the unregistered datasets, mapped (under the map's id) or not" \
  '(.suggestions.datasets | keys) == ["churn.account_scores", "postgres://crm-db.internal:5432/crm.public.lead_scores", "postgres://crm-db.internal:5432/pricing_lab.public.price_tests"]'
expect_jq "suggest: its identity, model, reads and writes" \
  '.suggestions.workflows["airflow-prod/pricing_lab.try_lead_scorer"] | .openlineage == {"namespace": "airflow-prod", "name": "pricing_lab.try_lead_scorer"} and .uses == ["lead-scorer"] and .reads == ["crm.leads"] and .writes == ["postgres://crm-db.internal:5432/pricing_lab.public.price_tests"]'
expect_jq "suggest: ownership becomes owners, jobType a kind hint" \
  '(.suggestions.workflows["airflow-prod/pricing_lab.try_lead_scorer"] | .owner == "ana.ruiz@northwind.example" and .["x-suggested"].kind_hint == "workflow: a BATCH TASK of AIRFLOW") and (.suggestions.owners | keys) == ["ana.ruiz@northwind.example", "pricing-lab"] and .suggestions.owners["pricing-lab"].type == "team"'
expect_jq "suggest: a dataset's schema fields" \
  '.suggestions.datasets["postgres://crm-db.internal:5432/pricing_lab.public.price_tests"]["x-suggested"].fields == [{"name": "lead_id", "type": "integer"}, {"name": "price", "type": "numeric"}, {"name": "variant", "type": "varchar"}]'
mkdir -p "$tmp/regdir"
cp "$REG" "$tmp/suggested.json" "$tmp/regdir/"
run check "$tmp/regdir" --no-builtin
expect_rc "suggest: the fragment is never merged silently" 2
expect_err "suggest: steward refuses to load it" "/suggestions: unknown section"

# }=== #

# {=== The policies on what lineage saw =================================== #

# 20 Airflow runs that complete (with the fixture's 1 failure in 2: 1 of
# 22, under 5%) and 12 Spark runs of which 2 fail (with the fixture's
# complete one: 2 of 13).
$PY tests/cli/ol_events.py airflow 20 0 >"$tmp/gen-airflow.jsonl"
$PY tests/cli/ol_events.py spark 12 2 >"$tmp/gen-spark.jsonl"
"$STEWARD" import openlineage $FIXTURES "$tmp/gen-airflow.jsonl" "$tmp/gen-spark.jsonl" \
  --registry "$REG" --map "$MAP" >"$tmp/lineage.jsonl" 2>/dev/null
run check "$REG" --now 2026-11-26 --format json
expect_same "without lineage, none of the three fires" "$(three <"$tmp/out")" ""
run check "$REG" --observations "$tmp/lineage.jsonl" --now 2026-11-26 --format json
expect_same "with lineage, each fires where it should and nowhere else" "$(three <"$tmp/out")" "$WANT_THREE"
cp "$tmp/out" "$tmp/body"
expect_jq "reliability: 2 of 13 Spark runs failed" \
  '[.findings[] | select(.policy == "technical.reliability")][0].evidence | .runs == 13 and .failed == 2 and .last_failure.error == "org.apache.spark.SparkException: Job aborted"'
expect_jq "schema-mismatch: the version lineage saw" \
  '[.findings[] | select(.policy == "debt.schema-mismatch")][0].evidence.observed == {"version": "6", "at": "2026-11-23T06:00:00Z", "fields": 6}'
expect_jq "observed-use: the unregistered caller, from lineage" \
  '[.findings[] | select(.policy == "scope.observed-use")][0].evidence.callers | length == 1 and .[0].caller == "airflow-prod/pricing_lab.try_lead_scorer" and .[0].sources == ["openlineage"]'
run check "$REG" --observations "$tmp/fixtures.jsonl" --now 2026-11-22 --format json
expect_same "before the schema change and the unregistered job's run, none" \
  "$(three <"$tmp/out")" ""
run check "$REG" --observations "$tmp/fixtures.jsonl" --now 2026-11-26 --format json
expect_same "the fixtures alone: 2 runs are too few to judge reliability" \
  "$(three <"$tmp/out")" "debt.schema-mismatch lead-scorer /models/lead-scorer/input_schema/crm.leads observed
scope.observed-use lead-scorer /models/lead-scorer/validated_for "

# }=== #

# {=== The daemon: POST /api/v1/lineage =================================== #

export ST_ING=lineage-ingest-token-0123 ST_RD=lineage-read-token-0123 ST_ADM=lineage-admin-token-0123
export ST_MLF=mlflow-webhook-secret-0123
export ST_HOOK=whsec_c3Rld2FyZC10ZXN0LXNlY3JldC1rZXk=   # "steward-test-secret-key"
ADM="Authorization: Bearer $ST_ADM"
mkdir -p "$tmp/d/reg" "$tmp/hooks" "$tmp/ev"
cp "$REG" "$tmp/d/reg/registry.json"
cp "$MAP" "$tmp/d/map.json"
$PY tests/cli/webhook_receiver.py "$tmp/hook.port" "$tmp/hooks" 200 &
RECEIVER=$!
wait_for 10 test -s "$tmp/hook.port"
cat >"$tmp/d/serve.json" <<JSON
{
  "listen": "127.0.0.1:0",
  "registry": "reg",
  "store": "lineage.db",
  "tokens": [
    {"env": "ST_ING", "scopes": ["ingest"]},
    {"env": "ST_RD", "scopes": ["read"]},
    {"env": "ST_ADM", "scopes": ["read", "ingest", "run"]}
  ],
  "suites": [{"name": "all", "cron": "0 0 1 1 *"}],
  "alerts": [{"name": "hook", "webhook": "http://127.0.0.1:$(cat "$tmp/hook.port")/hook",
              "secret_env": "ST_HOOK", "min_severity": "medium", "on": "new"}],
  "openlineage": {"map": "map.json"},
  "mlflow": {"secret_env": "ST_MLF", "fail_on": "medium"},
  "http_limits": {"max_body": 262144},
  "reload_debounce": 0.1
}
JSON
# The daemon judges at its clock: the fixtures, written for 2026-11-26,
# move to today.
shift_days=$(( ( $(date -u +%s) - $(date -u -d 2026-11-26 +%s) ) / 86400 ))
for f in airflow.jsonl spark.json unregistered.jsonl schema-change.jsonl; do
  $PY tests/cli/ol_shift.py "$shift_days" "$F/$f" >"$tmp/ev/$f"
done
yesterday=$(date -u -d yesterday +%Y-%m-%d)
$PY tests/cli/ol_events.py airflow 20 0 "$yesterday" >"$tmp/ev/gen-airflow.jsonl"
$PY tests/cli/ol_events.py spark 12 2 "$yesterday" >"$tmp/ev/gen-spark.jsonl"
start_daemon L "$tmp/d/serve.json"
wait_for 10 sh -c "curl -s http://127.0.0.1:$PORT_L/v1/ready | jq -e .ready"

# The client's transport, as openlineage.yml would configure it.
printf '{"transport": {"type": "http", "url": "http://127.0.0.1:%s", "auth": {"type": "api_key", "apiKey": "%s"}}}\n' \
  "$PORT_L" "$ST_ING" >"$tmp/client.json"
$PY tests/cli/ol_client.py "$tmp/client.json" "$tmp/ev/airflow.jsonl" >"$tmp/client.out" 2>&1
expect_same "an OpenLineage client posts each event: 201 and what it made" "$(cat "$tmp/client.out")" \
'201 {"events":1,"accepted":2}
201 {"events":1,"accepted":4}
201 {"events":1,"accepted":2}
201 {"events":1,"accepted":2}'
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_ING" -H 'Content-Type: application/json' --data-binary "@$tmp/ev/spark.json"
expect_code "a JSON array of events in one request: 201" 201
expect_jq "all three taken" '. == {"events": 3, "accepted": 6}'
$PY tests/cli/ol_client.py "$tmp/client.json" "$tmp/ev/unregistered.jsonl" >"$tmp/client.out" 2>&1
expect_same "the unregistered job's event" "$(cat "$tmp/client.out")" '201 {"events":1,"accepted":3}'
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_ING" --data-binary "@$tmp/ev/schema-change.jsonl"
expect_jq "JSON Lines in one request" '. == {"events": 2, "accepted": 2}'

# What the daemon stored is exactly what the importer makes of the same
# events.
"$STEWARD" import openlineage "$tmp/ev/airflow.jsonl" "$tmp/ev/spark.json" "$tmp/ev/unregistered.jsonl" \
  "$tmp/ev/schema-change.jsonl" --registry "$REG" --map "$MAP" 2>/dev/null | jq -c . >"$tmp/want.jsonl"
req L GET "/v1/observations?limit=1000"
jq -c '.observations[] | del(.id)' "$tmp/body" >"$tmp/got.jsonl"
if [ -s "$tmp/want.jsonl" ] && cmp -s "$tmp/got.jsonl" "$tmp/want.jsonl"; then ok; else
  ko "the stored observations are the importer's, exactly" "$(diff "$tmp/want.jsonl" "$tmp/got.jsonl" | head -6)"; fi

# Errors, scopes, limits: nothing stored.
nobs=$(wc -l <"$tmp/got.jsonl")
count_obs() { curl -s "http://127.0.0.1:$PORT_L/v1/observations?limit=10000" | jq '.observations | length'; }
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_ING" --data-binary "@$tmp/bad.jsonl"
expect_code "a malformed event: 400" 400
expect_jq "the reason names the line, column and field" '.error == "body:2:2044: /job/name: expected a non-empty string"'
req L POST /api/v1/lineage --data-binary "@$tmp/ev/unregistered.jsonl"
expect_code "without a token: 401" 401
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_RD" --data-binary "@$tmp/ev/unregistered.jsonl"
expect_code "with a read token: 403" 403
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_ING" -H 'Content-Encoding: gzip' --data-binary "@$tmp/ev/unregistered.jsonl"
expect_code "compressed: 415" 415
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_ING" --data-binary ' '
expect_jq "an empty body: no event" '.error == "body: no event in it"'
head -c 300000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_ING" --data-binary "@$tmp/big.json"
expect_code "over the body limit: 413" 413
expect_same "nothing of the refused requests was stored" "$(count_obs)" "$nobs"

# Many runs in one request each; then a suite run finds what the command
# line found.
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_ING" --data-binary "@$tmp/ev/gen-airflow.jsonl"
expect_jq "40 Airflow events" '. == {"events": 40, "accepted": 40}'
req L POST /api/v1/lineage -H "Authorization: Bearer $ST_ING" --data-binary "@$tmp/ev/gen-spark.jsonl"
expect_jq "24 Spark events" '. == {"events": 24, "accepted": 24}'
req L POST /v1/suites/all/run -H "$ADM"
run_id=$(jq -r .run "$tmp/body")
wait_for 30 sh -c "curl -s http://127.0.0.1:$PORT_L/v1/runs/$run_id | jq -e '.outcome == \"completed\"'"
req L GET "/v1/runs/$run_id"
expect_same "the daemon's run: the same three findings" "$(three <"$tmp/body")" "$WANT_THREE"

# }=== #

# {=== MLflow webhooks ==================================================== #

HOOK="http://127.0.0.1:$PORT_L/v1/hooks/mlflow"
impact_done() { curl -s "http://127.0.0.1:$PORT_L/v1/impacts/$1" | jq -e '.status == "completed"'; }
n_impacts() { curl -s "http://127.0.0.1:$PORT_L/v1/impacts" | jq '.impacts | length'; }

# A new version of LeadScorer: lead-qualification pins 3.2.0, so the
# what-if adds a debt.unpinned finding (medium): blocked at fail_on medium.
$PY tests/cli/mlflow_hook.py "$HOOK" "$ST_MLF" model_version.created LeadScorer 4.0.0 >"$tmp/hook.out"
first_delivery=$(sed -n 2p "$tmp/hook.out")
sed -n 1p "$tmp/hook.out" | cut -d' ' -f2- >"$tmp/body"
expect_same "a signed model_version.created: 202" "$(cut -d' ' -f1 "$tmp/hook.out" | head -1)" "202"
expect_jq "a pending impact of lead-scorer at 4.0.0" '.status == "pending" and .model == "lead-scorer" and .version == "4.0.0"'
blocked=$(jq -r .impact "$tmp/body")
wait_for 30 impact_done "$blocked"
req L GET "/v1/impacts/$blocked"
expect_jq "the stored impact: blocked, by the new debt.unpinned finding" \
  '.verdict == "blocked" and .counts == {"new": 1, "resolved": 0, "blocking": 1, "alerts": 1} and .impact.verdict == "blocked" and [.impact.findings.new[] | .policy] == ["debt.unpinned"] and .change == {"models": {"lead-scorer": {"version": "4.0.0"}}} and .delivery == "'"$first_delivery"'" and .name == "LeadScorer"'
wait_for 20 sh -c "grep -l '\\\\\"impact\\\\\"' $tmp/hooks/*.json"
f=$(grep -l '\\"kind\\":\\"impact\\"' "$tmp"/hooks/*.json 2>/dev/null | head -1)
if [ -n "$f" ]; then
  jq -r .body "$f" >"$tmp/body"
  expect_jq "the alert says what was announced and why it is blocked" \
    '.impact == '"$blocked"' and .kind == "impact" and .verdict == "blocked" and .model == "lead-scorer" and .version == "4.0.0" and .severity == "medium" and [.findings[] | .policy + " " + .subject] == ["debt.unpinned lead-qualification"]'
  id=$(jq -r '.headers["webhook-id"]' "$f")
  ts=$(jq -r '.headers["webhook-timestamp"]' "$f")
  jq -j .body "$f" >"$tmp/hook.body"
  want=$( { printf '%s.%s.' "$id" "$ts"; cat "$tmp/hook.body"; } |
          openssl dgst -sha256 -mac HMAC -macopt key:steward-test-secret-key -binary | base64)
  expect_same "the impact alert is signed" "$(jq -r '.headers["webhook-signature"]' "$f")" "v1,$want"
else
  ko "an impact alert reaches the receiver" "none received"; ok
fi

# The registered version, announced by an alias: clear, and no alert.
$PY tests/cli/mlflow_hook.py "$HOOK" "$ST_MLF" model_version_alias.created churn-predictor 7 --alias champion >"$tmp/hook.out"
sed -n 1p "$tmp/hook.out" | cut -d' ' -f2- >"$tmp/body"
clear=$(jq -r .impact "$tmp/body")
wait_for 30 impact_done "$clear"
req L GET "/v1/impacts/$clear"
expect_jq "an alias to the registered version: clear" \
  '.verdict == "clear" and .alias == "champion" and .event == "model_version_alias.created" and .counts.alerts == 0'

before=$(n_impacts)
$PY tests/cli/mlflow_hook.py "$HOOK" "$ST_MLF" model_version.created LeadScorer 5.0.0 --secret-for-signature wrong >"$tmp/hook.out"
expect_same "a bad signature: 401" "$(head -1 "$tmp/hook.out")" '401 {"error":"the signature does not match (X-MLflow-Signature: v1,<base64 HMAC-SHA256 of \"delivery id.timestamp.body\">)"}'
$PY tests/cli/mlflow_hook.py "$HOOK" "$ST_MLF" model_version.created LeadScorer 5.0.0 --age 600 >"$tmp/hook.out"
if head -1 "$tmp/hook.out" | grep -Eq '^401 \{"error":"the delivery.s timestamp is 60[0-9] s old, more than 300 s: refused as a replay"\}$'; then ok; else
  ko "a stale timestamp: 401" "$(head -1 "$tmp/hook.out")"; fi
$PY tests/cli/mlflow_hook.py "$HOOK" "$ST_MLF" model_version.created LeadScorer 4.0.0 --delivery "$first_delivery" >"$tmp/hook.out"
expect_same "a replayed delivery id: 409" "$(head -1 "$tmp/hook.out")" '409 {"error":"this delivery id was seen before: refused as a replay"}'
$PY tests/cli/mlflow_hook.py "$HOOK" "$ST_MLF" model_version.created ForecastNet 2 >"$tmp/hook.out"
expect_same "a model the registry does not have: ignored" "$(head -1 "$tmp/hook.out")" \
  '200 {"status":"ignored","event":"model_version.created","reason":"no registered model is '"'"'ForecastNet'"'"' (by id or mlflow_name)"}'
$PY tests/cli/mlflow_hook.py "$HOOK" "$ST_MLF" registered_model.created LeadScorer 1 >"$tmp/hook.out"
expect_same "an event steward does not judge: ignored" "$(head -1 "$tmp/hook.out" | cut -d' ' -f1)" "200"
req L POST /v1/hooks/mlflow --data-binary '{}'
expect_code "no signature at all: 401" 401
expect_same "none of them stored an impact" "$(n_impacts)" "$before"

req L GET /v1/impacts
expect_jq "GET /v1/impacts: newest first" '[.impacts[] | .verdict] == ["clear", "blocked"] and .next_cursor == null'
req L GET "/v1/impacts?model=lead-scorer&limit=1"
expect_jq "by model, a page at a time" '(.impacts | length) == 1 and .impacts[0].id == '"$blocked"' and .next_cursor == null'
req L GET "/v1/impacts?limit=1"
expect_jq "a page of one has a cursor" '.next_cursor == "'"$clear"'"'
req L GET /v1/impacts/999
expect_code "an unknown impact: 404" 404
req L GET /metrics
if promtool check metrics <"$tmp/body" >"$tmp/promtool.out" 2>&1; then ok; else
  ko "promtool accepts /metrics" "$(head -5 "$tmp/promtool.out")"; fi
for m in 'steward_impacts_total{source="mlflow",verdict="blocked"} 1' \
         'steward_impacts_total{source="mlflow",verdict="clear"} 1' \
         'steward_webhooks_refused_total{source="mlflow",reason="signature"} 2' \
         'steward_webhooks_refused_total{source="mlflow",reason="stale"} 1' \
         'steward_webhooks_refused_total{source="mlflow",reason="replay"} 1' \
         'steward_lineage_events_total 74'; do
  if grep -qxF "$m" "$tmp/body"; then ok; else ko "metrics: $m" "$(grep "${m%% *}" "$tmp/body" | head -3)"; fi
done

# A pending impact (the daemon stopped during its what-if) is evaluated at
# the next start: churn-outreach pins version 7.
stop_daemon L TERM
expect_same "SIGTERM exits 0" "$stop_rc" "0"
sqlite3 "$tmp/d/lineage.db" "INSERT INTO impacts(source, delivery, event, model, version, name, received, change) VALUES('mlflow', 'd-pending', 'model_version.created', 'churn-predictor', '8', 'churn-predictor', strftime('%s','now'), '{\"models\":{\"churn-predictor\":{\"version\":\"8\"}}}')"
pending=$(sqlite3 "$tmp/d/lineage.db" "SELECT max(id) FROM impacts")
start_daemon L "$tmp/d/serve.json"
wait_for 30 impact_done "$pending"
req L GET "/v1/impacts/$pending"
expect_jq "the pending impact is evaluated at start" '.verdict == "blocked" and .model == "churn-predictor"'
if grep -q '"event":"impacts_resumed","count":1' "$tmp/L.log"; then ok; else
  ko "the log says it resumed one" "$(grep impacts_ "$tmp/L.log")"; fi
stop_daemon L TERM

# A bad mlflow config stops the daemon before it listens.
sed 's/"secret_env": "ST_MLF"/"secret_env": "ST_UNSET_SECRET"/' "$tmp/d/serve.json" >"$tmp/d/bad.json"
run serve --config "$tmp/d/bad.json"
expect_rc "an mlflow secret that is not set: exit 2" 2
expect_err "it names the field" "/mlflow/secret_env: environment variable ST_UNSET_SECRET is not set"

# }=== #

kill "$RECEIVER" 2>/dev/null
finish
