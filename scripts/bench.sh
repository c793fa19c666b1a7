#!/usr/bin/env bash
# Build the release site and report bundle size, time to interactive and
# in-browser rows/second (bench/bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release --offline --skip-version-check >/dev/null
node bench/bench.mjs
