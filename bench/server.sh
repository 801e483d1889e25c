#!/usr/bin/env bash
# The mission server under load (issue 6): requests per second and p50/p99
# latency for the steps board, a page of findings and a monitor's report
# submission, on SQLite and on PostgreSQL, with the shared generator's 1M
# ACLED-layout events in the store. Load from wrk (Debian) on loopback.
#
#   bash bench/server.sh                           # both backends, 20 s per route
#   BACKENDS=sqlite DURATION=10s bash bench/server.sh
#
# Needs $PEERS_DATA/events.csv, rules.json and zones.geojson (bench/run.sh makes
# them with the shared gen.py). Results: $OUT/server-*.txt and a table on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
PEERS_DATA=${PEERS_DATA:-/tmp/peers-data}
OUT=${OUT:-/tmp/truce-bench}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
BACKENDS=${BACKENDS:-sqlite,postgres}
mkdir -p "$OUT"
for f in events.csv rules.json zones.geojson; do
  [ -f "$PEERS_DATA/$f" ] || { echo "error: $PEERS_DATA/$f is missing: run bench/run.sh (or the shared gen.py) first" >&2; exit 2; }
done
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
cargo build -q --release -p truce-cli -p truce-bench
truce="${CARGO_TARGET_DIR:-$REPO/target}/release/truce"
"${CARGO_TARGET_DIR:-$REPO/target}/release/truce-bench" agreement "$PEERS_DATA" > "$PEERS_DATA/server-agreement.toml"
agreement=$PEERS_DATA/server-agreement.toml

server_pid=""
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; server_pid=""; }
trap 'stop_server; [ -n "${pg_dir:-}" ] && bash scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true' EXIT

summary=$OUT/server-summary.md
echo "| backend | route | requests/s | p50 | p99 | errors |" > "$summary"
echo "|---|---|---:|---:|---:|---|" >> "$summary"

for backend in ${BACKENDS//,/ }; do
  case "$backend" in
    sqlite)
      db=$OUT/server.db; rm -f "$db" "$db-wal" "$db-shm" ;;
    postgres)
      pg_dir=${PG_DIR:-/tmp/truce-bench-postgres}
      url=$(bash scripts/postgres.sh start "$pg_dir")
      psql "$url" -qc "DROP DATABASE IF EXISTS truce_bench" -c "CREATE DATABASE truce_bench" >/dev/null
      db=${url%/*}/truce_bench ;;
    *) echo "error: unknown backend $backend" >&2; exit 2 ;;
  esac
  echo "== $backend: importing 1M events" >&2
  start=$(date +%s.%N)
  "$truce" import "$PEERS_DATA/events.csv" --db "$db" --format acled >/dev/null 2>"$OUT/server-import-$backend.log" || true
  import_s=$(echo "$(date +%s.%N) - $start" | bc)
  tail -1 "$OUT/server-import-$backend.log" >&2
  "$truce" users add admin --role mission-admin --agreement "$agreement" --db "$db" >/dev/null
  "$truce" users add monitor --role monitor --agreement "$agreement" --db "$db" >/dev/null
  admin=$("$truce" tokens create --user admin --db "$db" 2>/dev/null)
  monitor=$("$truce" tokens create --user monitor --db "$db" 2>/dev/null)
  start=$(date +%s.%N)
  TRUCE_RATE_LIMIT_PER_MINUTE=1000000000 TRUCE_LOG=warn \
    "$truce" serve --db "$db" --agreement "$agreement" --listen 127.0.0.1:0 2>"$OUT/server-$backend.log" &
  server_pid=$!
  address=$(server_address "$OUT/server-$backend.log")
  startup_s=$(echo "$(date +%s.%N) - $start" | bc)
  echo "== $backend: import ${import_s}s, server ready in ${startup_s}s (first check of the 1M events)" >&2
  echo "| $backend | (import of 1M events: ${import_s} s; server start with the first check: ${startup_s} s) | | | | |" >> "$summary"
  for route in steps findings reports; do
    case "$route" in
      steps) args=(-H "authorization: Bearer $admin" "http://$address/api/v1/steps") ;;
      findings) args=(-H "authorization: Bearer $admin" "http://$address/api/v1/findings?limit=100&party=government") ;;
      reports) args=(-H "authorization: Bearer $monitor" -s bench/wrk-report.lua "http://$address/api/v1/reports") ;;
    esac
    out=$OUT/server-$backend-$route.txt
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${args[@]}" > "$out"
    rps=$(awk '/Requests\/sec/ {print $2}' "$out")
    p50=$(awk '$1=="50%" {print $2}' "$out")
    p99=$(awk '$1=="99%" {print $2}' "$out")
    errors=$(grep -E "Non-2xx|Socket errors" "$out" | tr '\n' ' ' || true)
    echo "| $backend | $route | $rps | $p50 | $p99 | ${errors:-none} |" >> "$summary"
    echo "== $backend $route: $rps req/s, p50 $p50, p99 $p99 ${errors}" >&2
  done
  rss=$(ps -o rss= -p "$server_pid" | tr -d ' ')
  echo "| $backend | (server RSS after the load: $((rss / 1024)) MB) | | | | |" >> "$summary"
  stop_server
done
cat "$summary"
