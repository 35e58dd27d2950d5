#!/bin/sh
# make bench, the daemon's part: steward serve on loopback against a
# baseline measured in the same run.
#   serve_findings_rps / serve_findings_p99_ms: GET /v1/findings of the
#     example organization (after one run) under `wrk -t1 -c32 -d10s
#     --latency`, against Debian's nginx (one worker) serving the same
#     response body as a static file; rounds alternate, medians reported.
#   serve_ingest_obs_per_s: POST /v1/observations batches of 1,000 rows
#     (wrk, keep-alive, four connections) against raw SQLite inserts of the
#     same rows in the same batches with the same durability (WAL,
#     synchronous=FULL: tools/bench_store.c's "raw").
# Prints one line per figure: NAME VALUE UNIT BASELINE RATIO. Usage:
# tools/bench_serve.sh BUILD_DIR [ROUNDS]
set -eu
build=$1
rounds=${2:-3}
dur=${BENCH_SECONDS:-10}
dir=$(pwd)/$build/bench/serve
rm -rf "$dir"
mkdir -p "$dir/www/v1" "$dir/nginx"
cp -R examples/registry "$dir/reg"
export BENCH_TOKEN=bench-token-0123456789
cat >"$dir/serve.json" <<JSON
{"listen": "127.0.0.1:0", "registry": "reg", "store": "bench.db",
 "observations": ["$(pwd)/examples/observations.jsonl"],
 "tokens": [{"env": "BENCH_TOKEN", "scopes": ["read", "ingest", "run"]}],
 "suites": [{"name": "all", "cron": "0 0 1 1 *"}]}
JSON
./steward serve --config "$dir/serve.json" 2>"$dir/serve.log" &
spid=$!
trap 'kill $spid 2>/dev/null; [ -f "$dir/nginx.pid" ] && kill $(cat "$dir/nginx.pid") 2>/dev/null; true' EXIT
i=0
until grep -q '"event":"listening"' "$dir/serve.log" || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
sport=$(grep -m1 '"event":"listening"' "$dir/serve.log" | sed -E 's/.*"port":([0-9]+).*/\1/')
auth="Authorization: Bearer $BENCH_TOKEN"
run=$(curl -s -X POST -H "$auth" "http://127.0.0.1:$sport/v1/suites/all/run" | jq -r .run)
i=0
until curl -s "http://127.0.0.1:$sport/v1/runs/$run" | jq -e '.outcome == "completed"' >/dev/null || [ $i -gt 100 ]; do
  sleep 0.1; i=$((i + 1)); done
curl -s "http://127.0.0.1:$sport/v1/findings" >"$dir/www/v1/findings"

nport=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nport;
    location / { root $dir/www; default_type application/json; }
  }
}
CONF
nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf"

# wrk_stats URL [ARGS]: "RPS P99_MS" of one run.
wrk_stats() {
  url=$1; shift
  wrk -t1 -c32 -d"${dur}s" --latency "$@" "$url" >"$dir/wrk.out" 2>&1
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$dir/wrk.out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
        print v }' "$dir/wrk.out")
  echo "$rps $p99"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$dir/steward.rps"; : >"$dir/steward.p99"; : >"$dir/nginx.rps"; : >"$dir/nginx.p99"
r=0
while [ $r -lt "$rounds" ]; do
  set -- $(wrk_stats "http://127.0.0.1:$sport/v1/findings"); echo "$1" >>"$dir/steward.rps"; echo "$2" >>"$dir/steward.p99"
  set -- $(wrk_stats "http://127.0.0.1:$nport/v1/findings"); echo "$1" >>"$dir/nginx.rps"; echo "$2" >>"$dir/nginx.p99"
  r=$((r + 1))
done
s_rps=$(median <"$dir/steward.rps"); n_rps=$(median <"$dir/nginx.rps")
s_p99=$(median <"$dir/steward.p99"); n_p99=$(median <"$dir/nginx.p99")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
echo "serve_findings_rps $s_rps req/s $n_rps $(ratio "$s_rps" "$n_rps")"
echo "serve_findings_p99_ms $s_p99 ms $n_p99 $(ratio "$s_p99" "$n_p99")"

# Ingest: the rows bench_store writes, 1,000 a request, BATCHES requests
# one after the other on one keep-alive connection, into a fresh store;
# then bench_store's raw SQLite inserts of as many batches into a fresh
# file. Rounds alternate the two; medians of rows/s.
batches=${BENCH_BATCHES:-100}
cat >"$dir/ingest.py" <<'PY'
import http.client, sys, time
port, token, batches = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def body(b):
    return "".join('{"at":"2026-11-%02dT%02d:%02d:00Z","subject":"model-%02d",'
                   '"metric":"psi","value":0.%04d}\n'
                   % (1 + b % 28, (i // 60) % 24, i % 60, i % 64, i)
                   for i in range(1000))
bodies = [body(b) for b in range(batches)]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
t0 = time.monotonic()
for b in bodies:
    c.request("POST", "/v1/observations", b, {"Authorization": "Bearer " + token})
    r = c.getresponse(); r.read()
    if r.status != 202:
        sys.exit("ingest answered %d" % r.status)
print("%.0f" % (batches * 1000 / (time.monotonic() - t0)))
PY
: >"$dir/ingest.rate"; : >"$dir/raw.rate"
r=0
while [ $r -lt "$rounds" ]; do
  kill $spid 2>/dev/null; wait $spid 2>/dev/null || true
  rm -f "$dir"/bench.db*
  ./steward serve --config "$dir/serve.json" 2>"$dir/serve.log" &
  spid=$!
  i=0
  until grep -q '"event":"listening"' "$dir/serve.log" || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
  sport=$(grep -m1 '"event":"listening"' "$dir/serve.log" | sed -E 's/.*"port":([0-9]+).*/\1/')
  /usr/bin/python3 "$dir/ingest.py" "$sport" "$BENCH_TOKEN" "$batches" >>"$dir/ingest.rate"
  rm -f "$dir"/bench-*.db*
  "$build/bench_store" "$dir" "$batches" 1000 >"$dir/store.out"
  awk '/^without a key/ { on = 1 } on && $1 == "raw" { print $2; exit }' "$dir/store.out" >>"$dir/raw.rate"
  r=$((r + 1))
done
s_obs=$(median <"$dir/ingest.rate"); raw=$(median <"$dir/raw.rate")
echo "serve_ingest_obs_per_s $s_obs obs/s $raw $(ratio "$s_obs" "$raw")"
