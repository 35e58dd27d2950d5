#!/bin/sh
# steward serve and its store under failure: kill -9 during a stream of
# ingest requests loses nothing acknowledged and half-stores nothing; a
# full disk answers 503 and acknowledges nothing, and ingest works again
# once space returns; a store that is not one, or of a newer schema, is
# refused at start (exit 2); a bad config exits 2 naming the field; a
# suite's timeout ends a run that is slow on every subject.
. tests/cli/lib.sh
. tests/cli/serve_lib.sh

export ST_ADMIN=admin-token-0123456789
ADMIN="Authorization: Bearer $ST_ADMIN"
cp -R examples/registry "$tmp/reg"
config() {   # config FILE STORE [EXTRA JSON MEMBERS]
  cat >"$1" <<JSON
{
  "listen": "127.0.0.1:0",
  "registry": "reg",
  "store": "$2",
  "tokens": [{"env": "ST_ADMIN", "scopes": ["read", "ingest", "run"]}]${3:+,
  $3}
}
JSON
}

# {=== kill -9 in the middle of a stream ================================== #

config "$tmp/k.json" k.db
start_daemon K "$tmp/k.json"
# The client posts batches of 50 until the daemon dies, writing the number
# of every batch acknowledged with 202.
$PY - "$PORT_K" "$ST_ADMIN" "$tmp/acked" <<'PY' &
import http.client, json, sys
port, token, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(out, "w") as acked:
    for b in range(100000):
        body = "\n".join(json.dumps({"at": "2026-12-01", "subject": "kill-probe",
                                     "metric": "b%d" % b, "value": i})
                         for i in range(50))
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("POST", "/v1/observations", body,
                      {"Authorization": "Bearer " + token})
            r = c.getresponse(); r.read()
            if r.status == 202:
                acked.write("%d\n" % b); acked.flush()
        except Exception:
            break
PY
CLIENT=$!
wait_for 20 sh -c "[ \$(wc -l <'$tmp/acked') -ge 20 ]"
kill -9 "$PID_K"; wait "$PID_K" 2>/dev/null; PID_K=
wait "$CLIENT" 2>/dev/null
start_daemon K "$tmp/k.json"
req K GET "/v1/observations?subject=kill-probe&limit=10000" 
jq -r '.observations[].metric' "$tmp/body" | sort | uniq -c |
  awk '{ print $2, $1 }' >"$tmp/stored"
n_acked=$(wc -l <"$tmp/acked")
missing=0
while read -r b; do
  grep -qx "b$b 50" "$tmp/stored" || missing=$((missing + 1))
done <"$tmp/acked"
expect_same "every acknowledged batch survives kill -9 whole ($n_acked acked)" "$missing" "0"
partial=$(awk '$2 != 50' "$tmp/stored" | wc -l)
expect_same "no batch is half-stored" "$partial" "0"
stop_daemon K TERM
expect_same "the restarted daemon stops cleanly" "$stop_rc" "0"

# }=== #

# {=== A full disk ======================================================== #

config "$tmp/f.json" f.db
( ulimit -S -f 1200; exec "$STEWARD" serve --config "$tmp/f.json" ) 2>"$tmp/F.log" &
PID_F=$!; daemons="$daemons F"
wait_for 15 grep -q '"event":"listening"' "$tmp/F.log"
PORT_F=$(port_of_log "$tmp/F.log")
full=0
i=0
while [ $i -lt 400 ]; do
  $PY -c "import json
print('\n'.join(json.dumps({'at':'2026-12-01','subject':'disk-probe','metric':'m','value':i,'pad':'x'*200}) for i in range(100)))" >"$tmp/batch.jsonl"
  req F POST /v1/observations -H "$ADMIN" --data-binary "@$tmp/batch.jsonl"
  [ "$code" = 503 ] && { full=1; break; }
  i=$((i + 1))
done
expect_same "a full disk is answered 503" "$full" "1"
expect_jq "the 503 says why" '.error | length > 0'
req F GET "/v1/observations?subject=disk-probe&limit=10000"
before=$(jq '.observations | length' "$tmp/body")
expect_same "what was acknowledged is all there ($i batches)" "$before" "$((i * 100))"
prlimit --pid "$PID_F" --fsize=unlimited:
req F POST /v1/observations -H "$ADMIN" --data-binary "@$tmp/batch.jsonl"
expect_code "ingest works again once space returns" 202
stop_daemon F TERM
expect_same "after a full disk it still stops cleanly" "$stop_rc" "0"

# }=== #

# {=== Stores and configs refused at start ================================ #

printf 'this is not a database, it is a text file\n%.0s' 1 2 3 4 5 6 7 8 >"$tmp/text.db"
config "$tmp/t.json" text.db
run serve --config "$tmp/t.json"
expect_rc "a store that is not SQLite: exit 2" 2
expect_err "it names the file" "text.db"
config "$tmp/n.json" k.db
sqlite3 "$tmp/k.db" "PRAGMA user_version = 99;"
run serve --config "$tmp/n.json"
expect_rc "a store of a newer schema: exit 2" 2
expect_err "it says newer" "newer"
printf '{"listen": "127.0.0.1:0", "registry": "reg", "suites": [{"name": "x", "cron": "0 25 * * *"}]}\n' >"$tmp/c.json"
run serve --config "$tmp/c.json"
expect_rc "a bad cron: exit 2" 2
expect_err_is "it names the field and why" "steward: $tmp/c.json:1:79: /suites/0/cron: field 2 (hour): 25 is out of range 0-23"
printf '{"listen": "0.0.0.0:0", "registry": "reg"}\n' >"$tmp/l.json"
run serve --config "$tmp/l.json"
expect_rc "no tokens and not loopback: exit 2" 2
printf '{"listen": "127.0.0.1:0", "registry": "reg", "tokens": [{"env": "ST_UNSET_VAR", "scopes": ["read"]}]}\n' >"$tmp/e.json"
run serve --config "$tmp/e.json"
expect_rc "a token variable that is not set: exit 2" 2
expect_err "it names the variable" "ST_UNSET_VAR"

# }=== #

# {=== Not ready until a good set loads; SIGTERM during a run ============= #

cp -R examples/registry "$tmp/broken"
printf '{"workflows": {\n' >"$tmp/broken/sales.json"
cat >"$tmp/r.json" <<JSON
{"listen": "127.0.0.1:0", "registry": "broken", "store": "r.db",
 "reload_debounce": 0.1}
JSON
start_daemon R "$tmp/r.json"
req R GET /v1/ready
expect_code "a daemon whose registry does not load is not ready" 503
expect_jq "it says why, with the position" '.ready == false and (.last_reload_error | contains("sales.json:2:1"))'
req R GET /v1/health
expect_code "but it is alive" 200
cp examples/registry/sales.json "$tmp/broken/sales.json"
wait_for 10 sh -c "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT_R/v1/ready | grep -q 200"
req R GET /v1/ready
expect_code "ready once the file is fixed" 200
stop_daemon R TERM

mkdir -p "$tmp/slower"
cat >"$tmp/slower/slower.lua" <<'LUA'
return { id = "t.slower", severity = "low", subjects = "workflows",
  check = function(w, ctx)
    local t0 = os.clock() while os.clock() - t0 < 0.4 do end
  end }
LUA
config "$tmp/t2.json" t2.db '"builtin": false, "policies": ["slower"], "suites": [{"name": "long", "cron": "0 0 1 1 *"}]'
start_daemon T "$tmp/t2.json"
req T POST /v1/suites/long/run -H "$ADMIN"
long=$(jq -r .run "$tmp/body")
sleep 0.5
t0=$(date +%s.%N)
stop_daemon T TERM
t1=$(date +%s.%N)
expect_same "SIGTERM during a run exits 0" "$stop_rc" "0"
expect_same "within 5 seconds" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a < 5) }')" "1"
start_daemon T "$tmp/t2.json"
req T GET "/v1/runs/$long"
expect_jq "the run it stopped is recorded as abandoned" '.outcome == "abandoned"'
stop_daemon T TERM

# }=== #

# {=== A run-wide timeout ================================================= #

mkdir -p "$tmp/slow"
cat >"$tmp/slow/slow.lua" <<'LUA'
return { id = "t.slow", severity = "low", subjects = "workflows",
  check = function(w, ctx)
    local t0 = os.clock() while os.clock() - t0 < 0.05 do end
  end }
LUA
config "$tmp/s.json" s.db '"builtin": false, "policies": ["slow"], "suites": [{"name": "slow", "cron": "0 0 1 1 *", "timeout": 0.3}]'
start_daemon S "$tmp/s.json"
req S POST /v1/suites/slow/run -H "$ADMIN"
rid=$(jq -r .run "$tmp/body")
wait_for 20 sh -c "curl -s http://127.0.0.1:$PORT_S/v1/runs/$rid | jq -e '.outcome != null and .outcome != \"running\"'"
req S GET "/v1/runs/$rid"
expect_jq "a run slower than its suite's timeout ends as timeout" '.outcome == "timeout"'
req S GET /metrics
if grep -q 'steward_runs_total{suite="slow",outcome="timeout"} 1' "$tmp/body"; then ok; else
  ko "the timeout is counted" "$(grep steward_runs_total "$tmp/body")"; fi
stop_daemon S TERM
expect_same "it stops cleanly" "$stop_rc" "0"

# }=== #

finish
