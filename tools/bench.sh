#!/bin/sh
# make bench: steward on a generated registry of about 200k nodes and 1M
# edges, each figure next to a baseline run in the same run (parsing the
# same JSON with cJSON and nothing else), so the ratios mean something on
# any machine. Usage: tools/bench.sh BUILD_DIR [NODES EDGES]
set -eu
build=$1
nodes=${2:-200000}
edges=${3:-1000000}
data=$build/bench/registry-$nodes
if [ ! -d "$data" ]; then
  mkdir -p "$data"
  "$build/genreg" "$data" "$nodes" "$edges" 7 2>"$build/bench/genreg.log"
fi
cat "$build/bench/genreg.log"
model=$(grep -o '"mdl-[0-9]*"' "$data/part-0000.json" | head -n 1 | tr -d '"')
printf '{"models":{"%s":{"version":"9.9.9"}}}\n' "$model" >"$build/bench/change.json"
empty=$build/bench/no-policies
mkdir -p "$empty"

# secs CMD...: wall seconds and peak RSS (KiB) of one run, as "S K".
secs() {
  /usr/bin/time -f '%e %M' -o "$build/bench/time" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$build/bench/time"
}

base=$(secs "$build/jsonparse" "$data")
load=$(secs ./steward check "$data" --no-builtin --policies "$empty")
check=$(secs ./steward check "$data")
impact=$(secs ./steward impact "$data" "$build/bench/change.json" --format json)
bytes=$(du -sk "$data" | cut -f1)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
row() {
  t=${2% *}; m=${2#* }
  printf '%-44s %7.2f s  %5sx baseline  %7d MiB  %4sx JSON size\n' "$1" "$t" \
    "$(ratio "$t" "${base% *}")" "$((m / 1024))" "$(ratio "$m" "$bytes")"
}
echo "registry: $data ($((bytes / 1024)) MiB of JSON)"
row "baseline: cJSON parse of the same files" "$base"
row "steward check, no policies (load + graph)" "$load"
row "steward check, built-in packs" "$check"
row "steward impact (model upgrade, what-if)" "$impact"
