#!/usr/bin/env python3
"""Reference values for capped (winsorized) mean metrics, with GrowthBook's
semantics reproduced in numpy and its statistics from gbstats 0.8.0.

Capping as GrowthBook does it: the per-user value becomes
LEAST(COALESCE(value, 0), cap), where the cap is an amount or a percentile
of every user's value pooled over all variants (never per variant), taken
by linear interpolation (numpy's default, Hyndman-Fan type 7, SQL's
PERCENTILE_CONT); with "ignore zeros" the percentile leaves the zeros out
(the zeros themselves stay in the mean). A floor (lower tail) clips the
other end the same way: GrowthBook has none; numpy's `clip` defines it.
The capped sums per variant then go through gbstats' SampleMeanStatistic
and TwoSidedTTest (absolute and relative difference, 95%), and, for CUPED,
RegressionAdjustedStatistic with the previous year's spend (`history`,
not capped) as the covariate.

Data:
- Kevin Hillstrom's e-mail test (tests/data/hillstrom.csv.gz, 64,000
  customers): `spend` per customer, the arm in `segment`, "No E-Mail" the
  control; capped at p99.9 of everyone, at p95 and p90 without the zeros,
  at 200 dollars, and floored at 1 dollar with the p95 cap;
- the worked example of the research note (control c_i = exp(4·u_i) − 1,
  u_i = ((7919·i mod 1000) + 0.5)/1000, i < 1000; treatment with 4.2 and
  1200), capped at its pooled p95.

Writes `capping_fixture.json`:

    python3 tests/reference/generate_capping.py
"""
import csv
import gzip
import io
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

ensure_venv(__file__)

import numpy as np  # noqa: E402
from importlib.metadata import version  # noqa: E402
from gbstats.frequentist.tests import FrequentistConfig, TwoSidedTTest  # noqa: E402
from gbstats.models.statistics import (  # noqa: E402
    RegressionAdjustedStatistic,
    SampleMeanStatistic,
    compute_theta,
)

ROOT = os.path.dirname(os.path.dirname(HERE))
CONTROL = "No E-Mail"
ARMS = ["Womens E-Mail", "Mens E-Mail"]
# (name, tail, level as a fraction or None, amount or None, ignore zeros)
HILLSTROM_CASES = [
    ("cap p99.9", [("upper", 0.999, None, False)]),
    ("cap p95 ignoring zeros", [("upper", 0.95, None, True)]),
    ("cap p90 ignoring zeros", [("upper", 0.90, None, True)]),
    ("cap 200", [("upper", None, 200.0, False)]),
    ("cap p95 ignoring zeros and floor 1", [("upper", 0.95, None, True), ("lower", None, 1.0, False)]),
]


def cap_value(pooled, level, amount, ignore_zeros):
    if amount is not None:
        return float(amount)
    sample = pooled[pooled != 0] if ignore_zeros else pooled
    return float(np.quantile(sample, level, method="linear"))


def apply(values_by_arm, caps):
    """Capped values per arm, and each cap's value and users beyond it."""
    pooled = np.concatenate(list(values_by_arm.values()))
    low, high, applied = -np.inf, np.inf, []
    for tail, level, amount, ignore_zeros in caps:
        v = cap_value(pooled, level, amount, ignore_zeros)
        beyond = int((pooled > v).sum() if tail == "upper" else (pooled < v).sum())
        applied.append({"tail": tail, "value": v, "beyond": beyond})
        if tail == "upper":
            high = min(high, v)
        else:
            low = max(low, v)
    return {a: np.minimum(np.maximum(x, low), high) for a, x in values_by_arm.items()}, applied


def stat(x):
    return SampleMeanStatistic(n=len(x), sum=float(x.sum()), sum_squares=float((x ** 2).sum()))


def ttest(a, b):
    out = {}
    for kind in ("absolute", "relative"):
        r = TwoSidedTTest(a, b, FrequentistConfig(alpha=0.05, difference_type=kind)).compute_result()
        out[kind] = {"estimate": r.expected, "ci": list(r.ci), "p_value": r.p_value}
    return out


def compare_arms(capped, control, arms):
    out = {}
    for arm in arms:
        x = capped[arm]
        t = ttest(stat(capped[control]), stat(x))
        t["sums"] = {"n": len(x), "sum": float(x.sum()), "sum_sq": float((x ** 2).sum())}
        out[arm] = t
    return out


def main():
    with gzip.open(os.path.join(ROOT, "tests", "data", "hillstrom.csv.gz"), "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    spend = {a: np.array([float(r["spend"]) for r in rows if r["segment"] == a]) for a in [CONTROL] + ARMS}
    history = {a: np.array([float(r["history"]) for r in rows if r["segment"] == a]) for a in [CONTROL] + ARMS}
    cases = []
    for name, caps in HILLSTROM_CASES:
        capped, applied = apply(spend, caps)
        case = {"name": name,
                "caps": [{"tail": t, "level": lv, "amount": am, "ignore_zeros": z} for t, lv, am, z in caps],
                "applied": applied,
                "control": {"n": len(capped[CONTROL]), "sum": float(capped[CONTROL].sum())},
                "arms": compare_arms(capped, CONTROL, ARMS)}
        cases.append(case)

    # CUPED on the capped spend, the previous year's spend the covariate.
    capped, applied = apply(spend, [("upper", 0.95, None, True)])

    def adjusted(arm):
        post, pre = capped[arm], history[arm]
        return RegressionAdjustedStatistic(
            n=len(post), post_statistic=stat(post), pre_statistic=stat(pre),
            post_pre_sum_of_products=float((post * pre).sum()), theta=0)
    cuped = {}
    for arm in ARMS:
        a, b = adjusted(CONTROL), adjusted(arm)
        theta = compute_theta(a, b)
        a.theta, b.theta = theta, theta
        # As in generate_metrics.py: the 0.8.0 wheel understates the relative
        # variance under CUPED, so its relative point estimate and the
        # absolute test are the reference.
        t = ttest(a, b)
        cuped[arm] = {"theta": theta, "relative": t["relative"]["estimate"], "absolute": t["absolute"]}

    # The research note's worked example.
    def formula(a, m):
        i = np.arange(m)
        return np.exp(a * (((7919 * i) % m + 0.5) / m)) - 1
    worked_capped, worked_applied = apply({"control": formula(4.0, 1000), "treatment": formula(4.2, 1200)},
                                          [("upper", 0.95, None, False)])
    worked = {"applied": worked_applied,
              "means": {a: float(x.mean()) for a, x in worked_capped.items()},
              "test": ttest(stat(worked_capped["control"]), stat(worked_capped["treatment"]))}

    fixture = {
        "generated_by": "tests/reference/generate_capping.py",
        "versions": {"gbstats": version("gbstats"), "numpy": np.__version__, "python": sys.version.split()[0]},
        "control": CONTROL,
        "arms": ARMS,
        "hillstrom_spend": cases,
        "hillstrom_cuped_capped_p95_ignoring_zeros": {"applied": applied, "arms": cuped},
        "worked_example_p95": worked,
    }
    with open(os.path.join(HERE, "capping_fixture.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
