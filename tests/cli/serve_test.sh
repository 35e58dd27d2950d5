#!/bin/sh
# steward serve end to end: the real daemon on a free loopback port, every
# endpoint, auth and scopes, ingest (a bad batch stored not at all, an
# Idempotency-Key retry counted once), schedules, run now, new/resolved and
# first_seen across runs, signed webhooks with retries and a pending alert
# delivered after a restart, reload with a broken registry, /metrics for
# promtool, replay, and a clean SIGTERM.
. tests/cli/lib.sh
. tests/cli/serve_lib.sh

export ST_ADMIN=admin-token-0123456789 ST_READ=read-token-0123456789
export ST_INGEST=ingest-token-0123456789
export ST_SECRET=whsec_c3Rld2FyZC10ZXN0LXNlY3JldC1rZXk=   # "steward-test-secret-key"
ADMIN="Authorization: Bearer $ST_ADMIN"

cp -R examples/registry "$tmp/reg"
cp examples/observations.jsonl "$tmp/obs.jsonl"
mkdir -p "$tmp/hooks"
$PY tests/cli/webhook_receiver.py "$tmp/hook.port" "$tmp/hooks" 503,200 &
RECEIVER=$!
wait_for 10 test -s "$tmp/hook.port"
RPORT=$(cat "$tmp/hook.port")

write_config() {   # write_config FILE HOOK_PORT
  cat >"$1" <<JSON
{
  "listen": "127.0.0.1:0",
  "registry": "reg",
  "observations": ["obs.jsonl"],
  "store": "a.db",
  "tokens": [
    {"env": "ST_ADMIN", "scopes": ["read", "ingest", "run"]},
    {"env": "ST_READ", "scopes": ["read"]},
    {"env": "ST_INGEST", "scopes": ["ingest"]}
  ],
  "suites": [
    {"name": "all", "cron": "0 0 1 1 *"},
    {"name": "gov", "policies": ["governance.*"], "every": "1s"}
  ],
  "alerts": [
    {"name": "hook", "webhook": "http://127.0.0.1:$2/hook",
     "secret_env": "ST_SECRET", "min_severity": "high", "on": "new"}
  ],
  "reload_debounce": 0.1
}
JSON
}
# What the daemon must report, from the command line on the same files.
NODES=$("$STEWARD" graph examples/registry --format json | jq '.nodes | length')
NPOL=$("$STEWARD" check examples/registry --format json | jq .summary.policies)
NOBS=$(grep -c . examples/observations.jsonl)

write_config "$tmp/a.json" "$RPORT"
start_daemon A "$tmp/a.json"

# {=== Health, readiness, the first run ================================== #

req A GET /v1/health
expect_code "health answers" 200
expect_jq "health: registry nodes and hash" '.registry.nodes == '"$NODES"' and (.registry.hash | length) == 64'
expect_jq "health: both suites with their schedules" '[.suites[].schedule] == ["0 0 1 1 *", "1s"]'
req A GET /v1/ready
expect_code "ready once the set loaded" 200
expect_jq "ready says so" '.ready == true and .policies.count == '"$NPOL"

# The daemon's run is the command line's check at the run's clock.
req A POST /v1/suites/all/run -H "$ADMIN"
expect_code "run now is accepted" 202
run1=$(jq -r .run "$tmp/body")
wait_for 20 sh -c "curl -s http://127.0.0.1:$PORT_A/v1/runs/$run1 | jq -e '.outcome == \"completed\"'"
req A GET "/v1/runs/$run1"
expect_jq "the run completed with its inputs recorded" '.outcome == "completed" and .inputs.obs_high_water == '"$NOBS"
clock=$(jq -r .clock "$tmp/body")
jq -r '[.findings[] | .identity] | sort | .[]' "$tmp/body" >"$tmp/run.ids"
"$STEWARD" check examples/registry --observations examples/observations.jsonl --now "$clock" --format json |
  jq -r '[.findings[] | .identity] | sort | .[]' >"$tmp/check.ids"
if [ -s "$tmp/run.ids" ] && cmp -s "$tmp/run.ids" "$tmp/check.ids"; then ok; else
  ko "the run's findings are steward check's at its clock" "$(diff "$tmp/check.ids" "$tmp/run.ids" | head -5)"; fi
expect_jq "every finding of a first run is new" '[.findings[].status] | all(. == "new")'

# every: the 1s suite keeps running on its own.
wait_for 10 sh -c "curl -s 'http://127.0.0.1:$PORT_A/v1/runs?suite=gov' | jq -e '[.runs[] | select(.outcome == \"completed\")] | length >= 2'"
req A GET "/v1/runs?suite=gov"
expect_jq "every 1s fires again and again" '[.runs[] | select(.outcome == "completed")] | length >= 2'

# }=== #

# {=== Who may do what ==================================================== #

LINE='{"at":"2026-12-01","subject":"auth-probe","metric":"m","value":1}'
req A POST /v1/observations --data-binary "$LINE"
expect_code "ingest without a token: 401" 401
req A POST /v1/observations -H "Authorization: Bearer wrong-token" --data-binary "$LINE"
expect_code "ingest with an unknown token: 401" 401
req A POST /v1/observations -H "Authorization: Bearer $ST_READ" --data-binary "$LINE"
expect_code "ingest with a read token: 403" 403
req A POST /v1/observations -H "Authorization: Bearer $ST_INGEST" --data-binary "$LINE"
expect_code "ingest with an ingest token: 202" 202
req A POST /v1/suites/all/run -H "Authorization: Bearer $ST_INGEST"
expect_code "run now with an ingest token: 403" 403
req A POST /v1/check -H "Authorization: Bearer $ST_READ" --data-binary '{}'
expect_code "check with a read token: 403" 403
req A GET /v1/findings
expect_code "reads need no token on loopback" 200
req A GET /v1/health -H "Host: evil.example"
expect_code "a non-loopback Host is refused (DNS rebinding)" 403
req A GET /v1/findings -H "Host: localhost:$PORT_A"
expect_code "localhost with a port is a loopback name" 200
req A GET /v1/nope
expect_code "an unknown endpoint: 404" 404
req A DELETE /v1/findings
expect_code "a known path with another method: 405" 405

# }=== #

# {=== Ingest ============================================================= #

printf '%s\n%s\n%s\n' \
  '{"at":"2026-12-01","subject":"batch-probe","metric":"m","value":1}' \
  '{"at":"2026-12-01","subject":"batch-probe","metric":"m","value":"two"}' \
  '{"at":"2026-12-01","subject":"batch-probe","metric":"m","value":3}' >"$tmp/bad.jsonl"
req A POST /v1/observations -H "$ADMIN" --data-binary "@$tmp/bad.jsonl"
expect_code "a batch with one bad line: 400" 400
expect_jq "the error names the line and the field" '.error | startswith("body:2:") and contains("value")'
req A GET "/v1/observations?subject=batch-probe"
expect_jq "nothing of the bad batch is stored" '.observations | length == 0'

printf '%s\n%s\n' \
  '{"at":"2026-12-01","subject":"idem-probe","metric":"m","value":1}' \
  '{"at":"2026-12-02","subject":"idem-probe","metric":"m","value":2}' >"$tmp/idem.jsonl"
req A POST /v1/observations -H "$ADMIN" -H "Idempotency-Key: batch-42" --data-binary "@$tmp/idem.jsonl"
expect_jq "first delivery accepted" '.accepted == 2 and .duplicate == false'
req A POST /v1/observations -H "$ADMIN" -H "Idempotency-Key: batch-42" --data-binary "@$tmp/idem.jsonl"
expect_code "a retried batch is answered 202" 202
expect_jq "the retry is a duplicate" '.accepted == 2 and .duplicate == true'
req A GET "/v1/observations?subject=idem-probe"
expect_jq "the retried batch counts once" '.observations | length == 2'
req A POST /v1/observations -H "$ADMIN" --data-binary '[{"at":"2026-12-03","subject":"array-probe","metric":"m","value":1},
{"at":"2026-12-04","subject":"array-probe","metric":"m","value":2}]'
expect_jq "a JSON array is a batch too" '.accepted == 2'
req A GET "/v1/observations?subject=array-probe&limit=1"
expect_jq "pages of one, with a cursor" '(.observations | length) == 1 and .next_cursor != null'
cursor=$(jq -r .next_cursor "$tmp/body")
req A GET "/v1/observations?subject=array-probe&limit=1&cursor=$cursor"
expect_jq "the next page holds the second" '.observations[0].value == 2'
req A GET "/v1/observations?since=yesterday"
expect_code "a bad since: 400" 400

# }=== #

# {=== New, resolved, first_seen, alerts ================================== #

run_all() {
  req A POST /v1/suites/all/run -H "$ADMIN"
  rid=$(jq -r .run "$tmp/body")
  wait_for 20 sh -c "curl -s http://127.0.0.1:$PORT_A/v1/runs/$rid | jq -e '.outcome == \"completed\"'"
  req A GET "/v1/runs/$rid"
}

first_owner() {
  curl -s "http://127.0.0.1:$PORT_A/v1/findings?policy=governance.escalation&subject=account-planning" |
    jq -r '.findings[0].first_seen'
}
seen1=$(first_owner)
req A POST /v1/observations -H "$ADMIN" --data-binary '{"at":"2026-12-05","subject":"credit-risk-scorer","metric":"psi","value":0.5}'
run_all
expect_jq "an observation makes a new finding" '[.findings[] | select(.policy == "drift.psi" and .subject == "credit-risk-scorer" and .status == "new")] | length == 1'
expect_jq "what did not change is open, not new" '[.findings[] | select(.policy == "governance.escalation" and .subject == "account-planning")][0].status == "open"'
req A POST /v1/observations -H "$ADMIN" --data-binary '{"at":"2026-12-06","subject":"credit-risk-scorer","metric":"psi","value":0.02}'
run_all
expect_jq "another observation resolves it" '[.resolved[] | select(.policy == "drift.psi" and .subject == "credit-risk-scorer")] | length == 1'
expect_same "first_seen is kept across runs" "$(first_owner)" "$seen1"
req A GET "/v1/findings?subject=credit-risk-scorer"
expect_jq "a resolved finding is no longer current" '[.findings[] | select(.policy == "drift.psi")] | length == 0'

# Every new high finding is alerted (the first runs make many): the first
# delivery is answered 503 and retried, every request is signed, and the
# drift found above arrives with what and where.
psi_hook() { grep -l '"subject\\": \\"credit-risk-scorer\\"' "$tmp"/hooks/*.json 2>/dev/null | head -1; }
wait_for 20 sh -c "grep -l 'credit-risk-scorer' $tmp/hooks/*.json"
bad=0 n=0
for f in "$tmp"/hooks/*.json; do
  n=$((n + 1))
  id=$(jq -r '.headers["webhook-id"]' "$f")
  ts=$(jq -r '.headers["webhook-timestamp"]' "$f")
  jq -j .body "$f" >"$tmp/hook.body"
  want=$( { printf '%s.%s.' "$id" "$ts"; cat "$tmp/hook.body"; } |
          openssl dgst -sha256 -mac HMAC -macopt key:steward-test-secret-key -binary | base64)
  [ "$(jq -r '.headers["webhook-signature"]' "$f")" = "v1,$want" ] || bad=$((bad + 1))
done
expect_same "every webhook carries a valid signature ($n received)" "$bad" "0"
first=$(jq -r '.headers["webhook-id"]' "$tmp/hooks/0.json")
again=$(cat "$tmp"/hooks/*.json | jq -r '.headers["webhook-id"]' | grep -cx "$first")
expect_same "the delivery answered 503 is retried, as the same message" "$again" "2"
f=$(grep -l 'credit-risk-scorer' "$tmp"/hooks/*.json | head -1)
jq -r .body "$f" >"$tmp/body"
expect_jq "the alert says what and where" '.policy == "drift.psi" and .subject == "credit-risk-scorer" and .severity == "high" and .enforcement == "soft-mandatory" and (.message | length) > 0 and (.run | type) == "number" and has("path") and .new == true'

# }=== #

# {=== Check, impact, reads =============================================== #

req A POST /v1/check -H "$ADMIN" --data-binary '{}'
expect_code "check of the registry as it is" 200
expect_jq "check answers as steward check --format json" '(.findings | length) == .summary.findings and .summary.policies == '"$NPOL"
req A POST /v1/impact -H "$ADMIN" --data-binary @examples/changes/schema-bump.json
expect_code "impact of the schema bump" 200
expect_jq "its verdict is blocked" '.verdict == "blocked" and .summary.new_blocking == 1'
req A POST /v1/check -H "$ADMIN" --data-binary '[{"op":"remove","path":"/models/nope"}]'
expect_code "a change that cannot apply: 400" 400
req A POST /v1/check -H "$ADMIN" --data-binary '{"models": ['
expect_code "a malformed body: 400" 400
req A GET /v1/policies
expect_jq "policies with their parameters" '(.policies | length) == '"$NPOL"' and ([.policies[] | select(.id == "drift.psi")][0].params.high == 0.25)'
req A GET /v1/nodes/lead-qualification
expect_jq "a node, its edges, its open findings" '.kind == "workflow" and ([.out[] | select(.rel == "uses")][0].id == "lead-scorer") and (.findings | type) == "array"'
req A GET /v1/nodes/nobody
expect_code "an unknown node: 404" 404
req A GET /v1/readiness/lead-qualification
expect_jq "readiness as steward readiness --format json" '.workflow == "lead-qualification" and (.criteria | length) == 5'
req A GET "/v1/graph?focus=lead-qualification&depth=1"
expect_jq "the graph around a focus" '[.nodes[].id] | index("lead-scorer") != null'
req A GET "/v1/runs?limit=1"
expect_jq "runs page by cursor" '(.runs | length) == 1 and .next_cursor != null'
req A GET /metrics
expect_code "metrics answer" 200
if promtool check metrics <"$tmp/body" >"$tmp/promtool.out" 2>&1; then ok; else
  ko "promtool accepts /metrics" "$(head -5 "$tmp/promtool.out")"; fi
for m in steward_build_info steward_runs_total steward_run_last_start_timestamp_seconds \
         steward_findings steward_evaluation_duration_seconds_bucket \
         steward_http_request_duration_seconds_bucket steward_observations_ingested_total \
         steward_alerts steward_reload_errors_total; do
  if grep -q "^$m" "$tmp/body"; then ok; else ko "metrics has $m" "missing"; fi
done

# }=== #

# {=== Reload ============================================================= #

cp "$tmp/reg/sales.json" "$tmp/sales.good"
printf '{"workflows": {\n' >"$tmp/reg/sales.json"
wait_for 10 sh -c "curl -s http://127.0.0.1:$PORT_A/v1/health | jq -e '.last_reload_error != null'"
req A GET /v1/health
expect_jq "a broken registry is reported with its position" '.last_reload_error | contains("sales.json:2:1")'
req A GET /v1/ready
expect_code "the previous set keeps running" 200
req A GET /v1/nodes/lead-qualification
expect_code "its registry still answers" 200
cp "$tmp/sales.good" "$tmp/reg/sales.json"
wait_for 10 sh -c "curl -s http://127.0.0.1:$PORT_A/v1/health | jq -e '.last_reload_error == null'"
req A GET /v1/health
expect_jq "a good file clears the error" '.last_reload_error == null'

# }=== #

# {=== A pending alert survives a restart ================================= #

kill "$RECEIVER"; wait "$RECEIVER" 2>/dev/null
req A POST /v1/observations -H "$ADMIN" --data-binary '{"at":"2026-12-07","subject":"fraud-detector","metric":"psi","value":0.6}'
run_all
sleep 0.5
stop_daemon A TERM
expect_same "SIGTERM exits 0" "$stop_rc" "0"
if grep -q '"event":"stopped"' "$tmp/A.log"; then ok; else ko "the log says it stopped" "no stopped line"; fi
rm -rf "$tmp/hooks" "$tmp/hook.port"; mkdir -p "$tmp/hooks"
$PY tests/cli/webhook_receiver.py "$tmp/hook.port" "$tmp/hooks" 200 &
RECEIVER=$!
wait_for 10 test -s "$tmp/hook.port"
write_config "$tmp/a.json" "$(cat "$tmp/hook.port")"
start_daemon A "$tmp/a.json"
wait_for 20 sh -c "ls $tmp/hooks/*.json >/dev/null 2>&1 && grep -l fraud-detector $tmp/hooks/*.json"
if grep -q fraud-detector "$tmp"/hooks/*.json 2>/dev/null; then ok; else
  ko "the pending alert is delivered after the restart" "not received"; fi
req A GET "/v1/observations?subject=idem-probe"
expect_jq "the config's observations were not loaded twice" '.observations | length == 2'
req A GET "/v1/observations?subject=credit-risk-scorer&metric=psi"
expect_jq "observations file loaded once at the first start" '[.observations[] | select(.at == "2026-11-01")] | length == 1'

# }=== #

# {=== Replay ============================================================= #

run "replay" --store "$tmp/a.db" "$run1"
expect_rc "replay reproduces a stored run" 0
expect_out "replay says so" "reproduced: run $run1"
run "replay" --store "$tmp/a.db" 99999
expect_rc "replay of an unknown run exits 2" 2

# }=== #

stop_daemon A INT
expect_same "SIGINT exits 0" "$stop_rc" "0"
kill "$RECEIVER" 2>/dev/null
finish
