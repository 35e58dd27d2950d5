#!/bin/sh
# Sums the "LABEL: N passed, N failed" lines of a make test log into the
# closing line, and fails when anything failed.
set -u
awk '/^[a-z0-9.]+: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
     END { printf "%d passed, %d failed\n", p, f; exit (f > 0) }' "$1"
