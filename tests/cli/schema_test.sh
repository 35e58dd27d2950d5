#!/bin/sh
# docs/registry.schema.json against the registries steward accepts and
# rejects, validated with Debian's python3-jsonschema (Draft 2020-12):
# every registry file steward loads validates; a misspelled stage, wrong-typed
# known fields, unknown sections and the per-file errors of the fixtures are
# rejected at the same JSON Pointer steward names.
. tests/cli/lib.sh
SCHEMA=docs/registry.schema.json
FX=tests/fixtures/registry
# Debian's interpreter, not whichever python3 is first on PATH (pyenv).
PY=/usr/bin/python3

# No python3-jsonschema is a failure, never a skip.
if ! "$PY" -c 'import jsonschema; jsonschema.Draft202012Validator' \
    >"$tmp/out" 2>"$tmp/err"; then
  ko "python3-jsonschema" "$PY cannot import jsonschema.Draft202012Validator; install it: apt-get install -y python3-jsonschema (or: sh tools/deps.sh python3-jsonschema)"
  finish
  exit 1
fi

# validate FILE...: one line per file, "FILE: valid", or one line per error,
# 'FILE: at "POINTER": KEYWORD'; exit 0 all valid, 1 some invalid, 2 the
# schema or a file could not be read.
cat >"$tmp/validate.py" <<'EOF'
import json, sys
import jsonschema

def pointer(path):
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1")
                   for t in path)

try:
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    invalid = False
    for name in sys.argv[2:]:
        with open(name, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted((pointer(e.absolute_path), e.validator)
                        for e in validator.iter_errors(doc))
        if not errors:
            print("%s: valid" % name)
        for ptr, keyword in sorted(set(errors)):
            invalid = True
            print('%s: at "%s": %s' % (name, ptr, keyword))
except Exception as e:
    print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
    sys.exit(2)
sys.exit(1 if invalid else 0)
EOF

validate() {
  "$PY" "$tmp/validate.py" "$SCHEMA" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# expect_lines NAME TEXT: stdout is exactly these lines.
expect_lines() {
  printf '%s\n' "$2" >"$tmp/want"
  if cmp -s "$tmp/want" "$tmp/out"; then ok; else
    ko "$1" "output differs"; diff "$tmp/want" "$tmp/out" | sed 's/^/  /'; fi
}

# The schema itself: draft 2020-12, and a valid one.
validate
expect_rc "the schema passes Draft202012Validator.check_schema" 0
if grep -qF '"$schema": "https://json-schema.org/draft/2020-12/schema"' "$SCHEMA"
then ok; else ko "the schema declares draft 2020-12" "no \$schema line"; fi

# Every registry file steward loads is valid: each directory and single file
# among the examples and fixtures that `steward check` loads (strictly: no
# --keep-going, so every reference resolves).
run check examples/registry --no-builtin
expect_rc "steward loads examples/registry" 0
run check $FX/ok --no-builtin
expect_rc "steward loads $FX/ok" 0
loaded=0
for c in examples/registry $FX/ok $FX/dup-dir $FX/*.json \
         tests/cli/fixtures/*.json tests/cli/fixtures/dupdir \
         tests/cli/fixtures/impact/*.json; do
  run check "$c" --no-builtin
  [ "$rc" -eq 0 ] || continue
  if [ -d "$c" ]; then files=$(ls "$c"/*.json); else files=$c; fi
  for f in $files; do
    loaded=$((loaded + 1))
    validate "$f"
    expect_rc "$f validates" 0
    expect_lines "$f is valid" "$f: valid"
  done
done
if [ "$loaded" -ge 8 ]; then ok; else
  ko "registry files found" "only $loaded files that steward loads"; fi

# A misspelled stage: rejected by the schema and by steward, at one pointer.
cat >"$tmp/stage.json" <<'EOF'
{
  "owners": { "maria.chen": {} },
  "workflows": {
    "intake": { "owner": "maria.chen", "stage": "deploymnet" }
  }
}
EOF
validate "$tmp/stage.json"
expect_rc "misspelled stage is invalid" 1
expect_lines "misspelled stage: an enum error at the stage" \
  "$tmp/stage.json: at \"/workflows/intake/stage\": enum"
run check "$tmp/stage.json" --no-builtin
expect_rc "steward rejects the misspelled stage" 2
expect_err "steward names the same pointer" \
  "/workflows/intake/stage: unknown stage 'deploymnet'"

# Wrong-typed known fields: a count as a string, a version as a number.
cat >"$tmp/types.json" <<'EOF'
{
  "models": { "scorer": { "version": 3.2 } },
  "workflows": {
    "intake": { "uses": ["scorer"], "volume": { "cases_per_month": "4200" } }
  }
}
EOF
validate "$tmp/types.json"
expect_rc "wrong-typed fields are invalid" 1
expect_lines "wrong-typed fields: a type error at each" \
  "$tmp/types.json: at \"/models/scorer/version\": type
$tmp/types.json: at \"/workflows/intake/volume/cases_per_month\": type"
run check "$tmp/types.json" --no-builtin
expect_rc "steward rejects the wrong type" 2
expect_err "steward names the first of them" \
  "/models/scorer/version: expected a string, found a number"

# The fields of the measurement, latency, mapping, change and review
# policies are typed in both: an enum for baseline.better, a boolean, a
# number and dates.
cat >"$tmp/fields15.json" <<'EOF'
{
  "workflows": {
    "intake": {
      "baseline": { "metric": "x", "better": "up" },
      "latency": { "required_ms": "fast" },
      "outcome": { "metric": 7 },
      "review": { "at": "last week" },
      "process": { "mapping": { "documented": "yes", "mapped_at": "2026-01-10" },
                   "change": { "validated_with_users": true, "lead": 3 } }
    }
  }
}
EOF
validate "$tmp/fields15.json"
expect_rc "wrong-typed new fields are invalid" 1
expect_lines "wrong-typed new fields: an error at each" \
  "$tmp/fields15.json: at \"/workflows/intake/baseline/better\": enum
$tmp/fields15.json: at \"/workflows/intake/latency/required_ms\": type
$tmp/fields15.json: at \"/workflows/intake/outcome/metric\": type
$tmp/fields15.json: at \"/workflows/intake/process/change/lead\": type
$tmp/fields15.json: at \"/workflows/intake/process/mapping/documented\": type
$tmp/fields15.json: at \"/workflows/intake/review/at\": pattern"
run check "$tmp/fields15.json" --no-builtin
expect_rc "steward rejects them too" 2
expect_err "steward names the first of them" \
  "/workflows/intake/baseline/better: expected \"higher\" or \"lower\", found a string"
sed -e 's/"up"/"lower"/; s/"fast"/250/; s/"metric": 7/"metric": "win_rate"/' \
    -e 's/"last week"/"2026-06-01"/; s/"yes"/true/; s/"lead": 3/"lead": "li.wei"/' \
    "$tmp/fields15.json" >"$tmp/fields15-ok.json"
validate "$tmp/fields15-ok.json"
expect_lines "the same fields well typed are valid" "$tmp/fields15-ok.json: valid"
run check "$tmp/fields15-ok.json" --no-builtin
expect_rc "steward loads them" 0

# The lineage fields (issue 13): an OpenLineage identity on workflows,
# datasets and models, and a model's name in MLflow, typed in both.
cat >"$tmp/lineage.json" <<'EOF'
{
  "datasets": { "crm.leads": { "openlineage": { "namespace": 5, "name": "crm.public.leads" } } },
  "models": { "scorer": { "mlflow_name": ["LeadScorer"] } },
  "workflows": { "intake": { "openlineage": "airflow/intake" } }
}
EOF
validate "$tmp/lineage.json"
expect_rc "wrong-typed lineage fields are invalid" 1
expect_lines "wrong-typed lineage fields: an error at each" \
  "$tmp/lineage.json: at \"/datasets/crm.leads/openlineage/namespace\": type
$tmp/lineage.json: at \"/models/scorer/mlflow_name\": type
$tmp/lineage.json: at \"/workflows/intake/openlineage\": type"
run check "$tmp/lineage.json" --no-builtin
expect_rc "steward rejects them too" 2
expect_err "steward names the first of them" \
  "/datasets/crm.leads/openlineage/namespace: expected a string, found a number"
sed -e 's|"namespace": 5|"namespace": "postgres://crm-db:5432"|' \
    -e 's|\["LeadScorer"\]|"LeadScorer"|' \
    -e 's|"airflow/intake"|{ "namespace": "airflow", "name": "sales.intake" }|' \
    "$tmp/lineage.json" >"$tmp/lineage-ok.json"
validate "$tmp/lineage-ok.json"
expect_lines "the same fields well typed are valid" "$tmp/lineage-ok.json: valid"
run check "$tmp/lineage-ok.json" --no-builtin
expect_rc "steward loads them" 0

# A waiver without expires.
cat >"$tmp/waiver.json" <<'EOF'
{
  "workflows": { "intake": {} },
  "waivers": {
    "w1": { "policy": "governance.owner", "subject": "intake", "reason": "pilot" }
  }
}
EOF
validate "$tmp/waiver.json"
expect_lines "a waiver needs expires" "$tmp/waiver.json: at \"/waivers/w1\": required"
run check "$tmp/waiver.json" --no-builtin
expect_err "steward rejects it at the waiver" \
  "/waivers/w1: a waiver needs policy, subject, reason and expires"

# Extensions: metadata at the top ($…, x-…), any other field on an entry,
# extra members in a uses entry, null for known fields.
cat >"$tmp/ext.json" <<'EOF'
{
  "$schema": "../docs/registry.schema.json",
  "$comment": "exported nightly",
  "x-generated-by": { "tool": "cmdb-export", "run": 42 },
  "owners": { "ml-platform": { "pager": "pagerduty:ml", "members": ["a", "b"] } },
  "models": {
    "scorer": { "owner": "ml-platform", "version": "1.0", "x-cost-centre": "CC-7",
                "input_schema": { "crm.leads": "5" }, "notes": null }
  },
  "workflows": {
    "intake": {
      "stage": null, "deployed_at": "2026-02-01T09:30:00+01:00",
      "uses": ["scorer", { "model": "scorer", "version": null, "note": "pinned later" }],
      "monitoring": { "metric": "accuracy", "direction": "above", "dashboard": "grafana/7" },
      "risk_tier": 2
    }
  }
}
EOF
validate "$tmp/ext.json"
expect_lines "extension fields are valid" "$tmp/ext.json: valid"
run check "$tmp/ext.json" --no-builtin
expect_rc "steward loads the extension fields too" 0

# Unknown top-level sections are rejected; so is the singular of a section.
printf '{ "workflow": { "intake": {} }, "x-ok": 1 }\n' >"$tmp/section.json"
validate "$tmp/section.json"
expect_lines "an unknown section is invalid at the top" \
  "$tmp/section.json: at \"\": additionalProperties"
run check "$tmp/section.json" --no-builtin
expect_err "steward rejects the unknown section" "/workflow: unknown section"

# The per-file errors of the fixtures steward rejects: the schema rejects
# them at the pointer steward reports (the whole file for top-level errors).
while read -r file ptr keyword; do
  [ "$ptr" = '-' ] && ptr=''
  validate "$FX/$file"
  expect_lines "$file rejected at '$ptr'" "$FX/$file: at \"$ptr\": $keyword"
  run check "$FX/$file" --no-builtin
  expect_rc "steward rejects $file" 2
  if [ -n "$ptr" ]; then expect_err "steward names $ptr in $file" "$ptr: "; fi
done <<'EOF'
bad-stage.json /workflows/intake/stage enum
reads-string.json /workflows/intake/reads type
uses-shape.json /workflows/intake/uses/1 anyOf
volume-string.json /workflows/intake/volume/cases_per_month type
entry-not-object.json /models/lead-scorer type
section-not-object.json /models type
unknown-section.json - additionalProperties
array.json - type
EOF

# The impact report's schema (docs/impact.schema.json): each example change
# set's JSON validates, and a report with an unknown reach does not.
SCHEMA=docs/impact.schema.json
validate
expect_rc "the impact schema passes check_schema" 0
for c in model-upgrade schema-bump harmless-edit; do
  "$STEWARD" impact examples/registry "examples/changes/$c.json" \
    --observations examples/observations.jsonl --now 2026-11-26 --format json \
    >"$tmp/impact-$c.json"
  validate "$tmp/impact-$c.json"
  expect_rc "impact of $c validates against docs/impact.schema.json" 0
done
jq '.affected[0].reach = "maybe"' "$tmp/impact-schema-bump.json" >"$tmp/impact-bad.json"
validate "$tmp/impact-bad.json"
expect_lines "an unknown reach is rejected" "$tmp/impact-bad.json: at \"/affected/0/reach\": enum"

finish
