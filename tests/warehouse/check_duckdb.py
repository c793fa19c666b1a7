#!/usr/bin/env python3
"""Check the warehouse SQL against a real database and against the app.

Builds a seeded events table (one row per exposure or order line, as
`crates/engine/src/warehouse.rs` documents), then reduces it two ways:

* in DuckDB (in memory), with the SQL printed by `uplift-roi sql`;
* in the app's engine, with `uplift-roi reduce` on the one-row-per-user CSV
  (user_id,variant,converted,orders,revenue,pre_revenue) computed from the
  same events in the plainest Python below.

Every column is compared per variant: counts exactly, sums to 1e-9 relative.
The SQL's result is also written out as CSV by DuckDB and read back by
`uplift-roi reduce`, as a user pasting it into step 1 would. The SQL of the
other dialects is run too where DuckDB happens to accept it. Exits non-zero
on any mismatch.

Run it with `scripts/check-warehouse-sql.sh`, which makes the pinned venv and
builds the CLI. By hand:

    UPLIFT_ROI=target/debug/uplift-roi tests/warehouse/.venv-sql/bin/python tests/warehouse/check_duckdb.py
"""
import csv
import math
import os
import random
import subprocess
import sys
import tempfile

try:
    import duckdb
except ImportError:
    sys.exit("duckdb is not installed here; run scripts/check-warehouse-sql.sh")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = (sys.argv[1] if len(sys.argv) > 1 else None) or os.environ.get(
    "UPLIFT_ROI", os.path.join(ROOT, "target", "debug", "uplift-roi")
)

USERS = 20_000
SEED = 20240301
VARIANTS = ["control", "personalized", "recommendations"]
CONVERSION = {"control": 0.040, "personalized": 0.052, "recommendations": 0.047}
# The experiment window; some rows fall outside it and must be filtered out.
START, END = "2024-03-01", "2024-03-31"
HEADERS = [
    "variant", "users", "conversions", "orders", "revenue", "revenue_sq",
    "orders_sq", "revenue_x_orders", "pre_revenue", "pre_revenue_sq", "revenue_x_pre",
]
COUNTS = {"users", "conversions", "orders"}


def make_events(rng):
    """Rows of (user_id, group, revenue, order_id, is_order, pre_revenue, event_time).

    The variant column is called `group`, a keyword in every dialect, so the
    SQL's quoting is exercised.
    """
    rows = []
    next_order = 1

    def day(inside=True):
        if inside:
            d = rng.randint(1, 31)
            return f"2024-03-{d:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00"
        # Before the start or after the end (the end day itself is inside).
        return rng.choice(["2024-02-28 23:59:00", "2024-04-01 00:00:00", "2024-04-15 12:00:00"])

    for uid in range(1, USERS + 1):
        variant = rng.choice(VARIANTS)
        # Pre-period revenue: none for some users; on every row or on one row only.
        pre = round(rng.lognormvariate(3.0, 1.0), 2) if rng.random() < 0.6 else None
        pre_everywhere = rng.random() < 0.5
        user_rows = []
        for _ in range(rng.randint(1, 3)):
            user_rows.append([uid, variant, None, None, False, None, day()])
        if rng.random() < CONVERSION[variant] * 3:
            for _ in range(1 + int(rng.expovariate(1.2))):
                order_id = f"o{next_order}"
                next_order += 1
                inside = rng.random() < 0.9
                t = day(inside)
                lines = rng.randint(1, 3)
                for line in range(lines):
                    amount = round(rng.lognormvariate(3.5, 0.8), 2)
                    user_rows.append([uid, variant, amount, order_id, line == 0, None, t])
        # A few users were exposed to a second variant too: both arms lose them.
        if rng.random() < 0.01:
            other = rng.choice([v for v in VARIANTS if v != variant])
            user_rows.append([uid, other, None, None, False, None, day()])
            if rng.random() < 0.5:
                user_rows.append([uid, other, 19.99, f"o{next_order}", True, None, day()])
                next_order += 1
        if pre is not None:
            targets = user_rows if pre_everywhere else [rng.choice(user_rows)]
            for r in targets:
                r[5] = pre
        rows.extend(user_rows)
    # Rows without a user or a variant are ignored by the SQL and by the CSV.
    rows.append([None, "control", 5.0, "o-orphan", True, None, day()])
    rows.append([USERS + 1, None, None, None, False, None, day()])
    rng.shuffle(rows)
    return rows


def per_user_csv(rows):
    """The one-row-per-user CSV the app reads, from the events, plainly."""
    users = {}
    for user_id, variant, revenue, order_id, _is_order, pre, event_time in rows:
        if user_id is None or variant is None:
            continue
        if not (START <= event_time[:10] <= END):
            continue
        u = users.setdefault((user_id, variant), {"revenue": 0.0, "orders": set(), "pre": None})
        if revenue is not None:
            u["revenue"] += revenue
        if order_id is not None:
            u["orders"].add(order_id)
        if pre is not None and (u["pre"] is None or pre > u["pre"]):
            u["pre"] = pre
    variants_of = {}
    for user_id, variant in users:
        variants_of.setdefault(user_id, set()).add(variant)
    lines = [["user_id", "variant", "converted", "orders", "revenue", "pre_revenue"]]
    excluded = 0
    for (user_id, variant), u in sorted(users.items()):
        if len(variants_of[user_id]) > 1:
            excluded += 1
            continue
        orders = len(u["orders"])
        lines.append([
            user_id, variant, 1 if orders > 0 else 0, orders,
            repr(u["revenue"]), repr(u["pre"] if u["pre"] is not None else 0.0),
        ])
    return lines, excluded


def cli(*args):
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{CLI} {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def read_aggregated(text):
    rows = list(csv.reader(text.strip().splitlines()))
    return rows[0], {r[0]: r for r in rows[1:]}


def compare(name, got_header, got, want_header, want, table=False):
    """Compare `got` (SQL) with `want` (app) and return the mismatch count.

    The side-by-side table is printed when asked or when anything differs;
    otherwise one line says how many values agreed.
    """
    bad = 0
    if got_header != want_header:
        print(f"{name}: columns differ\n  sql: {got_header}\n  app: {want_header}")
        return 1
    if sorted(got) != sorted(want):
        print(f"{name}: variants differ: sql {sorted(got)}, app {sorted(want)}")
        return 1
    names = sorted(want)
    lines = [f"\n{name}: SQL result vs the app's reduction (= same, ≠ differs)",
             f"  {'column':<17}" + "".join(f"{v:>24}" for v in names)]
    for i, col in enumerate(want_header[1:], start=1):
        cells = []
        for v in names:
            a, b = got[v][i], want[v][i]
            if col in COUNTS:
                same = int(a) == int(b)
            else:
                same = math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
            bad += not same
            shown = f"{float(a):.6g}" if col not in COUNTS else a
            cells.append(f"{shown:>21} {'=' if same else '≠'} ")
        lines.append(f"  {col:<17}" + "".join(cells))
    if table or bad:
        print("\n".join(lines) + "\n")
    else:
        print(f"{name}: all {len(names) * (len(want_header) - 1)} values agree")
    return bad


def main():
    rng = random.Random(SEED)
    rows = make_events(rng)
    lines, excluded = per_user_csv(rows)
    tmp = tempfile.mkdtemp(prefix="uplift-warehouse-")
    events_csv = os.path.join(tmp, "events.csv")
    users_csv = os.path.join(tmp, "users.csv")
    with open(events_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user_id", "group", "revenue", "order_id", "is_order", "pre_revenue", "event_time"])
        for r in rows:
            w.writerow(["" if x is None else x for x in r])
    with open(users_csv, "w", newline="") as f:
        csv.writer(f).writerows(lines)
    print(f"{len(rows)} event rows, {len(lines) - 1} users in one variant, "
          f"{excluded} user-variant pairs of multi-variant users left out; duckdb {duckdb.__version__}")

    con = duckdb.connect()
    con.execute("CREATE SCHEMA analytics")
    con.execute(
        """CREATE TABLE analytics.experiment_events AS
           SELECT * FROM read_csv(?, header = true, nullstr = '', columns = {
             'user_id': 'BIGINT', 'group': 'VARCHAR', 'revenue': 'DECIMAL(12,2)',
             'order_id': 'VARCHAR', 'is_order': 'BOOLEAN', 'pre_revenue': 'DECIMAL(12,2)',
             'event_time': 'TIMESTAMP'})""",
        [events_csv],
    )

    want_header, want = read_aggregated(cli("reduce", users_csv))
    common = ["--table", "analytics.experiment_events", "--user", "user_id", "--variant", "group",
              "--revenue", "revenue", "--pre-revenue", "pre_revenue",
              "--timestamp", "event_time", "--start", START, "--end", END]
    failures = 0
    runs = [("duckdb, order id", "duckdb", ["--order-id", "order_id"]),
            ("duckdb, is-order flag", "duckdb", ["--is-order", "is_order"])]
    runs += [(f"{d}, order id", d, ["--order-id", "order_id"])
             for d in ["postgresql", "snowflake", "spark_sql", "bigquery"]]
    for name, dialect, orders in runs:
        sql = cli("sql", "--dialect", dialect, *common, *orders)
        try:
            cur = con.execute(sql)
        except duckdb.Error as e:
            if dialect == "duckdb":
                print(f"{name}: DuckDB refused its own dialect's SQL: {e}")
                failures += 1
            else:
                print(f"{name}: not DuckDB syntax, skipped ({str(e).splitlines()[0][:70]})")
            continue
        header = [d[0] for d in cur.description]
        result = cur.fetchall()
        got = {str(r[0]): [str(r[0])] + [str(x) for x in r[1:]] for r in result}
        if [r[0] for r in result] != sorted(r[0] for r in result):
            print(f"{name}: rows are not ordered by variant")
            failures += 1
        failures += compare(name, header, got, want_header, want, table=name == runs[0][0])

    # As a user would: DuckDB writes the result as CSV, the app reads it back.
    sql = cli("sql", "--dialect", "duckdb", *common, "--order-id", "order_id").rstrip().rstrip(";")
    pasted = os.path.join(tmp, "pasted.csv")
    con.execute(f"COPY ({sql}) TO '{pasted}' (HEADER, DELIMITER ',')")
    back_header, back = read_aggregated(cli("reduce", pasted))
    failures += compare("DuckDB's CSV read back by the app", back_header, back, want_header, want)

    if failures:
        print(f"FAILED: {failures} mismatch(es)")
        return 1
    print("OK: the SQL and the app agree on every column of every variant")
    return 0


if __name__ == "__main__":
    sys.exit(main())
