#!/usr/bin/env bash
# Install what is missing, build the release site and serve it with the demo
# experiment on http://127.0.0.1:8080 (PORT=… to change). The server sends
# the build's precompressed .gz files, as a production host should.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
scripts/build-site.sh
exec node scripts/static-server.mjs dist "${PORT:-8080}"
