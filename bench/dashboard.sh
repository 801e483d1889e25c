#!/usr/bin/env bash
# The dashboard's map with 100,000 incidents: the store holds the shared
# generator's 1M ACLED-layout events (bench/run.sh makes them), the check's
# agreement (truce-bench agreement) finds several hundred thousand incidents, and
# the map endpoint gives the first 100,000. Frame times are measured in Chromium
# while the map pans and zooms (web/e2e/frames.mjs). Results on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
PEERS_DATA=${PEERS_DATA:-/tmp/peers-data}
OUT=${OUT:-/tmp/truce-bench}
mkdir -p "$OUT"
[ -f "$PEERS_DATA/events.csv" ] || { echo "error: $PEERS_DATA/events.csv is missing: run bench/run.sh first" >&2; exit 2; }
bash scripts/web.sh
cargo build -q --release -p truce-cli -p truce-bench
target=${CARGO_TARGET_DIR:-$REPO/target}
truce=$target/release/truce
"$target/release/truce-bench" agreement "$PEERS_DATA" > "$PEERS_DATA/server-agreement.toml"
db=$OUT/dashboard.db
if [ ! -f "$db" ]; then
  "$truce" import "$PEERS_DATA/events.csv" --db "$db" --format acled >/dev/null 2>&1 || true
  "$truce" users add analyst --role analyst --agreement "$PEERS_DATA/server-agreement.toml" --db "$db" >/dev/null
fi
token=$("$truce" tokens create --user analyst --db "$db" 2>/dev/null)
TRUCE_LOG=warn "$truce" serve --db "$db" --agreement "$PEERS_DATA/server-agreement.toml" --listen 127.0.0.1:0 2>"$OUT/dashboard-serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
address=$(server_address "$OUT/dashboard-serve.log")
node web/e2e/frames.mjs "http://$address" "$token" "${SECONDS_OF_MOTION:-6}"
