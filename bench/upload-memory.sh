#!/usr/bin/env bash
# The server's memory while it imports uploads (issue 15): a 200 MB GED file
# that is one row (a 200 MB headline), and the real 2016 Syria GED file made
# 200 MB by repeating its rows under new ids, each sent to POST /api/v1/evidence
# on loopback. Reports the server's resident memory before, and its peak after
# (VmHWM from /proc), and the same for `truce import` of the same files.
#
#   bash bench/upload-memory.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
cargo build -q --release -p truce-cli
truce="${CARGO_TARGET_DIR:-$REPO/target}/release/truce"
work=$(mktemp -d /tmp/truce-upload.XXXXXX)
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
cp -r examples/syria-2016 "$work/ex"
ged=$work/ex/data/ged191_syria_2016.csv

# One row, 200 MB long: the first data row with its headline made 200 MB.
python3 - "$ged" "$work/one-line.csv" <<'PY'
import csv, sys
rows = csv.reader(open(sys.argv[1], encoding="utf-8"))
header = next(rows); row = next(rows)
row[header.index("source_headline")] = "x" * 200_000_000
out = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""))
out.writerow(header); out.writerow(row)
PY
# Many rows, 200 MB: the real rows again and again, each copy under new ids.
python3 - "$ged" "$work/many-rows.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
header, body = rows[0], rows[1:]
ident = header.index("id")
out = open(sys.argv[2], "w", encoding="utf-8", newline="")
writer = csv.writer(out)
writer.writerow(header)
copy = 0
while out.tell() < 200_000_000:
    copy += 1
    for row in body:
        row = list(row); row[ident] = f"{copy}{row[ident]}"
        writer.writerow(row)
PY

db=$work/mission.db
"$truce" import "$ged" --db "$db" >/dev/null 2>&1
"$truce" users add analyst --role analyst --agreement "$work/ex/agreement.toml" --db "$db" >/dev/null
token=$("$truce" tokens create --user analyst --db "$db" 2>/dev/null)
TRUCE_RATE_LIMIT_PER_MINUTE=1000000000 TRUCE_LOG=warn "$truce" serve --db "$db" \
  --agreement "$work/ex/agreement.toml" --listen 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
address=$(server_address "$work/serve.log" 20)
kib() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$server_pid/status"; }
# Let the server's start-up check finish before measuring.
sleep 5
echo "| file | size | server peak before | server peak after | truce import peak |"
echo "|---|---:|---:|---:|---:|"
for name in one-line many-rows; do
  file=$work/$name.csv
  size=$(( $(stat -c %s "$file") / 1000000 ))
  before=$(kib VmHWM)
  status=$(curl -s -o "$work/$name.json" -w '%{http_code}' -X POST \
    -H "authorization: Bearer $token" -H 'content-type: application/octet-stream' \
    --data-binary "@$file" "http://$address/api/v1/evidence?name=$name.csv")
  peak=$(kib VmHWM)
  /usr/bin/time -f '%M' -o "$work/time" "$truce" import "$file" --db "$work/cli-$name.db" >/dev/null 2>&1 || true
  cli=$(tail -1 "$work/time")
  echo "| $name (HTTP $status) | ${size} MB | ${before} MB | ${peak} MB | $(( cli / 1024 )) MB |"
done
