#!/usr/bin/env bash
# Fuzz the engine's untrusted-input entry points (fuzz/fuzz_targets/) with
# cargo-fuzz on the nightly toolchain, each for a bounded time:
#   scripts/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET…]
# Crashes land in fuzz/artifacts/<target>/; turn each into a regression test
# (crates/engine/tests/fuzz_regressions.rs) before fixing it. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(ingest scenario_json link_fragment analyze decimal retention did timeline cohorts targeting programme clv)

CARGO_FUZZ_VERSION=0.13.2
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "cargo fuzz needs the nightly toolchain (rustup toolchain install nightly)" >&2
    exit 2
fi
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    cargo +nightly install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi
for t in "${targets[@]}"; do
    echo "== fuzz $t for ${seconds}s"
    # The kept corpus grows in fuzz/corpus/<target>; the seeds (small files of
    # each analysis's shape, with extreme numbers) start it.
    mkdir -p "fuzz/corpus/$t"
    seeds=()
    [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
    cargo +nightly fuzz run "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096
done
