#!/usr/bin/env bash
# Installs what a fresh machine needs to build and test truce. Today: the Rust
# toolchain (expected on the machine), cargo-nextest (installed if missing) and,
# optionally, a PostgreSQL server (installed with apt-get if missing).
set -euo pipefail
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo not found; install Rust (https://rustup.rs) first" >&2
  exit 2
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  cargo install --locked cargo-nextest || echo "warning: could not install cargo-nextest; tests will run with cargo test" >&2
fi
# The PostgreSQL server for the tests that need one (scripts/postgres.sh,
# docs/postgres-tests.md). Optional: without it those tests say they are skipped.
if ! bash "$(dirname "$0")/postgres.sh" install; then
  echo "warning: could not install the PostgreSQL server; tests that need PostgreSQL will be skipped" >&2
fi
