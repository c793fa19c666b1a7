#!/usr/bin/env python3
"""Reference values for NPS (Net Promoter Score) comparisons.

NPS = share of promoters (9–10) − share of detractors (0–6). Formulas as in
stats/nps.rs, written here in numpy/scipy from the definitions (Wald, and
the adjusted Wald of Lewis & Sauro, MeasuringU: +3 answers, +¾ promoters,
+¾ detractors), since no maintained NPS package exists. Writes
`nps_fixture.json` with:

- the worked example of A (n 500, 220 promoters, 90 detractors) against
  B (n 520, 250, 80), both intervals;
- 16 seeded cases, small and large, some with negative scores, at 95% and
  90% confidence;
- the seeded survey export tests/data/nps_survey.csv (make_nps_survey.py):
  each variant's answers, promoters and detractors counted here (blank
  cells are no answer), each arm against the control with Holm-adjusted
  p-values (statsmodels `multipletests`); the 1–5 `csat` column as a mean.

Runs in the private venv with the pins of pinned.py:

    python3 tests/reference/generate_nps.py
"""
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

ensure_venv(__file__)

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import statsmodels  # noqa: E402
from importlib.metadata import version  # noqa: E402
from scipy import stats  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))


def estimate(n, p, d, adjusted):
    extra, each = (3.0, 0.75) if adjusted else (0.0, 0.0)
    m = n + extra
    pp, pd = (p + each) / m, (d + each) / m
    nps = pp - pd
    return nps, float(np.sqrt(max(pp + pd - nps**2, 0.0) / m))


def difference(a, b, adjusted, confidence):
    na, sa = estimate(*a, adjusted)
    nb, sb = estimate(*b, adjusted)
    se = float(np.hypot(sa, sb))
    delta = nb - na
    z = delta / se
    q = stats.norm.ppf(1 - (1 - confidence) / 2)
    return {
        "nps_a": na, "se_a": sa, "nps_b": nb, "se_b": sb,
        "difference": delta, "std_error": se, "z": z,
        "p_value": float(2 * stats.norm.sf(abs(z))),
        "ci": [delta - q * se, delta + q * se],
    }


def case(a, b, confidence):
    return {
        "a": list(a), "b": list(b), "confidence": confidence,
        "wald": difference(a, b, False, confidence),
        "adjusted_wald": difference(a, b, True, confidence),
    }


def seeded_cases():
    rng = np.random.default_rng(20261207)
    out = []
    for k in range(16):
        n_a, n_b = (int(x) for x in rng.integers(8, 40, 2)) if k < 6 else (int(x) for x in rng.integers(200, 20000, 2))
        # Shares of detractors, passives, promoters; some arms below zero.
        shares_a = rng.dirichlet([2 + k % 3, 2, 2])
        shares_b = rng.dirichlet([2, 2, 2 + k % 4])
        d_a, _, p_a = rng.multinomial(n_a, shares_a)
        d_b, _, p_b = rng.multinomial(n_b, shares_b)
        out.append(case((n_a, int(p_a), int(d_a)), (n_b, int(p_b), int(d_b)), 0.95 if k % 2 == 0 else 0.9))
    return out


def survey():
    path = os.path.join(ROOT, "tests", "data", "nps_survey.csv")
    answers, csat = {}, {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            v = row["variant"]
            answers.setdefault(v, [])
            csat.setdefault(v, []).append(float(row["csat"]))
            if row["likelihood_to_recommend"] != "":
                answers[v].append(int(row["likelihood_to_recommend"]))
    order = ["control", "recs_a", "recs_b"]
    counts = {}
    for v in order:
        x = np.array(answers[v])
        counts[v] = (int(x.size), int((x >= 9).sum()), int((x <= 6).sum()))
    arms = []
    for adjusted in (False, True):
        diffs = [difference(counts["control"], counts[v], adjusted, 0.95) for v in order[1:]]
        holm = multipletests([d["p_value"] for d in diffs], method="holm")[1]
        for d, p in zip(diffs, holm):
            d["p_value_holm"] = float(p)
        arms.append(diffs)
    return {
        "file": "tests/data/nps_survey.csv",
        "column": "likelihood_to_recommend",
        "variants": order,
        "counts": [list(counts[v]) for v in order],
        "nps": [estimate(*counts[v], False)[0] for v in order],
        "wald": arms[0],
        "adjusted_wald": arms[1],
        "csat_means": [float(np.mean(csat[v])) for v in order],
    }


def main():
    fixture = {
        "generated_by": "tests/reference/generate_nps.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "worked_example": case((500, 220, 90), (520, 250, 80), 0.95),
        "cases": seeded_cases(),
        "survey": survey(),
    }
    with open(os.path.join(HERE, "nps_fixture.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
