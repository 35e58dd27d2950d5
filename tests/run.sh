#!/bin/sh
# Runs every test suite and sums them into one line: `N passed, N failed`.
# Usage: tests/run.sh BUILD_DIR STEWARD_BINARY
#   unit:    BUILD_DIR/test_* (each ends with `RESULT passed=N failed=M`)
#   lua:     STEWARD test policies --min-coverage 90, STEWARD test stdlib
#   cli:     tests/cli/*.sh  (each ends with `RESULT passed=N failed=M`)
# A suite that dies without its result line counts as one failure.
set -u
build=${1:-build}
steward=${2:-./steward}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# add SUITE: reads a suite's output from $log and adds its counts.
add() {
  line=$(grep -E '^(RESULT passed=[0-9]+ failed=[0-9]+|[0-9]+ passed, [0-9]+ failed)$' "$log" | tail -n 1)
  p=$(echo "$line" | sed -E 's/^RESULT passed=([0-9]+) failed=([0-9]+)$/\1/; s/^([0-9]+) passed, ([0-9]+) failed$/\1/')
  f=$(echo "$line" | sed -E 's/^RESULT passed=([0-9]+) failed=([0-9]+)$/\2/; s/^([0-9]+) passed, ([0-9]+) failed$/\2/')
  if [ -z "$line" ]; then
    echo "FAIL $1: ended without a result line"
    sed 's/^/  | /' "$log" | tail -n 20
    p=0; f=1
  elif [ "$f" -gt 0 ]; then
    grep -E '^FAIL|^not ok' "$log" | sed 's/^/  /'
  fi
  printf '%-28s %4s passed, %s failed\n' "$1" "$p" "$f"
  passed=$((passed + p))
  failed=$((failed + f))
}

for t in "$build"/test_*; do
  [ -x "$t" ] || continue
  "$t" >"$log" 2>&1
  add "unit/$(basename "$t")"
done

"$steward" test policies --min-coverage 90 >"$log" 2>&1
add "lua: policies (coverage 90%)"

"$steward" test stdlib >"$log" 2>&1
add "lua: stdlib"

for t in tests/cli/*_test.sh; do
  [ -f "$t" ] || continue
  # A suite that hangs is stopped and counted a failure (no result line).
  STEWARD="$steward" timeout 1200 sh "$t" >"$log" 2>&1
  add "cli/$(basename "$t" .sh)"
done

# RUN_LABEL (one word) marks a partial total when several runs are summed.
echo "${RUN_LABEL:+$RUN_LABEL: }$passed passed, $failed failed"
[ "$failed" -eq 0 ]
