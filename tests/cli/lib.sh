# Helpers for the end-to-end CLI tests; sourced by tests/cli/*_test.sh.
# Each test runs steward, then checks its exit code and output exactly.
#   run ARGS...            runs $STEWARD ARGS, keeping rc, out and err
#   expect_rc NAME N       the exit code was N
#   expect_out NAME TEXT   stdout contains TEXT (a fixed string)
#   expect_err NAME TEXT   stderr contains TEXT
#   expect_err_is NAME LINE  stderr's first line is exactly LINE
#   finish                 prints RESULT passed=N failed=M
STEWARD=${STEWARD:-./steward}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {
  "$STEWARD" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

ok() { pass=$((pass + 1)); }
ko() {
  fail=$((fail + 1))
  echo "FAIL $1: $2"
  [ -f "$tmp/out" ] && echo "  stdout: $(head -c 600 "$tmp/out")"
  [ -f "$tmp/err" ] && echo "  stderr: $(head -c 600 "$tmp/err")"
  return 0
}

expect_rc() { if [ "$rc" -eq "$2" ]; then ok; else ko "$1" "exit $rc, expected $2"; fi; }
expect_out() { if grep -qF -- "$2" "$tmp/out"; then ok; else ko "$1" "stdout lacks '$2'"; fi; }
expect_no_out() { if grep -qF -- "$2" "$tmp/out"; then ko "$1" "stdout has '$2'"; else ok; fi; }
expect_err() { if grep -qF -- "$2" "$tmp/err"; then ok; else ko "$1" "stderr lacks '$2'"; fi; }
expect_err_is() {
  first=$(head -n 1 "$tmp/err")
  if [ "$first" = "$2" ]; then ok; else ko "$1" "stderr is '$first', expected '$2'"; fi
}

# The findings of a JSON report as sorted "policy subject path" lines (a
# null path prints as "null"), parsed with jq.
findings() {
  jq -r '.findings[] | "\(.policy) \(.subject) \(.path)"' "$tmp/out" | sort
}

# expect_same NAME GOT WANT: two strings are equal.
expect_same() {
  if [ "$2" = "$3" ]; then ok; else ko "$1" "got '$2', expected '$3'"; fi
}

expect_findings() {
  printf '%s\n' "$2" | sort >"$tmp/want"
  findings >"$tmp/got"
  if cmp -s "$tmp/want" "$tmp/got"; then ok; else
    ko "$1" "findings differ"; diff "$tmp/want" "$tmp/got" | sed 's/^/  /'; fi
}

finish() { echo "RESULT passed=$pass failed=$fail"; }
