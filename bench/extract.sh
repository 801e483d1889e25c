#!/usr/bin/env bash
# truce extract on real text at scale (BENCHMARKS.md, issue 8): articles per second
# and peak memory on
#   1. the 16,566 UCDP GED Syria headlines (CC BY 4.0) as an X/Twitter API v2 export;
#   2. the same headlines as one RSS feed of 16,566 items (each an article);
#   3. a 200 MB post export (the headlines repeated), to show that memory stays flat.
# Inputs are made from ../shared/data (the project's shared data); results on stdout.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SHARED=${SHARED:-$REPO/../shared/data}
OUT=${OUT:-/tmp/truce-bench-extract}
mkdir -p "$OUT"
cargo build -q --release -p truce-cli
truce=${CARGO_TARGET_DIR:-$REPO/target}/release/truce
python3 - "$SHARED/ucdp-ged-syria/ged191_syria_2016-2019.csv" "$OUT" <<'PY'
import csv, json, sys, html
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(src, encoding="utf-8")))
with open(f"{out}/headlines.jsonl", "w", encoding="utf-8") as f:
    for r in rows:
        text = r["source_headline"].split(";")[0]
        day = r["source_date"].split(";")[0]
        f.write(json.dumps({"id": r["id"], "text": text, "created_at": f"{day}T12:00:00Z", "lang": "en"}) + "\n")
with open(f"{out}/headlines.rss", "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>GED headlines</title>\n')
    for r in rows:
        text = html.escape(r["source_headline"].split(";")[0])
        f.write(f"<item><title>{text}</title><link>https://ged.example/{r['id']}</link><pubDate>{r['source_date'].split(';')[0]}T12:00:00Z</pubDate><description>&lt;p&gt;{text}&lt;/p&gt;</description></item>\n")
    f.write("</channel></rss>\n")
# 200 MB of posts: the headlines again and again, each with an id of its own.
with open(f"{out}/big.jsonl", "w", encoding="utf-8") as f:
    n, size = 0, 0
    while size < 200 * 1024 * 1024:
        for r in rows:
            line = json.dumps({"id": f"{n}", "text": r["source_headline"].split(";")[0], "created_at": r["source_date"].split(";")[0] + "T12:00:00Z"}) + "\n"
            f.write(line)
            size += len(line.encode())
            n += 1
print(f"{len(rows)} headlines; big.jsonl: {n} posts, {size / 1048576:.0f} MiB", file=sys.stderr)
PY
measure() {
  local name=$1 file=$2
  local log="$OUT/$name.time"
  /usr/bin/time -v "$truce" extract "$file" -o /dev/null 2>"$log" >/dev/null || true
  local seconds rss documents reports
  seconds=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  documents=$(grep -o '[0-9]* document(s) read' "$log" | awk '{print $1}')
  reports=$(grep -o '[0-9]* report(s)' "$log" | head -1 | awk '{print $1}')
  python3 -c "import json,sys; d=int(sys.argv[3]); s=float(sys.argv[2]); print(json.dumps({'run': sys.argv[1], 'documents': d, 'reports': int(sys.argv[5]), 'seconds': s, 'documents_per_s': round(d/s) if s else None, 'peak_rss_mb': round(int(sys.argv[4])/1024, 1)}))" "$name" "$seconds" "$documents" "$rss" "$reports"
}
measure headlines-posts "$OUT/headlines.jsonl"
measure headlines-feed "$OUT/headlines.rss"
measure posts-200mb "$OUT/big.jsonl"
