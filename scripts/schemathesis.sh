#!/usr/bin/env bash
# Fuzzes the server from its own OpenAPI document with schemathesis (from PyPI):
# builds truce, makes a store with the Syria example's real events, an admin and a
# monitor with tokens, starts `truce serve` on a free port, and runs schemathesis
# as the admin (every route open to it) but for revoking tokens (it would revoke
# its own). Results: docs/api-fuzzing.md.
#   bash scripts/schemathesis.sh [MAX_SECONDS]      (default 120)
set -euo pipefail
cd "$(dirname "$0")/.."
max_time="${1:-120}"
work="$(mktemp -d /tmp/truce-schemathesis.XXXXXX)"
venv="${TRUCE_SCHEMATHESIS_VENV:-target/schemathesis-venv}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis>=4,<5'
fi
cargo build -q -p truce-cli
truce="${CARGO_TARGET_DIR:-target}/debug/truce"
agreement=examples/syria-2016/agreement.toml
db="$work/mission.db"
"$truce" import examples/syria-2016/data/ged191_syria_2016.csv --db "$db" >/dev/null 2>&1
"$truce" users add admin --role mission-admin --agreement "$agreement" --db "$db" >/dev/null
"$truce" users add monitor --role monitor --agreement "$agreement" --db "$db" >/dev/null
token="$("$truce" tokens create --user admin --db "$db" 2>/dev/null)"
# Generous rate limit: schemathesis sends thousands of requests a minute.
TRUCE_RATE_LIMIT_PER_MINUTE=1000000 TRUCE_LOG=warn \
  "$truce" serve --db "$db" --agreement "$agreement" --listen 127.0.0.1:0 2>"$work/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
address=""
for _ in $(seq 1 200); do
  address="$(grep -o 'listening on http://[0-9.:]*' "$work/serve.log" | sed 's|listening on http://||' || true)"
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { echo "error: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 2; }
status=0
"$venv/bin/schemathesis" run "http://$address/openapi.json" \
  --header "authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --exclude-path "/api/v1/tokens/{id}" \
  --max-time "$max_time" --workers 2 --suppress-health-check all || status=$?
echo "schemathesis exit status: $status"
exit "$status"
