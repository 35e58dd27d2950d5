#!/bin/sh
# steward impact --base REF: the change set from git, on a temporary
# repository — the registry at REF against the working tree, from the
# repository root and from inside it, a JSON and a YAML file, and the
# errors (a ref that does not exist, a directory that is no repository,
# CHANGE and --base together).
. tests/cli/lib.sh

steward=$(cd "$(dirname "$STEWARD")" && pwd)/$(basename "$STEWARD")
repo=$tmp/repo
mkdir -p "$repo/gov/registry"
cp examples/registry/*.json "$repo/gov/registry/"
cat >"$repo/gov/registry/platform.yaml" <<'YAML'
# A YAML file beside the JSON ones: comments are welcome.
systems:
  sso:
    owner: it-ops
    type: identity
YAML
( cd "$repo" && git init -q && git config user.email ci@example.com &&
  git config user.name ci && git add . && git commit -qm base ) >/dev/null 2>&1
O="--now 2026-11-26"

# Nothing changed yet: clear, nothing touched.
run impact "$repo/gov/registry" --base HEAD $O --format json
expect_rc "an unchanged working tree exits 0" 0
expect_same "…and is clear" "$(jq -r '.verdict + " " + (.summary.touched | tostring)' "$tmp/out")" "clear 0"

# A model upgrade in the working tree, not committed: the pin goes stale.
sed -i 's/"version": "3.2.0"/"version": "4.0.0"/' "$repo/gov/registry/sales.json"
sed -i 's/"model": "lead-scorer", "version": "4.0.0"/"model": "lead-scorer", "version": "3.2.0"/' "$repo/gov/registry/sales.json"
run impact "$repo/gov/registry" --base HEAD $O --format json
expect_rc "a model upgrade exits 0 (review)" 0
expect_same "touched: the model's version" "$(jq -r '[.touched[] | "\(.id) \(.fields | join(","))"] | join("; ")' "$tmp/out")" \
  "lead-scorer /models/lead-scorer/version"
expect_same "new: the stale pin" "$(jq -r '[.findings.new[] | "\(.policy) \(.subject)"] | join("; ")' "$tmp/out")" \
  "debt.unpinned lead-qualification"
expect_same "review, named after the ref" "$(jq -r '.verdict + " | " + .change' "$tmp/out")" \
  "review | $repo/gov/registry (from HEAD to the working tree)"

# The same from inside the repository, with a relative path.
( cd "$repo/gov" && "$steward" impact registry --base HEAD $O --format json ) >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "from a subdirectory: exit 0" 0
expect_same "from a subdirectory: the same change" "$(jq -r '[.touched[].id] | join(" ")' "$tmp/out")" "lead-scorer"

# A YAML file changes: its node is touched.
sed -i 's/type: identity/type: sso/' "$repo/gov/registry/platform.yaml"
run impact "$repo/gov/registry" --base HEAD $O --format json
expect_same "a change in the YAML file is seen" "$(jq -r '[.touched[].id] | sort | join(" ")' "$tmp/out")" "lead-scorer sso"

# A committed change against its parent.
( cd "$repo" && git commit -qam upgrade ) >/dev/null 2>&1
run impact "$repo/gov/registry" --base HEAD~1 $O --format markdown
expect_rc "HEAD~1 to the working tree exits 0" 0
expect_out "the PR comment leads with the verdict" "steward impact: **review**"

# Errors.
run impact "$repo/gov/registry" --base no-such-ref $O
expect_rc "an unknown ref exits 2" 2
expect_err "it names the ref and the path" "no-such-ref:gov/registry: not in the repository at no-such-ref"
mkdir -p "$tmp/plain"
cp examples/registry/*.json "$tmp/plain/"
run impact "$tmp/plain" --base HEAD $O
expect_rc "a directory outside any repository exits 2" 2
expect_err "it says so" "not a git repository"
run impact "$repo/gov/registry" examples/changes/model-upgrade.json --base HEAD
expect_rc "CHANGE and --base together: usage error" 2
finish
