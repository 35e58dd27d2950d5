#!/bin/sh
# Installs the Debian packages steward needs, or says how.
# Checks each with dpkg -s first so a repeat run costs nothing; installs
# only what is missing, and only as root. Usage: tools/deps.sh [PKG...]
set -u
pkgs="${*:-gcc make pkg-config liblua5.4-dev libluajit-5.1-dev libuv1-dev libcjson-dev libhttp-parser-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev libyaml-dev graphviz jq python3-jsonschema curl sqlite3 openssl prometheus}"
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
    echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
else
  echo "deps: missing packages:$missing" >&2
  echo "deps: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
