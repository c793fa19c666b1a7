#!/usr/bin/env bash
# Install what is missing, build the release site and serve it with the demo
# experiment on http://127.0.0.1:8080 (PORT=… to change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
port="${PORT:-8080}"
echo "Uplift ROI: http://127.0.0.1:$port/  (Ctrl-C stops)"
exec trunk serve --release --offline --skip-version-check --no-autoreload --address 127.0.0.1 --port "$port"
