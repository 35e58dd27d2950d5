#!/bin/sh
# The what-if diff of `steward impact` must equal what two full `steward
# check` runs give, before and after the change, on registries it has never
# seen: generated ones (tools/genreg.c), changed both through a JSON Patch
# (for impact) and by editing the files (for the second check).
. tests/cli/lib.sh
GENREG=${GENREG:-build/genreg}
NOW="--now 2026-11-26"

# triples FILE: "policy|subject|key-or-message" of each finding of a JSON
# report (from a findings array: check's, or impact's new or resolved).
triples() {
  awk '
    /"policy":/  { p = $0; sub(/^[^:]*:[ \t]*"/, "", p); sub(/",?$/, "", p) }
    /"subject":/ { s = $0; sub(/^[^:]*:[ \t]*"/, "", s); sub(/",?$/, "", s) }
    /"message":/ { m = $0; sub(/^[^:]*:[ \t]*"/, "", m); sub(/",?$/, "", m); k = "" }
    /"key":/     { k = $0; sub(/^[^:]*:[ \t]*"/, "", k); sub(/",?$/, "", k) }
    /^\t*}/ && p != "" { print p "|" s "|" (k != "" ? k : m); p = ""; k = "" }
  ' "$1" | sort
}

# section NAME: lines of impact's findings.NAME array.
section() {
  sed -n "/^		\"$1\":/,/^		\"/p" "$tmp/impact.json" | sed '$d' >"$tmp/$1.part"
}

# check_change NAME SEED PATCH SED_LINE_PATTERN SED_EXPR
check_change() {
  name=$1 seed=$2 patch=$3 pattern=$4 expr=$5
  dir=$tmp/$name
  rm -rf "$dir" "$dir.after"
  "$GENREG" "$dir" 3000 12000 "$seed" 2>/dev/null
  cp -R "$dir" "$dir.after"
  sed -i "/$pattern/ $expr" "$dir.after/part-0000.json"
  printf '%s\n' "$patch" >"$tmp/$name.patch.json"
  "$STEWARD" check "$dir" $NOW --format json >"$tmp/before.json" 2>/dev/null
  "$STEWARD" check "$dir.after" $NOW --format json >"$tmp/after.json" 2>/dev/null
  "$STEWARD" impact "$dir" "$tmp/$name.patch.json" $NOW --format json \
    >"$tmp/impact.json" 2>"$tmp/err"
  triples "$tmp/before.json" >"$tmp/b"
  triples "$tmp/after.json" >"$tmp/a"
  comm -13 "$tmp/b" "$tmp/a" >"$tmp/want.new"
  comm -23 "$tmp/b" "$tmp/a" >"$tmp/want.resolved"
  section new; section resolved
  triples "$tmp/new.part" >"$tmp/got.new"
  triples "$tmp/resolved.part" >"$tmp/got.resolved"
  if [ ! -s "$tmp/want.new" ] && [ ! -s "$tmp/want.resolved" ]; then
    ko "$name" "the change altered no finding: it tests nothing"
  elif cmp -s "$tmp/want.new" "$tmp/got.new" &&
       cmp -s "$tmp/want.resolved" "$tmp/got.resolved"; then
    ok
  else
    ko "$name" "impact's diff differs from two checks"
    diff "$tmp/want.new" "$tmp/got.new" | sed 's/^/  new /' | head -10
    diff "$tmp/want.resolved" "$tmp/got.resolved" | sed 's/^/  resolved /' | head -10
  fi
}

# A model's version moves: pins elsewhere stop matching.
check_change model-version 11 \
  '[{"op":"replace","path":"/models/mdl-000010/version","value":"9.9.9"}]' \
  '^"mdl-000010":' 's/"version":"[^"]*"/"version":"9.9.9"/'
# A dataset's schema moves: models expecting the old one mismatch.
check_change schema-version 12 \
  '[{"op":"replace","path":"/datasets/ds-000020/schema_version","value":"99"}]' \
  '^"ds-000020":' 's/"schema_version":"[^"]*"/"schema_version":"99"/'
# A workflow loses its owner: governance, sequencing and more react.
check_change owner-removed 13 \
  '[{"op":"remove","path":"/workflows/wf-000300/owner"}]' \
  '^"wf-000300":' 's/"owner":"[^"]*",//'
# A workflow is pushed to scaling: sequencing gates react.
check_change stage-scaling 14 \
  '[{"op":"replace","path":"/workflows/wf-000400/stage","value":"scaling"}]' \
  '^"wf-000400":' 's/"stage":"[^"]*"/"stage":"scaling"/'

finish
