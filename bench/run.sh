#!/usr/bin/env bash
# truce vs the peer benchmarks (W2 point-in-zone, W3 daily counts and longest
# calm run, and the whole check of 1M events), round-robin in one session.
#
#   bash bench/run.sh                      # 5 runs of every W2 peer + truce
#   RUNS=3 PEERS=geopandas,shapely,duckdb,truce bash bench/run.sh
#
# Steps (each skipped when already done):
#   1. set up the peers' environment with the shared setup.sh (apt: PostgreSQL
#      + PostGIS, 2 Python venvs; needs root) unless $PEERS_ENV/venv exists or
#      PEERS_SKIP_SETUP=1;
#   2. generate the inputs with the shared gen.py + prep.py unless
#      $PEERS_DATA has them (events.csv, zones.geojson, events.parquet, ...);
#   3. build truce-bench (release);
#   4. start the private PostgreSQL (pg_ctl.sh) and load its `ev` table (the
#      PostGIS W1 job, untimed here) when a PostGIS peer is selected;
#   5. write truce's jobs to $OUT/jobs.jsonl and run the shared
#      `bench.py --runs $RUNS --only W2 --extra $OUT/jobs.jsonl` (results are
#      appended to $PEERS_DATA/results.jsonl), then `summarize.py --since`
#      the start of this run, into $OUT/summary.md.
#
# Environment: PEERS_DIR (default: ../shared/bench/peers beside the repo),
# PEERS_ENV (/tmp/peers-env), PEERS_DATA (/tmp/peers-data), OUT
# (/tmp/truce-bench), RUNS (5), PEERS (comma-separated label substrings for
# bench.py --peers; default every W2 peer and truce), JOBS (cargo -j, 2),
# PEERS_SKIP_SETUP=1, PG_STOP=1 (stop PostgreSQL at the end).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PEERS_DIR=${PEERS_DIR:-$(cd "$REPO/.." && pwd)/shared/bench/peers}
export PEERS_ENV=${PEERS_ENV:-/tmp/peers-env}
export PEERS_DATA=${PEERS_DATA:-/tmp/peers-data}
OUT=${OUT:-/tmp/truce-bench}
RUNS=${RUNS:-5}
PEERS=${PEERS:-csv,geopandas,shapely,polars,duckdb,postgis,pandas,truce}
ONLY=${ONLY:-W1,W1store,W2,W3,W4,check}
PY=$PEERS_ENV/venv/bin/python
mkdir -p "$OUT"
[ -f "$PEERS_DIR/bench.py" ] || { echo "no peer benchmarks at $PEERS_DIR (set PEERS_DIR)" >&2; exit 1; }

# 1. peers' environment
if [ ! -x "$PY" ]; then
  if [ "${PEERS_SKIP_SETUP:-0}" = 1 ]; then
    echo "PEERS_SKIP_SETUP=1 but $PY is missing" >&2; exit 1
  fi
  echo "== setting up the peers in $PEERS_ENV (shared setup.sh)"
  PEERS_ENV=$PEERS_ENV bash "$PEERS_DIR/setup.sh"
fi

# 2. inputs
need_gen=0
for f in events.csv zones.geojson rules.json; do [ -s "$PEERS_DATA/$f" ] || need_gen=1; done
if [ $need_gen = 1 ]; then
  echo "== generating inputs in $PEERS_DATA (gen.py)"
  (cd "$PEERS_DIR" && "$PY" gen.py --out "$PEERS_DATA")
fi
need_prep=0
for f in events.parquet matches.parquet zones_pg.tsv; do [ -s "$PEERS_DATA/$f" ] || need_prep=1; done
if [ $need_gen = 1 ] || [ $need_prep = 1 ]; then
  echo "== preparing inputs (prep.py)"
  (cd "$PEERS_DIR" && "$PY" prep.py)
fi

# 3. truce-bench
echo "== building truce-bench (release)"
(cd "$REPO" && cargo build --release -p truce-bench -p truce-cli -j "${JOBS:-2}" -q)
TARGET_DIR=$(cd "$REPO" && cargo metadata --format-version 1 --no-deps | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
BIN=$TARGET_DIR/release/truce-bench
[ -x "$BIN" ] || { echo "no $BIN" >&2; exit 1; }

# 4. PostgreSQL for the PostGIS peers (their W2 reads the `ev` table that W1 makes)
case ",$PEERS," in
*postgis*)
  echo "== starting PostgreSQL + PostGIS (pg_ctl.sh) and loading ev (PostGIS W1, untimed here)"
  if ! bash "$PEERS_DIR/pg_ctl.sh" status 2>/dev/null | grep -q "server is running"; then
    bash "$PEERS_DIR/pg_ctl.sh" start
  fi
  (cd "$PEERS_DIR" && "$PY" peer_postgis.py W1 > "$OUT/postgis-w1.json")
  ;;
esac

# 5. truce's jobs, round-robin with the peers
EV=$PEERS_DATA/events.csv
ZN=$PEERS_DATA/zones.geojson
"$PY" - "$OUT/jobs.jsonl" "$BIN" "$EV" "$ZN" "$PEERS_DATA" "$TARGET_DIR/release/truce" "$PY" "$REPO/bench/pandas_sqlite.py" <<'PYEOF'
import json, sys
out, b, ev, zn, data, truce, py, pandas_sqlite = sys.argv[1:]
jobs = [
    ["W3", "truce (verify)", [b, "w3", ev, data]],
    ["W3", "truce (adjudicate + verify)", [b, "w3", ev, data, "--full", "yes"]],
    ["W4", "truce", [b, "w4", ev]],
    ["W1", "truce (to the report model)", [b, "w1", ev]],
    ["W1store", "truce import (store)", [b, "store-import", truce, ev]],
    ["W1store", "pandas + sqlite3 to_sql", [py, pandas_sqlite, ev]],
    ["check", "truce check", [b, "check", ev, data]],
    ["check", "truce check (with reasons)", [b, "check", ev, data, "--explain", "yes"]],
    ["W2", "truce", [b, "w2", ev, zn]],
    ["W2", "truce (1 thread)", [b, "w2", ev, zn, "--threads", "1"]],
    ["W2", "truce (R-tree candidates)", [b, "w2", ev, zn, "--candidates", "rtree"]],
    ["W2", "truce (1 thread, R-tree candidates)", [b, "w2", ev, zn, "--threads", "1", "--candidates", "rtree"]],
]
with open(out, "w") as f:
    for j in jobs:
        f.write(json.dumps(j) + "\n")
PYEOF
echo "== jobs: $OUT/jobs.jsonl"; cat "$OUT/jobs.jsonl"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "mem: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -r)"
  echo "rustc: $(rustc --version)"
  echo "truce commit: $(cd "$REPO" && git rev-parse --short HEAD)"
} | tee "$OUT/machine.txt"

SINCE=$(date +%Y-%m-%dT%H:%M:%S)
echo "== bench.py --runs $RUNS --only $ONLY --peers $PEERS (since $SINCE)"
(cd "$PEERS_DIR" && "$PY" bench.py --runs "$RUNS" --only "$ONLY" --peers "$PEERS" --extra "$OUT/jobs.jsonl")
(cd "$PEERS_DIR" && "$PY" summarize.py "$PEERS_DATA/results.jsonl" --since "$SINCE") | tee "$OUT/summary.md"
echo "since: $SINCE" >> "$OUT/machine.txt"

if [ "${PG_STOP:-0}" = 1 ]; then bash "$PEERS_DIR/pg_ctl.sh" stop || true; fi
echo "== done: $OUT/summary.md"
