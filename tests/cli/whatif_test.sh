#!/bin/sh
# The what-if diff of `steward impact` must equal what two full `steward
# check` runs give, before and after the change, on registries it has never
# seen: generated ones (tools/genreg.c), changed both through a JSON Patch
# (for impact) and by editing the files (for the second check).
. tests/cli/lib.sh
GENREG=${GENREG:-build/genreg}
NOW="--now 2026-11-26"

# identities FILE [ARRAY]: the finding identity "policy|subject|path|key"
# of each finding in a JSON report's findings array (check's), or in
# impact's findings.new or findings.resolved, sorted. Parsed with jq.
identities() {
  jq -r "${2:-.findings}[] | [.policy, .subject, (.path // \"\"), .key] | join(\"|\")" "$1" | sort
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
  identities "$tmp/before.json" >"$tmp/b"
  identities "$tmp/after.json" >"$tmp/a"
  comm -13 "$tmp/b" "$tmp/a" >"$tmp/want.new"
  comm -23 "$tmp/b" "$tmp/a" >"$tmp/want.resolved"
  identities "$tmp/impact.json" .findings.new >"$tmp/got.new"
  identities "$tmp/impact.json" .findings.resolved >"$tmp/got.resolved"
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
