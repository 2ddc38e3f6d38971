#!/usr/bin/env bash
# Reference-data smoke check (CI): the real UK files imported through the CLI into a fresh database,
# then checked through the running product (chorus serve and its public JSON).
#
#   bash scripts/reference-data-smoke.sh ../shared/data/uk
#
# Uses a new temporary CHORUS_DATA_DIR (its own embedded PostgreSQL), removed at the end. Exits
# non-zero, saying which check failed, if anything is wrong. Works as root (PostgreSQL itself then
# runs unprivileged, see src/platform/db/embedded-postgres.ts).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: bash scripts/reference-data-smoke.sh <folder with the UK reference files>" >&2
  exit 2
fi
data="$(cd "$1" && pwd)"
cd "$(dirname "$0")/.."
# Node 24 from the project's own devDependency, as npm scripts use it.
export PATH="$PWD/node_modules/.bin:$PATH"

postcodes="$data/postcode.csv"
results="$data/HoC-GE2024-results-by-constituency.csv"
mps="$data/current-MPs-2026-04.csv"
hexes="$data/uk-constituencies-2024.hexjson"
for file in "$postcodes" "$results" "$mps" "$hexes"; do
  if [ ! -r "$file" ]; then
    echo "reference-data smoke: cannot read $file" >&2
    exit 1
  fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/chorus-smoke-XXXXXX")"
serve_pid=""

cleanup() {
  local status=$?
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  # Had the server died without stopping its embedded PostgreSQL, stop that too (fast shutdown).
  local pidfile="$work/data/postgres/postmaster.pid"
  if [ -f "$pidfile" ]; then
    local pg_pid
    pg_pid="$(head -n 1 "$pidfile")"
    if [ -n "$pg_pid" ] && kill -0 "$pg_pid" 2>/dev/null; then
      kill -INT "$pg_pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

unset DATABASE_URL
export CHORUS_DATA_DIR="$work/data" LOG_LEVEL=warn SERVE_WITH_WORKER=false HOST=127.0.0.1
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
export PORT
base="http://127.0.0.1:$PORT"
export BASE_URL="$base"
started=$SECONDS

# The server starts the fresh embedded PostgreSQL (and migrates it); the imports then use the same one.
node bin/chorus.js serve >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 240); do
  if ! kill -0 "$serve_pid" 2>/dev/null; then
    echo "reference-data smoke: chorus serve stopped during start-up:" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
  if node -e "fetch('$base/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then break; fi
  sleep 0.25
done

import_file() {
  local kind=$1 file=$2
  if ! node bin/chorus.js import "$kind" "$file" >"$work/$kind.out" 2>"$work/$kind.err"; then
    echo "reference-data smoke: chorus import $kind $file failed:" >&2
    cat "$work/$kind.err" "$work/$kind.out" >&2
    exit 1
  fi
  cat "$work/$kind.out"
}

echo "Importing the reference files into a fresh database ($CHORUS_DATA_DIR):"
import_file results "$results"
import_file mps "$mps"
import_file hexjson "$hexes"
import_file onspd "$postcodes"

echo "Checking through the running server ($base):"
tsx scripts/reference-data-smoke.ts "$base" "$postcodes" "$work"
echo "Reference-data smoke check passed in $((SECONDS - started)) s."
