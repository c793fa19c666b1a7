#!/usr/bin/env bash
# The release build of the site into dist/ (Trunk, then scripts/post-build.mjs).
#
# Rust's standard library is compiled from source for this build, for size
# (the prebuilt one is optimized for speed), and a panic stops the module at
# once instead of formatting a message first: about 22 KiB less to download.
# Both are unstable cargo/rustc options of the pinned toolchain, enabled for
# this build only (RUSTC_BOOTSTRAP); every other build, clippy and the tests
# use the toolchain as shipped. The page shows its notice for any stopped
# module (index.html), so a panic still ends in that notice, not a dead page.
# Needs the rust-src component (scripts/setup.sh adds it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
# Replaces .cargo/config.toml's wasm32 rustflags, so it repeats erase_components.
export RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort"

exec trunk build --release --offline --skip-version-check "$@"
