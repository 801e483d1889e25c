#!/usr/bin/env bash
# Runs every test of the workspace: unit, integration (one binary per crate),
# snapshot and property tests, then the doc tests. Used by README.md and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast "$@"
else
  echo "cargo-nextest not found; running cargo test" >&2
  cargo test --workspace --no-fail-fast "$@"
fi
cargo test --workspace --doc --quiet
