#!/usr/bin/env bash
# The dashboard end to end in a real browser (Debian's Chromium through
# playwright-core): builds the dashboard and truce, makes a store with the Syria
# example's real events and a liaison and an analyst, starts `truce serve` on
# loopback, and runs web/e2e/run.mjs against it; then measures frame times with
# 100,000 incidents on the map (web/e2e/frames.mjs). Screenshots and the frame
# times: web/e2e/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
bash scripts/web.sh
cargo build -q -p truce-cli -p truce-bench
truce="${CARGO_TARGET_DIR:-target}/debug/truce"
work=$(mktemp -d /tmp/truce-e2e.XXXXXX)
cp -r examples/syria-2016 "$work/ex"
agreement=$work/ex/agreement.toml
db=$work/mission.db
# The mission signs its ledger: a key, named in the agreement, and a checkpoint
# once the server has recorded the agreement (the public's bundle is verified).
mission_public=$("$truce" keys generate --name e2e-mission -o "$work/mission.key" 2>/dev/null)
printf '\n[ledger]\nmission_keys = ["%s"]\n' "$mission_public" >> "$agreement"
# A step still open on the last day of the evidence, which the steps board
# must mark at risk (the example's own steps ended in September 2016).
cat >> "$agreement" <<'STEP'

[[step]]
id = "calm-to-mid-january"
name = "A calm month from 20 December"
text = "Added by the browser test: thirty days from 20 Dec 2016 with at most 40 violations a day, still open when the evidence ends."
from = 2016-12-20
days = 30

  [[step.condition]]
  type = "max-violations-per-day"
  max = 40
  days = 30
STEP
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
# The address a started server says it listens on (its log), waiting up to $2 tenths of a second.
listening_on() {
  local log=$1 tries=$2 found=""
  for _ in $(seq 1 "$tries"); do
    found=$(grep -o 'listening on http://[0-9.:]*' "$log" | sed 's|listening on http://||' || true)
    [ -n "$found" ] && break
    sleep 0.1
  done
  echo "$found"
}
address=$(listening_on "$work/serve.log" 300)
[ -n "$address" ] || { echo "error: the server did not start" >&2; cat "$work/serve.log" >&2; exit 2; }
"$truce" ledger checkpoint "$agreement" --db "$db" --key "$work/mission.key" >/dev/null
# A first run: a store with an admin and no evidence yet; this server holds the
# mission's key, so the admin signs a checkpoint from the page.
"$truce" users add admin --role mission-admin --agreement "$agreement" --db "$work/empty.db" >/dev/null
empty_admin=$("$truce" tokens create --user admin --db "$work/empty.db" 2>/dev/null)
TRUCE_LOG=warn TRUCE_MISSION_KEY_FILE="$work/mission.key" "$truce" serve --db "$work/empty.db" --agreement "$agreement" --listen 127.0.0.1:0 2>"$work/serve-empty.log" &
empty_server=$!
trap 'kill "$server" "$empty_server" 2>/dev/null || true; wait "$server" "$empty_server" 2>/dev/null || true; rm -rf "$work"' EXIT
empty_address=$(listening_on "$work/serve-empty.log" 300)
[ -n "$empty_address" ] || { echo "error: the server of the empty store did not start" >&2; cat "$work/serve-empty.log" >&2; exit 2; }
TRUCE_BIN="$(cd "$(dirname "$truce")" && pwd)/$(basename "$truce")" TRUCE_MISSION_KEY="$mission_public" \
  node web/e2e/run.mjs "http://$address" "$liaison" "$analyst" "$monitor" "http://$empty_address" "$empty_admin"
kill "$server" "$empty_server" 2>/dev/null || true
wait "$server" "$empty_server" 2>/dev/null || true

# 100,000 incidents on the map: 24 copies of the real events (each moved about
# 3 km, so none merges with another), 102,192 incidents; frame times measured in
# the same browser while the map pans and zooms (web/e2e/frames.mjs).
"${CARGO_TARGET_DIR:-target}/debug/truce-bench" replicate "$work/ex/data/ged191_syria_2016.csv" 24 "$work/many.csv" 2>/dev/null
many=$work/many.db
"$truce" import "$work/many.csv" --db "$many" >/dev/null 2>&1
"$truce" users add analyst --role analyst --agreement "$agreement" --db "$many" >/dev/null
many_token=$("$truce" tokens create --user analyst --db "$many" 2>/dev/null)
TRUCE_LOG=warn "$truce" serve --db "$many" --agreement "$agreement" --listen 127.0.0.1:0 2>"$work/serve-many.log" &
server=$!
address=$(listening_on "$work/serve-many.log" 1200)
[ -n "$address" ] || { echo "error: the server with 100,000 incidents did not start" >&2; cat "$work/serve-many.log" >&2; exit 2; }
mkdir -p web/e2e/screenshots
node web/e2e/frames.mjs "http://$address" "$many_token" 6 100000 | tee web/e2e/screenshots/frames.json
