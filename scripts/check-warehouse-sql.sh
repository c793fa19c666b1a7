#!/usr/bin/env bash
# Check the warehouse SQL (`uplift-roi sql`) against DuckDB and against the
# app's own reduction (`uplift-roi reduce`); see tests/warehouse/check_duckdb.py.
# Makes the private venv tests/warehouse/.venv-sql only when it is missing or
# holds another DuckDB version, builds the CLI, then runs the check.
set -euo pipefail
cd "$(dirname "$0")/.."

DUCKDB_VERSION=2.0.0
VENV=tests/warehouse/.venv-sql
PY="$VENV/bin/python"

have=$("$PY" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || true)
if [ "$have" != "$DUCKDB_VERSION" ]; then
    echo "making $VENV with duckdb $DUCKDB_VERSION"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
fi

export PATH="$HOME/.cargo/bin:$PATH"
cargo build -q -p uplift-roi-cli
UPLIFT_ROI="$PWD/target/debug/uplift-roi" "$PY" tests/warehouse/check_duckdb.py
