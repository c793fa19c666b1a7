#!/usr/bin/env bash
# Build the release site and report the figures the issues name
# (bench/bench.mjs): initial download, time to interactive, the verdict
# and the first input on a slow phone (bench/slow-phone.mjs), rows/second
# pasted and streamed in the browser (1M rows and a 1 GiB file) side by
# side with pandas + gbstats and the native CLI, and the CLV fit.
# Not part of the tests: timings go in notes and the README, not pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The native comparison's Python tools, in a private venv made only when
# missing or at other versions.
# gbstats 0.8.0 pins pandas 1.5.3, so both run from one venv.
PANDAS_VERSION=1.5.3
GBSTATS_VERSION=0.8.0
VENV=.venv-bench
have=$("$VENV/bin/python" -c 'import pandas, importlib.metadata as m; print(pandas.__version__, m.version("gbstats"))' 2>/dev/null || true)
if [ "$have" != "$PANDAS_VERSION $GBSTATS_VERSION" ]; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "pandas==$PANDAS_VERSION" "gbstats==$GBSTATS_VERSION"
fi

cargo build -q --release -p uplift-roi-cli
scripts/build-site.sh >/dev/null
node bench/bench.mjs "$@"
