#!/usr/bin/env bash
# Runs every test of the workspace: unit, integration (a binary per file of each crate's tests/),
# snapshot and property tests, then the doc tests. Used by README.md and .ci/run.
# The server's tests run on SQLite and on a real PostgreSQL: this script starts a
# private cluster (scripts/postgres.sh) unless TRUCE_TEST_POSTGRES_URL names one;
# without PostgreSQL those tests say they are skipped (CI sets
# TRUCE_REQUIRE_POSTGRES=1, which makes that a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
started_postgres=""
if [ -z "${TRUCE_TEST_POSTGRES_URL:-}" ]; then
  # Outside the repository: as root the cluster runs as another user, who may
  # not enter a checkout under /root.
  pg_dir="${TRUCE_POSTGRES_DIR:-/tmp/truce-postgres-tests-$(id -u)}"
  if url="$(bash scripts/postgres.sh start "$pg_dir")"; then
    export TRUCE_TEST_POSTGRES_URL="$url"
    started_postgres="$pg_dir"
    echo "PostgreSQL for the tests: $url" >&2
  else
    echo "warning: could not start PostgreSQL; the server's PostgreSQL tests will be skipped" >&2
  fi
fi
stop_postgres() {
  if [ -n "$started_postgres" ]; then
    bash scripts/postgres.sh stop "$started_postgres" || true
  fi
}
trap stop_postgres EXIT
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast "$@"
else
  echo "cargo-nextest not found; running cargo test" >&2
  cargo test --workspace --no-fail-fast "$@"
fi
cargo test --workspace --doc --quiet
# The dashboard in a real browser (Debian's Chromium; scripts/e2e.sh installs it
# when missing). TRUCE_SKIP_BROWSER=1 leaves it out, e.g. on a machine without npm.
if [ "${TRUCE_SKIP_BROWSER:-}" != "1" ]; then
  bash scripts/e2e.sh
fi
