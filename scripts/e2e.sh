#!/usr/bin/env bash
# The dashboard end to end in a real browser (Debian's Chromium through
# playwright-core): builds the dashboard and truce, makes a store with the Syria
# example's real events and a liaison and an analyst, starts `truce serve` on
# loopback, and runs web/e2e/run.mjs against it. Screenshots: web/e2e/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
bash scripts/web.sh
cargo build -q -p truce-cli
truce="${CARGO_TARGET_DIR:-target}/debug/truce"
work=$(mktemp -d /tmp/truce-e2e.XXXXXX)
cp -r examples/syria-2016 "$work/ex"
agreement=$work/ex/agreement.toml
db=$work/mission.db
"$truce" import "$work/ex/data/ged191_syria_2016.csv" --db "$db" >/dev/null 2>&1
"$truce" users add liaison --role party-liaison --party russia --agreement "$agreement" --db "$db" >/dev/null
"$truce" users add analyst --role analyst --agreement "$agreement" --db "$db" >/dev/null
"$truce" users add monitor --role monitor --agreement "$agreement" --db "$db" >/dev/null
echo "opposition liaison passphrase" | "$truce" users add opposition-liaison --role party-liaison --party opposition \
  --password-stdin --agreement "$agreement" --db "$db" >/dev/null
liaison=$("$truce" tokens create --user liaison --db "$db" 2>/dev/null)
analyst=$("$truce" tokens create --user analyst --db "$db" 2>/dev/null)
monitor=$("$truce" tokens create --user monitor --db "$db" 2>/dev/null)
TRUCE_LOG=warn "$truce" serve --db "$db" --agreement "$agreement" --listen 127.0.0.1:0 2>"$work/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
address=""
for _ in $(seq 1 300); do
  address=$(grep -o 'listening on http://[0-9.:]*' "$work/serve.log" | sed 's|listening on http://||' || true)
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { echo "error: the server did not start" >&2; cat "$work/serve.log" >&2; exit 2; }
node web/e2e/run.mjs "http://$address" "$liaison" "$analyst" "$monitor"
