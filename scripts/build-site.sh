#!/usr/bin/env bash
# The release build of the site into dist/ (Trunk, then scripts/post-build.mjs).
#
# Rust's standard library is compiled from source for this build, for size
# (the prebuilt one is optimized for speed), and a panic stops the module at
# once instead of formatting a message first: about 21 KiB less to download.
# Both are unstable cargo/rustc options, so this build runs on the nightly
# pinned in scripts/toolchains.sh; every other build, clippy and the tests
# use the stable toolchain of rust-toolchain.toml. The page shows its notice
# for any stopped module (index.html), so a panic still ends in that notice,
# not a dead page. scripts/setup.sh installs the nightly and fetches every
# crate, so the build runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# shellcheck source=scripts/toolchains.sh
. scripts/toolchains.sh

# The demo's summary that a first visit sees before the app has
# downloaded (src/bin/prerender.rs), from the engine's own report, built
# natively with the stable toolchain; scripts/prerender.mjs puts it into
# the built index.html.
mkdir -p target/prerender
cargo run --quiet -p uplift-roi-app --bin prerender > target/prerender/demo-summary.html

export RUSTUP_TOOLCHAIN="$SIZE_TOOLCHAIN"
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
# Replaces .cargo/config.toml's wasm32 rustflags, so it repeats erase_components.
export RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"

exec trunk build --release --offline --skip-version-check "$@"
