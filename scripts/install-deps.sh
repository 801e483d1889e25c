#!/usr/bin/env bash
# Installs what a fresh machine needs to build and test truce. Today: the Rust
# toolchain (expected on the machine) and cargo-nextest (installed if missing).
set -euo pipefail
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo not found; install Rust (https://rustup.rs) first" >&2
  exit 2
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  cargo install --locked cargo-nextest || echo "warning: could not install cargo-nextest; tests will run with cargo test" >&2
fi
