#!/usr/bin/env bash
# Install what Uplift ROI needs to build, serve and test — only what is missing
# or at the wrong version, so a second run takes seconds.
#
#   scripts/setup.sh            the pinned Rust toolchains and every crate they build,
#                               Trunk, wasm-bindgen, npm tools
#   scripts/setup.sh --browser  the above plus what the tests run on: Debian's
#                               Chromium and ChromeDriver, poppler-utils,
#                               PostgreSQL and a Java 17 runtime (for Spark)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
export PATH="$HOME/.cargo/bin:$PATH"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif have sudo; then sudo "$@"; else
    echo "setup: '$*' needs root; run it as root or install sudo" >&2; return 1; fi
}

# shellcheck source=scripts/toolchains.sh
. scripts/toolchains.sh

# The stable toolchain pinned in rust-toolchain.toml, with its components and
# the wasm target (rustup reads the file; a no-op when all is there).
rustup --quiet toolchain install >/dev/null
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The pinned nightly of the size-optimized release build (scripts/toolchains.sh),
# with the standard library's source and the wasm target.
if ! rustup run "$SIZE_TOOLCHAIN" rustc --version >/dev/null 2>&1 \
  || ! rustup component list --installed --toolchain "$SIZE_TOOLCHAIN" | grep -q '^rust-src' \
  || ! rustup target list --installed --toolchain "$SIZE_TOOLCHAIN" | grep -qx wasm32-unknown-unknown; then
  step "installing Rust $SIZE_TOOLCHAIN for the size-optimized release build"
  rustup toolchain install "$SIZE_TOOLCHAIN" --profile minimal \
    --component rust-src --target wasm32-unknown-unknown
fi

# Every crate the builds need, so the release build can run --offline: the
# workspace's (Cargo.lock) and the standard library's own (its Cargo.lock in
# rust-src), which cargo resolves when it compiles std. Seconds when cached.
cargo fetch --locked --quiet
cargo "+$SIZE_TOOLCHAIN" fetch --locked --quiet --manifest-path "$(size_std_manifest)"

# Trunk 0.21.x: newer releases need a newer rustc than this machine's.
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  step "installing trunk 0.21 (about 10 minutes on 2 cores)"
  cargo install --locked trunk --version '^0.21'
fi

# wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock. Not
# --locked: its lockfile names a crate version the registry lacks.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb_version" ]; then
  step "installing wasm-bindgen-cli $wb_version (about 8 minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "=$wb_version" --force
fi
grep -q "wasm_bindgen = \"$wb_version\"" Trunk.toml || {
  echo "setup: Trunk.toml [tools] wasm_bindgen must be \"$wb_version\" (the Cargo.lock version)" >&2; exit 1; }

# npm tools: wasm-opt 132 (binaryen), playwright-core, axe-core, terser
# (minifies the JavaScript glue after a build) and Zopfli (writes the
# precompressed .gz files). Reinstall only when
# package-lock.json changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm packages (binaryen, playwright-core, axe-core, terser, zopfli)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi

# For the tests, from Debian: Chromium for the browser tests (never a
# downloaded browser); poppler's pdftoppm, which turns the printed report into
# page images to look at; and the engines scripts/check-warehouse-sql.sh runs
# the warehouse SQL on: PostgreSQL's server, and Java 17+ for Spark (pyspark
# itself comes from PyPI into that script's venv; Debian's default JRE is
# OpenJDK 17 on Debian 12, 21 on 13, both of which Spark 4 runs on).
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if [ "${1:-}" = "--browser" ]; then
  missing=()
  have chromium || missing+=(chromium)
  have chromedriver || missing+=(chromium-driver)
  have pdftoppm || missing+=(poppler-utils)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  [ "$(java_major)" -ge 17 ] 2>/dev/null || missing+=(default-jre-headless)
  python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv) # the venvs of the checks
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
