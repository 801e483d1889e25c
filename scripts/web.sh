#!/usr/bin/env bash
# Builds the dashboard (web/, TypeScript and MapLibre GL JS from the npm
# registry) into web/dist, which `cargo build` embeds in the truce binary.
# Run it before building truce; without it truce serves a page saying so.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm not found; install Node.js 20 or newer" >&2
  exit 2
fi
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
echo "dashboard built into web/dist" >&2
