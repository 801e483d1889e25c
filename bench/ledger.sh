#!/usr/bin/env bash
# The ledger at scale: a store whose ledger holds N records (default 1,000,000), then
# the mission's checkpoint over it, the bundle export, `truce ledger verify` and
# `replay` of the bundle, and one inclusion proof made and checked — each timed with
# its peak memory (GNU time). The first records are real (the Syria example: an
# agreement version, an import run, a check run); the rest are synthetic import-run
# records written straight into the store's ledger table with their RFC 9162 leaf
# hashes (canonical JSON: sorted keys, no blanks, as RFC 8785 writes these values).
#
#   bash bench/ledger.sh            # N=1000000
#   N=100000 bash bench/ledger.sh
# Needs target/release/truce (cargo build --release -p truce-cli) and python3.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-1000000}
OUT=${OUT:-/tmp/truce-ledger-bench}
T=$REPO/target/release/truce
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT"
cp -r "$REPO/examples/syria-2016" ex
M=$($T keys generate --name task-force -o mission.key 2>/dev/null)
printf '\n[ledger]\norigin = "task-force.example/syria-2016"\nmission_keys = ["%s"]\n' "$M" >> ex/agreement.toml
$T import ex/data/ged191_syria_2016.csv --db s.db 2>/dev/null
$T check ex/agreement.toml --record --db s.db --as-of 2016-12-31 >/dev/null 2>&1 || true
python3 - "$N" <<'PY'
import hashlib, json, sqlite3, sys
n = int(sys.argv[1])
db = sqlite3.connect("s.db")
start = db.execute("SELECT COUNT(*) FROM ledger").fetchone()[0]
rows = []
for i in range(start, n):
    record = {"type": "import-run", "at": "2026-11-25T00:00:00Z", "run": i + 1000,
              "file": f"monitors-{i}.csv", "file_sha256": hashlib.sha256(str(i).encode()).hexdigest(),
              "size": 1000 + i % 997, "format": "acled", "started": "2026-11-25T00:00:00Z",
              "read": 10, "stored": 10, "duplicates": 0, "revised": 0, "quarantined": 0,
              "skipped": 0, "reasons": []}
    data = json.dumps(record, sort_keys=True, separators=(",", ":")).encode()
    rows.append((i, "import-run", data, hashlib.sha256(b"\x00" + data).digest(), "2026-11-25T00:00:00Z"))
    if len(rows) == 100000:
        db.executemany("INSERT INTO ledger (idx, kind, record, leaf_hash, recorded) VALUES (?,?,?,?,?)", rows)
        rows = []
db.executemany("INSERT INTO ledger (idx, kind, record, leaf_hash, recorded) VALUES (?,?,?,?,?)", rows)
db.commit()
print(f"ledger: {db.execute('SELECT COUNT(*) FROM ledger').fetchone()[0]} records")
PY
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o time.txt "$@" > out.txt 2> err.txt || true
  read -r secs kb < time.txt
  printf '{"job": "%s", "total_s": %s, "peak_rss_mb": %d}\n' "$label" "$secs" $((kb / 1024))
}
timed checkpoint $T ledger checkpoint ex/agreement.toml --db s.db --key mission.key
timed export $T ledger export ex/agreement.toml --db s.db -o bundle
timed verify $T ledger verify bundle --key "$M"
tail -1 out.txt >&2
timed replay $T ledger replay bundle
tail -1 out.txt >&2
timed prove $T ledger prove bundle $((N / 2))
cp out.txt proof.json
timed check-proof $T ledger check-proof proof.json --key "$M"
tail -1 out.txt >&2
du -sh bundle/log.jsonl >&2
