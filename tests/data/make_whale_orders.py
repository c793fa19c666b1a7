#!/usr/bin/env python3
"""A seeded order export with one whale, for the capping tests, made here
with the standard library only so it is reproducible without a download:

`whale_orders.csv`: one row per user of a test of personalised offers,
`user_id, variant, revenue`. About 10% of control users and 13% of
`personalized` users buy, each for a lognormal amount (median about 37);
the first control user spent 25,000. The whale makes the raw revenue per
user look worse in `personalized`; capped at the 99.9th percentile of all
users it is better.

    python3 tests/data/make_whale_orders.py
"""
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    rng = random.Random(7)
    lines = ["user_id,variant,revenue"]
    for i in range(6000):
        arm = "control" if i % 2 == 0 else "personalized"
        buys = rng.random() < (0.10 if arm == "control" else 0.13)
        revenue = round(rng.lognormvariate(3.6, 0.5), 2) if buys else 0
        if i == 0:
            revenue = 25000.0
        lines.append(f"u{i:05d},{arm},{revenue}")
    (HERE / "whale_orders.csv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
