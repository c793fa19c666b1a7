#!/usr/bin/env python3
"""Two small seeded exports for the browser tests of the summary, shaped
like the public ones the summary was tried with (a brand-survey ad test and
a fast-food promotion test) but made here, with the standard library only,
so they are reproducible without a download:

- `survey_sim.csv.gz`: one row per respondent, `respondent_id, group, yes`:
  `control` or `exposed`, and whether they answered yes (14% and 16.5%).
  The primary metric is a survey answer, not a purchase, and there is no
  revenue: the page must ask what one "yes" is worth.
- `promotions_sim.csv.gz`: one row per store-week, `Promotion, MarketSize,
  SalesInThousands`, three promotions (1, 2, 3; the first row is 3) in
  small, medium and large markets. No arm is named like a control, the arms
  are numbers, and sales are not money per user.

    python3 tests/data/make_headline_data.py
"""
import gzip
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write(name, header, rows):
    text = ",".join(header) + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows)
    # mtime 0: the same bytes on every run.
    with gzip.GzipFile(HERE / name, "wb", compresslevel=9, mtime=0) as f:
        f.write(text.encode())


def survey():
    rng = random.Random(29)
    rows = []
    for i in range(4000):
        group = "exposed" if rng.random() < 0.5 else "control"
        rate = 0.165 if group == "exposed" else 0.14
        rows.append((100000 + i, group, int(rng.random() < rate)))
    write("survey_sim.csv.gz", ["respondent_id", "group", "yes"], rows)


def promotions():
    rng = random.Random(30)
    means = {1: 58.0, 2: 47.0, 3: 55.0}
    size = {"Small": 0.8, "Medium": 1.0, "Large": 1.3}
    rows = []
    for store in range(150):
        promotion = [3, 1, 2][store % 3]
        market = ["Medium", "Large", "Small", "Medium"][store % 4]
        for _week in range(4):
            sales = rng.gauss(means[promotion] * size[market], 9.0)
            rows.append((promotion, market, f"{max(sales, 5.0):.2f}"))
    write("promotions_sim.csv.gz", ["Promotion", "MarketSize", "SalesInThousands"], rows)


if __name__ == "__main__":
    survey()
    promotions()
