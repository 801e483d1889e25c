#!/usr/bin/env bash
# Login and token-secret guessing against the mission server (issue 15), on
# loopback, with the real Syria example in a SQLite store: what the attacker is
# answered, how much CPU the server spends, and what normal traffic's latency
# does meanwhile. Load from wrk (Debian).
#
#   bash bench/login-abuse.sh                 # 15 s per phase
#   DURATION=5s bash bench/login-abuse.sh
#
# Results: $OUT/abuse-*.txt and a table on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
OUT=${OUT:-/tmp/truce-bench}
DURATION=${DURATION:-15s}
mkdir -p "$OUT"
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
cargo build -q --release -p truce-cli
truce="${CARGO_TARGET_DIR:-$REPO/target}/release/truce"
work=$(mktemp -d /tmp/truce-abuse.XXXXXX)
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
cp -r examples/syria-2016 "$work/ex"
db=$work/mission.db
"$truce" import "$work/ex/data/ged191_syria_2016.csv" --db "$db" >/dev/null 2>&1
echo "the right passphrase" | "$truce" users add analyst --role analyst --password-stdin \
  --agreement "$work/ex/agreement.toml" --db "$db" >/dev/null
token=$("$truce" tokens create --user analyst --db "$db" 2>/dev/null)
lookup=$(echo "$token" | cut -d_ -f2)
# Attacker and users share 127.0.0.1 here: the per-address allowance of every
# request is raised so that what is measured is the login and token limits.
TRUCE_RATE_LIMIT_PER_MINUTE=1000000000 TRUCE_LOG=warn "$truce" serve --db "$db" --agreement "$work/ex/agreement.toml" \
  --listen 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
address=$(server_address "$work/serve.log" 20)
url=http://$address

# CPU seconds the server has used (user + system), from /proc.
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$server_pid/stat"; }
# p50 and p99 latency and requests/s from a `wrk --latency` report.
figures() {
  local file=$1
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ { print $2 }' "$file")
  p50=$(awk '$1 == "50%" { print $2 }' "$file")
  p99=$(awk '$1 == "99%" { print $2 }' "$file")
  echo "$rps | $p50 | $p99"
}
normal() {
  wrk -t1 -c8 -d"$DURATION" --latency -H "authorization: Bearer $token" "$url/api/v1/steps" > "$1"
}

echo "| phase | normal traffic: requests/s | p50 | p99 | attacker's answers | server CPU s |"
echo "|---|---:|---:|---:|---|---:|"
before=$(cpu)
normal "$OUT/abuse-alone.txt"
echo "| steps board alone | $(figures "$OUT/abuse-alone.txt") | — | $(echo "$(cpu) - $before" | bc) |"

for mode in login token; do
  before=$(cpu)
  ABUSE=$mode LOOKUP=$lookup wrk -t1 -c8 -d"$DURATION" -s bench/wrk-abuse.lua "$url" > "$OUT/abuse-$mode.txt" &
  attacker=$!
  normal "$OUT/abuse-normal-$mode.txt"
  wait "$attacker"
  answers=$(grep '^answers:' "$OUT/abuse-$mode.txt" | sed 's/answers: //')
  attempts=$(awk '/requests in/ { print $1 }' "$OUT/abuse-$mode.txt")
  echo "| with $mode guessing ($attempts tries) | $(figures "$OUT/abuse-normal-$mode.txt") | $answers | $(echo "$(cpu) - $before" | bc) |"
done
# The right password, right after the flood: refused while the account backs off.
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
  -d '{"name":"analyst","password":"the right passphrase"}' "$url/api/v1/login")
echo
echo "the right password right after the flood: HTTP $status (429 while the account backs off)"
