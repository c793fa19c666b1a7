"""The tables the warehouse SQL is run on, and the same rows as the app reads them.

Each `Table` is a CSV file of typed columns that every engine loads as a
table; each `Case` is one `uplift-roi sql` invocation on it, with the
one-row-per-user CSV (and `reduce` options) that give the app's own answer.
Three tables:

* synthetic events: several rows per user (exposures, order line items,
  rows outside the experiment's dates, users in two variants), so every step
  of the per-user reduction is exercised;
* Hillstrom's e-mail test (tests/data/hillstrom.csv.gz), one row per
  customer, three arms;
* Cookie Cats (tests/data/cookie_cats.csv.gz), one row per player, with
  TRUE/FALSE retention flags loaded as BOOLEAN.
"""
from __future__ import annotations

import csv
import gzip
import os
import random
from dataclasses import dataclass, field

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

# Column types, written per engine by engines.py.
BIGINT, INTEGER, TEXT, DOUBLE, MONEY, BOOLEAN, TIMESTAMP = (
    "bigint", "integer", "text", "double", "money", "boolean", "timestamp")


@dataclass
class Table:
    short: str  # as printed
    schema: str
    name: str
    columns: list  # [(name, type)]
    path: str  # CSV with a header row; an empty cell is NULL
    rows: int
    about: str

    @property
    def qualified(self):
        return f"{self.schema}.{self.name}"


@dataclass
class Case:
    table: Table
    label: str
    sql_args: list  # for `uplift-roi sql`, after --dialect and --table
    users_csv: str  # the same rows, one per user, for `uplift-roi reduce`
    segment: str | None = None
    flags: list = field(default_factory=list)  # metrics given as COL:flag
    reduce_args: list = field(default_factory=list)  # caps, named as the users file names them

    @property
    def name(self):
        return f"{self.table.short}, {self.label}"

    def counts(self):
        """Columns that are counts, compared exactly: users, conversions,
        orders, and sums of flags and of their products."""
        exact = {"users", "conversions", "orders", *self.flags}
        exact |= {f"{a}_x_{b}" for a in self.flags for b in self.flags}
        return exact


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if x is None else x for x in r])


# --- synthetic events --------------------------------------------------------

USERS = 20_000
SEED = 20240301
VARIANTS = ["control", "personalized", "recommendations"]
CONVERSION = {"control": 0.040, "personalized": 0.052, "recommendations": 0.047}
COUNTRIES = ["DE", "FR", "GB", "NL", "US"]
# The experiment window; some rows fall outside it and must be filtered out.
START, END = "2024-03-01", "2024-03-31"
EVENT_COLUMNS = [
    ("user_id", BIGINT), ("group", TEXT), ("revenue", MONEY), ("order_id", TEXT),
    ("is_order", BOOLEAN), ("pre_revenue", MONEY), ("event_time", TIMESTAMP),
    ("country", TEXT), ("session_minutes", DOUBLE), ("clicked", BOOLEAN),
]


def make_events(rng):
    """Rows in the order of EVENT_COLUMNS.

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

    def event(uid, variant, country):
        # Minutes and clicks on some rows only: NULL elsewhere counts as 0 / no.
        minutes = round(rng.expovariate(0.2), 1) if rng.random() < 0.7 else None
        clicked = rng.random() < 0.15 if rng.random() < 0.8 else None
        return [uid, variant, None, None, False, None, day(), country, minutes, clicked]

    for uid in range(1, USERS + 1):
        variant = rng.choice(VARIANTS)
        country = rng.choice(COUNTRIES)
        # Pre-period revenue: none for some users; on every row or on one row only.
        pre = round(rng.lognormvariate(3.0, 1.0), 2) if rng.random() < 0.6 else None
        pre_everywhere = rng.random() < 0.5
        exposures = rng.randint(1, 3)
        user_rows = [event(uid, variant, country) for _ in range(exposures)]
        if rng.random() < CONVERSION[variant] * 3:
            for _ in range(1 + int(rng.expovariate(1.2))):
                order_id = f"o{next_order}"
                next_order += 1
                t = day(rng.random() < 0.9)
                for line in range(rng.randint(1, 3)):
                    amount = round(rng.lognormvariate(3.5, 0.8), 2)
                    user_rows.append([uid, variant, amount, order_id, line == 0, None, t,
                                      country, None, None])
        # A few users' rows disagree on the country (a move, a VPN): the
        # segment is the largest value; a NULL on some rows is ignored (one
        # exposure row, always inside the dates, keeps the country).
        if rng.random() < 0.05:
            rng.choice(user_rows)[7] = rng.choice(COUNTRIES)
        if rng.random() < 0.05 and exposures > 1:
            user_rows[rng.randrange(exposures - 1)][7] = None
        # A few users were exposed to a second variant too: both arms lose them.
        if rng.random() < 0.01:
            other = rng.choice([v for v in VARIANTS if v != variant])
            user_rows.append(event(uid, other, country))
            if rng.random() < 0.5:
                user_rows.append([uid, other, 19.99, f"o{next_order}", True, None, day(),
                                  country, None, None])
                next_order += 1
        if pre is not None:
            for r in user_rows if pre_everywhere else [rng.choice(user_rows)]:
                r[5] = pre
        rows.extend(user_rows)
    # Rows without a user or a variant are ignored by the SQL and by the CSV.
    rows.append([None, "control", 5.0, "o-orphan", True, None, day(), "DE", 3.0, True])
    rows.append([USERS + 1, None, None, None, False, None, day(), "DE", 3.0, True])
    rng.shuffle(rows)
    return rows


def events_per_user(rows):
    """Each user's values, from the events, in the plainest Python."""
    users = {}
    for (user_id, variant, revenue, order_id, _is_order, pre, event_time,
         country, minutes, clicked) in rows:
        if user_id is None or variant is None or not (START <= event_time[:10] <= END):
            continue
        u = users.setdefault((user_id, variant), {
            "revenue": 0.0, "orders": set(), "pre": None, "country": None,
            "minutes": 0.0, "clicked": 0})
        if revenue is not None:
            u["revenue"] += revenue
        if order_id is not None:
            u["orders"].add(order_id)
        if pre is not None and (u["pre"] is None or pre > u["pre"]):
            u["pre"] = pre
        if country is not None and (u["country"] is None or country > u["country"]):
            u["country"] = country
        if minutes is not None:
            u["minutes"] += minutes
        if clicked:
            u["clicked"] = 1
    variants_of = {}
    for user_id, variant in users:
        variants_of.setdefault(user_id, set()).add(variant)
    kept = {k: u for k, u in users.items() if len(variants_of[k[0]]) == 1}
    return kept, len(users) - len(kept)


def events(work):
    rows = make_events(random.Random(SEED))
    path = os.path.join(work, "events.csv")
    write_csv(path, [c for c, _ in EVENT_COLUMNS], rows)
    users, excluded = events_per_user(rows)
    table = Table("events", "analytics", "experiment_events", EVENT_COLUMNS, path, len(rows),
                  f"{len(rows)} synthetic event rows, {len(users)} users in one variant, "
                  f"{excluded} user-variant pairs of multi-variant users left out")

    def users_csv(name, metrics):
        header = ["user_id", "variant", "converted", "orders", "revenue", "pre_revenue"]
        if metrics:
            header += ["country", "session_minutes", "clicked"]
        out = []
        for (user_id, variant), u in sorted(users.items()):
            orders = len(u["orders"])
            row = [user_id, variant, int(orders > 0), orders, repr(u["revenue"]),
                   repr(u["pre"] if u["pre"] is not None else 0.0)]
            if metrics:
                row += [u["country"], repr(u["minutes"]), u["clicked"]]
            out.append(row)
        path = os.path.join(work, name)
        write_csv(path, header, out)
        return path

    plain = users_csv("events-users.csv", metrics=False)
    full = users_csv("events-users-metrics.csv", metrics=True)
    common = ["--user", "user_id", "--variant", "group", "--revenue", "revenue",
              "--pre-revenue", "pre_revenue", "--timestamp", "event_time",
              "--start", START, "--end", END]
    return table, [
        Case(table, "order id", common + ["--order-id", "order_id"], plain),
        Case(table, "is-order flag", common + ["--is-order", "is_order"], plain),
        # Revenue capped at an amount and floored: CUPED's sums use the capped values.
        Case(table, "revenue capped at 150, floored at 5",
             common + ["--order-id", "order_id", "--cap", "revenue:150", "--floor", "revenue:5"],
             plain, reduce_args=["--cap", "revenue:150", "--floor", "revenue:5"]),
        Case(table, "metrics, by country",
             common + ["--order-id", "order_id", "--metric", "session_minutes",
                       "--metric", "clicked:flag", "--segment", "country"],
             full, segment="country", flags=["clicked"]),
    ]


# --- public data sets --------------------------------------------------------

def read_gz(name):
    # utf-8-sig: the Cookie Cats copy starts with a byte-order mark.
    with gzip.open(os.path.join(DATA, name), "rt", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def hillstrom(work):
    header, rows = read_gz("hillstrom.csv.gz")
    types = {"recency": INTEGER, "history": DOUBLE, "mens": INTEGER, "womens": INTEGER,
             "newbie": INTEGER, "visit": INTEGER, "conversion": INTEGER, "spend": DOUBLE}
    # One row per customer; the file has no id, so the row number is one.
    columns = [("user_id", BIGINT)] + [(h, types.get(h, TEXT)) for h in header]
    path = os.path.join(work, "hillstrom.csv")
    write_csv(path, [c for c, _ in columns], ([i] + r for i, r in enumerate(rows, 1)))
    table = Table("hillstrom", "analytics", "hillstrom", columns, path, len(rows),
                  f"{len(rows)} Hillstrom customers, 3 arms")
    at = {h: i for i, h in enumerate(header)}

    def users_csv(name, segment):
        # The arm is written as `variant`: the app would read a column called
        # `segment` as a segment. `converted` comes first so that `conversion`
        # stays a metric, as in the SQL, where conversions are spend > 0.
        cols = ["user_id", "variant", "converted", "revenue", "visit", "conversion"]
        out = []
        for i, r in enumerate(rows, 1):
            spend = float(r[at["spend"]])
            out.append([i, r[at["segment"]], int(spend > 0), r[at["spend"]],
                        r[at["visit"]], r[at["conversion"]]]
                       + ([r[at[segment]]] if segment else []))
        path = os.path.join(work, name)
        write_csv(path, cols + ([segment] if segment else []), out)
        return path

    sql = ["--user", "user_id", "--variant", "segment", "--revenue", "spend",
           "--metric", "visit:flag", "--metric", "conversion:flag"]
    flags = ["visit", "conversion"]
    return table, [
        Case(table, "all customers", sql, users_csv("hillstrom-users.csv", None),
             flags=flags),
        Case(table, "by channel", sql + ["--segment", "channel"],
             users_csv("hillstrom-users-channel.csv", "channel"), segment="channel",
             flags=flags),
        # Spend capped at its p95 without the zeros (pooled over every arm
        # and channel), by channel.
        Case(table, "spend capped at p95 of buyers, by channel",
             sql + ["--cap", "spend:95%:ignore-zeros", "--segment", "channel"],
             users_csv("hillstrom-users-channel.csv", "channel"), segment="channel",
             flags=flags, reduce_args=["--cap", "revenue:95%:ignore-zeros"]),
        # A segment of numbers (months since the last purchase, 1 to 12).
        Case(table, "by recency", sql + ["--segment", "recency"],
             users_csv("hillstrom-users-recency.csv", "recency"), segment="recency",
             flags=flags),
    ]


def cookie_cats(work):
    header, rows = read_gz("cookie_cats.csv.gz")
    assert header == ["userid", "version", "sum_gamerounds", "retention_1", "retention_7"], header
    columns = [("userid", BIGINT), ("version", TEXT), ("sum_gamerounds", INTEGER),
               ("retention_1", BOOLEAN), ("retention_7", BOOLEAN)]
    path = os.path.join(work, "cookie_cats.csv")
    write_csv(path, header, rows)
    table = Table("cookie cats", "analytics", "cookie_cats", columns, path, len(rows),
                  f"{len(rows)} Cookie Cats players, 2 arms")
    users = os.path.join(work, "cookie_cats-users.csv")
    write_csv(users, ["user_id", "variant", "sum_gamerounds", "retention_1", "retention_7"], rows)
    sql = ["--user", "userid", "--variant", "version", "--metric", "sum_gamerounds",
           "--metric", "retention_1:flag", "--metric", "retention_7:flag"]
    caps = ["--cap", "sum_gamerounds:99%", "--floor", "sum_gamerounds:1"]
    return table, [Case(table, "all players", sql, users,
                        flags=["retention_1", "retention_7"]),
                   Case(table, "rounds capped at p99, floored at 1", sql + caps, users,
                        flags=["retention_1", "retention_7"], reduce_args=caps)]


def all_tables(work):
    return [events(work), hillstrom(work), cookie_cats(work)]
