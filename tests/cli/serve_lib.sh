# Helpers for the daemon's end-to-end tests (tests/cli/serve_*_test.sh),
# sourced after tests/cli/lib.sh. Every daemon runs on a free loopback port
# (config "listen": "127.0.0.1:0"; the port is read from its "listening"
# log line) with its store and logs under $tmp, and is stopped by the
# suite's exit trap whatever happens.
#   start_daemon NAME CONFIG    starts it; sets PID_NAME and PORT_NAME
#   stop_daemon NAME [SIGNAL]   sends SIGNAL (TERM) and waits; sets stop_rc;
#                               fails on a sanitizer report in its log
#   req NAME METHOD PATH [CURL ARGS...]  one request to daemon NAME; sets
#                               code (HTTP status) and leaves the body in
#                               $tmp/body
#   wait_for TIMEOUT CMD...     retries CMD every 0.1 s until it succeeds
PY=/usr/bin/python3
daemons=""

cleanup_daemons() {
  for d in $daemons; do
    eval "p=\${PID_$d:-}"
    [ -n "$p" ] && kill -9 "$p" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup_daemons EXIT

wait_for() {
  t=$1; shift
  n=$(awk "BEGIN { print int($t * 10) }")
  while [ "$n" -gt 0 ]; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}

port_of_log() {
  grep -m1 '"event":"listening"' "$1" | sed -E 's/.*"port":([0-9]+).*/\1/'
}

start_daemon() {
  name=$1 config=$2
  log=$tmp/$name.log
  : >"$log"
  "$STEWARD" serve --config "$config" 2>>"$log" &
  eval "PID_$name=$!"
  daemons="$daemons $name"
  if wait_for 15 grep -q '"event":"listening"' "$log"; then
    eval "PORT_$name=$(port_of_log "$log")"
  else
    echo "daemon $name did not start:"; tail -5 "$log"
    eval "PORT_$name=1"
  fi
}

# A sanitizer's report in a daemon's log (make sanitize runs these suites
# with ASan and LeakSanitizer) fails the suite.
stop_daemon() {
  name=$1 sig=${2:-TERM}
  eval "p=\$PID_$name"
  kill -s "$sig" "$p" 2>/dev/null
  wait "$p" 2>/dev/null
  stop_rc=$?
  eval "PID_$name="
  if grep -q 'Sanitizer' "$tmp/$name.log" 2>/dev/null; then
    ko "daemon $name ran clean under the sanitizers" "$(grep -m3 -A3 Sanitizer "$tmp/$name.log")"
  fi
}

req() {
  name=$1 method=$2 path=$3; shift 3
  eval "port=\$PORT_$name"
  code=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$method" \
         --max-time 20 "$@" "http://127.0.0.1:$port$path")
}

# expect_code NAME WANT: the last request answered WANT.
expect_code() {
  if [ "$code" = "$2" ]; then ok; else
    ko "$1" "HTTP $code, expected $2: $(head -c 300 "$tmp/body")"; fi
}

# expect_jq NAME FILTER: jq -e FILTER holds on the last body.
expect_jq() {
  if jq -e "$2" "$tmp/body" >/dev/null 2>&1; then ok; else
    ko "$1" "jq '$2' fails on: $(head -c 400 "$tmp/body")"; fi
}
