#!/usr/bin/env bash
# Install what is missing, then run every check: formatting, clippy (native
# and wasm32), the import rules, engine and app unit tests, the release
# build and its size gate, and the browser tests in Debian's headless
# Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
start=$(date +%s)

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native)"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy (wasm32)"
cargo clippy --workspace --all-targets --target wasm32-unknown-unknown -- -D warnings

step "import rules: the app's folders in layers, no circles in the engine (scripts/check-layers.py)"
python3 scripts/check-layers.py

step "engine docs: every intra-doc link resolves (the maps stay true)"
RUSTDOCFLAGS="-D rustdoc::broken_intra_doc_links -D rustdoc::private_intra_doc_links" \
    cargo doc -q -p uplift-engine --no-deps

step "unit tests (engine and app, native)"
cargo test --workspace

step "warehouse SQL run on DuckDB, PostgreSQL, Spark SQL, BigQuery and Snowflake (sqlglot), compared with the app's own reduction"
scripts/check-warehouse-sql.sh

step "release build of the site"
cargo build -q -p uplift-roi-cli
scripts/build-site.sh
ls -l dist

step "first-download size gate (gzip; scripts/check-bundle.mjs)"
node scripts/check-bundle.mjs dist

step "browser tests (headless Chromium)"
node --test --test-reporter=spec tests/browser/

echo "all checks passed in $(( $(date +%s) - start )) s"
