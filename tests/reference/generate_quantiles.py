#!/usr/bin/env python3
"""Reference values for quantile metrics (the median, p90 … of a per-user
metric per variant) by gbstats 0.8.0's method: Deng, Knoblich & Lu (2018),
"Applying the Delta Method in Metric Analytics", as GrowthBook runs it.

For a level ν and n users: n* is the largest of 100·2^k (k = 0…19) not
above n (n itself below 100); the rank levels ν ± z·√(ν(1−ν)/n*) (z for
95%, clamped to [1e-8, 1 − 1e-8]); the sample quantiles at ν and at those
levels by numpy's default (`method="linear"`, Hyndman–Fan type 7, SQL's
PERCENTILE_CONT); then gbstats' `QuantileStatistic` and `TwoSidedTTest`
give each variant's quantile and variance and the absolute and relative
difference with interval and p-value. Writes `quantile_fixture.json`:

- deterministic cases: control c_i = exp(a·u_i) − 1 with
  u_i = ((7919·i mod m) + 0.5)/m, i = 0…m−1, and the treatment likewise
  (the worked example of the research note is a = 4, m = 1000 against
  a = 4.2, m = 1200), at several levels;
- a real one: the Cookie Cats test's `sum_gamerounds` per player
  (tests/data/cookie_cats.csv.gz, gate_30 the control) at p50, p90, p99.

    python3 tests/reference/generate_quantiles.py
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
import scipy  # noqa: E402
from importlib.metadata import version  # noqa: E402
from scipy import stats  # noqa: E402
from gbstats.frequentist.tests import FrequentistConfig, TwoSidedTTest  # noqa: E402
from gbstats.models.statistics import QuantileStatistic  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
Z = stats.norm.ppf(0.975)
GRID = [100 * 2**k for k in range(20)]


def n_star(n):
    below = [g for g in GRID if g <= n]
    return below[-1] if below else n


def quantile_stat(x, nu):
    x = np.asarray(x, dtype=float)
    n = x.size
    ns = n_star(n)
    half = Z * np.sqrt(nu * (1 - nu) / ns)
    lo, hi = max(nu - half, 1e-8), min(nu + half, 1 - 1e-8)
    q, ql, qu = np.quantile(x, [nu, lo, hi], method="linear")
    return QuantileStatistic(n=n, n_star=ns, nu=nu, quantile_hat=float(q), quantile_lower=float(ql), quantile_upper=float(qu))


def compare(c, t, nu):
    a, b = quantile_stat(c, nu), quantile_stat(t, nu)
    out = {"nu": nu, "control": {"n": a.n, "n_star": a.n_star, "quantile": a.quantile_hat, "variance": a.variance},
           "treatment": {"n": b.n, "n_star": b.n_star, "quantile": b.quantile_hat, "variance": b.variance}}
    for kind in ("absolute", "relative"):
        r = TwoSidedTTest(a, b, FrequentistConfig(alpha=0.05, difference_type=kind)).compute_result()
        out[kind] = {"estimate": r.expected, "ci": list(r.ci), "p_value": r.p_value}
    return out


def formula(a, m):
    i = np.arange(m)
    u = ((7919 * i) % m + 0.5) / m
    return np.exp(a * u) - 1


def main():
    cases = []
    for (ac, mc, at, mt) in [(4.0, 1000, 4.2, 1200), (2.0, 300, 2.1, 250), (3.0, 5000, 3.0, 4000), (1.0, 150, 1.5, 180)]:
        for nu in (0.5, 0.9, 0.1, 0.95):
            case = compare(formula(ac, mc), formula(at, mt), nu)
            case["data"] = {"control": [ac, mc], "treatment": [at, mt]}
            cases.append(case)
    with gzip.open(os.path.join(ROOT, "tests", "data", "cookie_cats.csv.gz"), "rt", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    by = {"gate_30": [], "gate_40": []}
    for r in rows:
        by[r["version"]].append(float(r["sum_gamerounds"]))
    real = []
    for nu in (0.5, 0.9, 0.99):
        real.append(compare(by["gate_30"], by["gate_40"], nu))
    fixture = {
        "generated_by": "tests/reference/generate_quantiles.py",
        "versions": {"gbstats": version("gbstats"), "numpy": np.__version__, "scipy": scipy.__version__},
        "formula_cases": cases,
        "cookie_cats_sum_gamerounds": real,
    }
    with open(os.path.join(HERE, "quantile_fixture.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
