#!/usr/bin/env bash
# Seeds the corpora of `bundle_verify` and `bundle_zip` with a real bundle: the
# Syria example's agreement with a mission key, its first 40 GED rows, one check
# and one signed checkpoint, exported by `truce ledger export`.
#   bash fuzz/seed-bundles.sh        (from the repository root)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
cargo build -q -p truce-cli
truce="${CARGO_TARGET_DIR:-$REPO/target}/debug/truce"
work=$(mktemp -d /tmp/truce-seed.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r examples/syria-2016 "$work/ex"
cd "$work"
key=$("$truce" keys generate --name task-force -o mission.key 2>/dev/null)
printf '\n[ledger]\norigin = "task-force.example/syria-2016"\nmission_keys = ["%s"]\n' "$key" >> ex/agreement.toml
head -41 ex/data/ged191_syria_2016.csv > small.csv
"$truce" import small.csv --db s.db 2>/dev/null
"$truce" check ex/agreement.toml --record --db s.db --as-of 2016-12-31 >/dev/null || true
"$truce" ledger checkpoint ex/agreement.toml --db s.db --key mission.key >/dev/null
"$truce" ledger export ex/agreement.toml --db s.db -o bundle >/dev/null
mkdir -p "$REPO/fuzz/corpus/bundle_verify" "$REPO/fuzz/corpus/bundle_zip"
python3 - "$REPO/fuzz/corpus" <<'PY'
import os, sys, zipfile
corpus = sys.argv[1]
named = ["log.jsonl", "keys.txt", "bundle.json", "checkpoints/000001.note"]
parts = [open(os.path.join("bundle", n), "rb").read() for n in named] + [b""]
files = sorted(os.listdir("bundle/files"))
parts += [open(os.path.join("bundle/files", f), "rb").read() for f in files]
open(os.path.join(corpus, "bundle_verify", "syria"), "wb").write(b"\0".join(parts))
with zipfile.ZipFile(os.path.join(corpus, "bundle_zip", "syria.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for folder, _, names in os.walk("bundle"):
        for name in names:
            z.write(os.path.join(folder, name))
PY
echo "seeded fuzz/corpus/bundle_verify and fuzz/corpus/bundle_zip"
