#!/usr/bin/env bash
# Run the warehouse SQL (`uplift-roi sql`) on real engines and compare each
# result with the app's own reduction (`uplift-roi reduce`) of the same rows:
# DuckDB, PostgreSQL (a private cluster started here), Spark SQL (pyspark in
# local mode), and BigQuery and Snowflake (parsed by sqlglot, transpiled to
# DuckDB and run there), on synthetic events and on the Hillstrom and Cookie
# Cats data sets. See tests/warehouse/check_sql.py. Exits non-zero on any
# mismatch or engine failure; no engine is ever skipped.
#
# Needs Debian's postgresql and a Java 17+ runtime (scripts/setup.sh --browser
# installs both). The Python packages pinned in tests/warehouse/requirements.txt
# live in a venv outside the repository, named after a hash of the pins, so a
# fresh clone reuses it; it is made only when missing or when the pins change
# (about 40 s: pyspark is a 434 MB download). Extra arguments go to
# check_sql.py, e.g. `--only duckdb,postgresql`.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
fail() { echo "check-warehouse-sql: $*" >&2; exit 1; }

# --- the pinned Python packages -------------------------------------------------
REQS=tests/warehouse/requirements.txt
pins=$(grep -v '^\s*#' "$REQS" | grep -v '^\s*$')
CACHE="${XDG_CACHE_HOME:-${HOME:?}/.cache}/uplift-roi"
VENV="$CACHE/venv-sql-$(printf '%s\n' "$pins" | sha256sum | cut -c1-12)"
PY="$VENV/bin/python"
# True when every pin is installed at its version (and the venv's Python runs).
pins_ok() {
  [ -f "$VENV/.complete" ] && printf '%s\n' "$pins" | "$PY" -c '
import sys, importlib.metadata as m
for pin in sys.stdin.read().split():
    name, version = pin.split("==")
    if m.version(name) != version:
        sys.exit(1)' 2>/dev/null
}
if ! pins_ok; then
  mkdir -p "$CACHE"
  exec 9>"$CACHE/venv-sql.lock"
  flock 9 # another run may be making the same venv
  if ! pins_ok; then
    step "making $VENV ($(echo $pins))"
    python3 -c 'import ensurepip' 2>/dev/null || fail "python3 cannot make a venv: apt-get install python3-venv"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$REQS"
    touch "$VENV/.complete"
    # Venvs of earlier pins are of no further use.
    for old in "$CACHE"/venv-sql-*; do [ "$old" = "$VENV" ] || rm -rf "$old"; done
  fi
  exec 9>&-
fi

# --- the engines' programs: say how to install what is missing ------------------
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1 || true)
[ -n "$java_major" ] || fail "no Java runtime for Spark; run scripts/setup.sh --browser (or apt-get install default-jre-headless)"
[ "$java_major" -ge 17 ] || fail "Spark 4 needs Java 17 or later, found $java_major; apt-get install default-jre-headless (or openjdk-17-jre-headless)"

PG_BIN=${PG_BIN:-}
if [ -z "$PG_BIN" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [ -n "$PG_BIN" ] || PG_BIN=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
fi
[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/psql" ] \
  || fail "no PostgreSQL server programs (initdb, pg_ctl); run scripts/setup.sh --browser (or apt-get install postgresql), or set PG_BIN"
# initdb refuses to run as root: the cluster is then the postgres user's.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || fail "running as root but there is no postgres user to own the cluster (apt-get install postgresql makes it)"
  as_pg=(runuser -u postgres --)
fi

export PATH="$HOME/.cargo/bin:$PATH"
cargo build -q -p uplift-roi-cli

# --- a private PostgreSQL cluster, always stopped and removed -------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/uplift-warehouse.XXXXXX")
pg_started=false
child=""
cleanup() {
  [ -z "$child" ] || kill "$child" 2>/dev/null || true
  if $pg_started; then
    "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 711 "$work" # the server's user reaches its own directory only
mkdir "$work/pg"
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$work/pg"
"${as_pg[@]}" "$PG_BIN/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --locale=C \
  --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2 || true; fail "initdb failed"; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_started=true
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 30 -s \
  -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start \
  || { cat "$work/pg/server.log" >&2 || true; fail "the PostgreSQL server did not start"; }
export PGHOST="$work/pg" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres PSQL="$PG_BIN/psql"

cd tests/warehouse
# In the background so that a signal is handled at once (bash runs traps only
# between commands, and `wait` is interruptible) and the cluster still goes.
UPLIFT_ROI="$OLDPWD/target/debug/uplift-roi" UPLIFT_SQL_WORK="$work" "$PY" check_sql.py "$@" &
child=$!
wait "$child"
