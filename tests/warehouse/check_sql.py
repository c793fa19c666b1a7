#!/usr/bin/env python3
"""Run the warehouse SQL on real engines and compare with the app's reduction.

For every table of datasets.py (synthetic events, Hillstrom, Cookie Cats) and
every case on it (order id or is-order flag, further metrics, a segment,
caps and floors at an amount or a pooled percentile), the
SQL printed by `uplift-roi sql --dialect D` is run on each engine of
engines.py — DuckDB, PostgreSQL, Spark SQL, and BigQuery and Snowflake through
sqlglot into DuckDB — and its result compared with `uplift-roi reduce` on the
same rows written one per user: the same columns in the same order, the same
rows (ordered by segment, then variant), counts exactly, sums to 1e-9
relative. DuckDB's result is also written as CSV and read back by the app, as
a user pasting it into step 1 would.

One line per engine and case; the differing values as a table on a mismatch.
Exits non-zero on any mismatch and on any engine that fails to start, load or
run: an engine is never skipped.

Run it with scripts/check-warehouse-sql.sh, which makes the pinned venv,
starts a private PostgreSQL cluster and builds the CLI. `--only duckdb,spark_sql`
runs some engines only (by hand, while debugging).
"""
import argparse
import csv
import io
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import datasets
from engines import ENGINES, EngineError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.environ.get("UPLIFT_ROI", os.path.join(ROOT, "target", "debug", "uplift-roi"))


def cli(*args):
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise EngineError(f"uplift-roi {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def read_csv(text):
    rows = list(csv.reader(io.StringIO(text.strip())))
    return rows[0], rows[1:]


def compare(case, got_header, got_rows, want_header, want_rows, got_label="sql"):
    """(number of problems, one-line summary, table of what differs)."""
    g = f"{got_label + ':':<10}"
    if got_header != want_header:
        return 1, "the columns differ", f"    {g} {got_header}\n    {'app:':<10} {want_header}"
    width = 2 if case.segment else 1
    got = {tuple(r[:width]): r for r in got_rows}
    want = {tuple(r[:width]): r for r in want_rows}
    if got.keys() != want.keys() or len(got) != len(got_rows):
        return 1, "the rows differ", (f"    {g} {[tuple(r[:width]) for r in got_rows]}\n"
                                      f"    {'app:':<10} {sorted(want)}")
    keys = [tuple(r[:width]) for r in got_rows]
    # Segments are text (the SQL casts them): ordered as text, by code point,
    # as the app's `reduce --segment` orders them.
    if keys != sorted(keys):
        return 1, "the rows are not ordered by " + ("segment, then " if width == 2 else "") + \
            "variant", f"    {g} {keys}"
    problems = []
    counts = case.counts()
    for key in keys:
        for col, a, b in zip(want_header[width:], got[key][width:], want[key][width:]):
            try:
                x, y = float(a), float(b)
                same = x == y if col in counts else math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
            except ValueError:
                same = False
            if not same:
                problems.append((" / ".join(key), col, a, b))
    values = len(keys) * (len(want_header) - width)
    if not problems:
        return 0, f"{len(keys)} rows × {len(want_header) - width} columns agree", ""
    lines = [f"    {'row':<28} {'column':<30} {got_label:>22} {'app':>22}"]
    lines += [f"    {k:<28} {c:<30} {a:>22} {b:>22}" for k, c, a, b in problems[:40]]
    if len(problems) > 40:
        lines.append(f"    … and {len(problems) - 40} more")
    return len(problems), f"{len(problems)} of {values} values differ", "\n".join(lines)


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def report(self, ok, engine, case, detail, table=""):
        self.passed += ok
        self.failed += not ok
        print(f"{'ok' if ok else 'FAIL':<5} {engine:<17} {case:<36} {detail}", flush=True)
        if table:
            print(table, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated engines: " + ",".join(ENGINES))
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(ENGINES)
    unknown = [n for n in names if n not in ENGINES]
    if unknown:
        parser.error(f"unknown engine(s) {unknown}; known: {','.join(ENGINES)}")
    if args.only:
        print(f"only {', '.join(names)} (--only)")

    work = os.environ.get("UPLIFT_SQL_WORK")
    own_work = not work
    if own_work:
        work = tempfile.mkdtemp(prefix="uplift-warehouse-")
    try:
        return run(names, work)
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)


def run(names, work):
    tally = Tally()
    tables = datasets.all_tables(work)
    for table, _ in tables:
        print(table.about)

    # The app's own answer for each case.
    want = {}
    for _, cases in tables:
        for case in cases:
            extra = ["--segment", case.segment] if case.segment else []
            try:
                want[case.name] = read_csv(cli("reduce", case.users_csv, *extra, *case.reduce_args))
            except EngineError as e:
                tally.report(False, "app", case.name, str(e))

    engines = []
    for name in names:
        t0 = time.monotonic()
        try:
            engine = ENGINES[name](work)
        except Exception as e:  # any failure to start is a failure of the check
            print(f"FAIL  {name:<17} did not start: {e}", flush=True)
            for _, cases in tables:
                for case in cases:
                    tally.report(False, name, case.name, "not run: the engine did not start")
            continue
        engines.append(engine)
        print(f"--    {engine.name:<17} {engine.version}, ready in {time.monotonic() - t0:.1f} s",
              flush=True)
        for table, cases in tables:
            try:
                engine.load(table)
            except Exception as e:
                print(f"FAIL  {engine.name:<17} could not load {table.qualified}: {e}", flush=True)
                for case in cases:
                    tally.report(False, engine.name, case.name, "not run: the table did not load")
                continue
            for case in cases:
                if case.name not in want:
                    continue
                t0 = time.monotonic()
                try:
                    sql = cli("sql", "--dialect", engine.dialect, "--table", table.qualified,
                              *case.sql_args)
                    header, rows = engine.run(sql, table)
                except Exception as e:  # EngineError says why; anything else is named
                    why = str(e) if isinstance(e, EngineError) else f"{type(e).__name__}: {e}"
                    tally.report(False, engine.name, case.name, why)
                    continue
                bad, summary, detail = compare(case, header, rows, *want[case.name])
                tally.report(not bad, engine.name, case.name,
                             f"{summary} ({time.monotonic() - t0:.1f} s)", detail)

        # As a user would: DuckDB writes its result as CSV, the app reads it back.
        if engine.name == "duckdb":
            for table, cases in tables:
                for case in (c for c in cases if c.name in want):
                    pasted = os.path.join(work, "pasted.csv")
                    try:
                        sql = cli("sql", "--dialect", "duckdb", "--table", table.qualified,
                                  *case.sql_args).rstrip().rstrip(";")
                        engine.execute(f"COPY ({sql}) TO '{pasted}' (HEADER, DELIMITER ',')")
                        extra = ["--segment", case.segment] if case.segment else []
                        header, rows = read_csv(cli("reduce", pasted, *extra))
                    except EngineError as e:
                        tally.report(False, "duckdb→csv→app", case.name, str(e))
                        continue
                    bad, summary, detail = compare(case, header, rows, *want[case.name],
                                                   got_label="read back")
                    tally.report(not bad, "duckdb→csv→app", case.name, summary, detail)

    for engine in engines:
        if hasattr(engine, "stop"):
            engine.stop()
    print(f"warehouse: {tally.passed} passed, {tally.failed} failed")
    if tally.failed:
        print("FAILED: the SQL and the app disagree, or an engine failed (lines marked FAIL)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
