#!/usr/bin/env bash
# Prove that the README's first command works from nothing: a fresh clone of
# the current commit, an empty cargo home (no registry cache, no git
# checkouts) and an empty target directory. In that clone it runs
# `scripts/serve.sh` — set-up, the release build --offline, the static
# server — and waits until the demo page, its WebAssembly and its first chart
# module are served, then checks the first-download size gate.
#
#   scripts/fresh-check.sh          the above (minutes: the build is from scratch)
#   scripts/fresh-check.sh --full   also `scripts/test.sh` in the same clone
#
# Trunk and wasm-bindgen are still found on PATH ($HOME/.cargo/bin) and the
# rustup toolchains under $RUSTUP_HOME are reused (scripts/setup.sh installs
# them when missing), so this takes minutes, not the half hour of compiling
# those tools; npm's and pip's caches are empty too. Whatever a build fetches must be fetched by scripts/setup.sh:
# the release build runs offline, so a missing fetch fails here exactly as
# on a new machine. .ci/run runs this whenever the build's set-up changed
# since the set-up it last proved (.ci/fresh-checked, written on success).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
full=false
[ "${1:-}" = "--full" ] && full=true

step() { printf '\033[1;35m[fresh]\033[0m %s\n' "$*"; }
start=$(date +%s)

work=$(mktemp -d "${TMPDIR:-/tmp}/uplift-fresh.XXXXXX")
server=""
cleanup() {
  [ -n "$server" ] && kill -- "-$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! git diff --quiet HEAD -- 2>/dev/null; then
  step "note: uncommitted changes are not part of the check (it clones HEAD)"
fi
step "fresh clone of $(git rev-parse --short HEAD) into $work/repo"
git clone -q --no-local "$repo" "$work/repo"

export CARGO_HOME="$work/cargo-home"
mkdir -p "$CARGO_HOME"
# npm's and pip's download caches start empty too: their packages come from
# the registries, as on a new machine.
export npm_config_cache="$work/npm-cache" PIP_CACHE_DIR="$work/pip-cache"
# rustup's proxies and the installed trunk / wasm-bindgen stay reachable.
export PATH="$HOME/.cargo/bin:$PATH"
unset CARGO_TARGET_DIR RUSTUP_TOOLCHAIN
step "empty CARGO_HOME=$CARGO_HOME, npm and pip caches"

cd "$work/repo"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
step "scripts/serve.sh on port $port"
set -m
PORT=$port scripts/serve.sh >"$work/serve.log" 2>&1 &
server=$!
set +m

# The build takes minutes; the server answers only once it is done.
until curl -fs -o "$work/index.html" "http://127.0.0.1:$port/"; do
  if ! kill -0 "$server" 2>/dev/null; then
    tail -n 40 "$work/serve.log" >&2
    step "FAILED: scripts/serve.sh stopped before serving the page" >&2
    exit 1
  fi
  sleep 3
done
grep -q '<title>Uplift ROI' "$work/index.html" || { step "FAILED: / is not the app" >&2; exit 1; }
for asset in $(grep -o 'uplift-roi-app-[0-9a-f]*_bg\.wasm' "$work/index.html" | sort -u); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/$asset"
  step "served $asset"
done
grep -q '_bg\.wasm' "$work/index.html" || { step "FAILED: the page names no WebAssembly" >&2; exit 1; }
kill -- "-$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
server=""
grep -E '^\S*==>' "$work/serve.log" | sed 's/\x1b\[[0-9;]*m//g' || true

step "first-download size gate"
node scripts/check-bundle.mjs dist

if $full; then
  step "scripts/test.sh in the fresh clone"
  CI=true scripts/test.sh
fi

# Record what was proved, so .ci/run need not prove it again (commit it).
cd "$repo"
# shellcheck source=scripts/setup-paths.sh
. scripts/setup-paths.sh
setup_digest >.ci/fresh-checked
step "passed in $(($(date +%s) - start)) s; recorded the set-up's digest in .ci/fresh-checked"
