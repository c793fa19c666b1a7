#!/usr/bin/env python3
"""Reference values for uplift-model evaluation (targeting from a score).

scikit-uplift 0.5.1's `qini_curve`, `uplift_curve`, `perfect_qini_curve`,
`perfect_uplift_curve`, `qini_auc_score` (with and without negative
effects), `uplift_auc_score` and `uplift_by_percentile` (both strategies,
with standard deviations; the total row from numpy), written to
`targeting_fixture.json` for:

- small cases: scikit-uplift's own examples, ties in the score, a score
  that is constant, a perfect score, and seeded random data;
- Kevin Hillstrom's e-mail test (tests/data/hillstrom.csv.gz), women's
  e-mail against none, scored by a two-model ("T-learner") logistic
  regression fitted here on the customers' history (recency, history,
  mens, womens, newbie, zip code, channel): predicted visit probability
  with the e-mail minus without. The score, rounded to 6 decimals, is
  written with the outcome to tests/data/hillstrom_targeting.csv.gz, which
  the engine's tests and the browser tests read.

Runs in the private venv of pinned.py:

    python3 tests/reference/generate_targeting.py
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
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklift.metrics import (  # noqa: E402
    perfect_qini_curve,
    perfect_uplift_curve,
    qini_auc_score,
    qini_curve,
    uplift_auc_score,
    uplift_by_percentile,
    uplift_curve,
)

HILLSTROM = os.path.join(HERE, "..", "data", "hillstrom.csv.gz")
SCORED = os.path.join(HERE, "..", "data", "hillstrom_targeting.csv.gz")
OUT = os.path.join(HERE, "targeting_fixture.json")


def floats(a):
    return [float(x) for x in a]


def by_percentile(y, s, t, strategy, bins):
    # total=True fails in scikit-uplift 0.5.1 under numpy 1.26 (its bins=1
    # rates are arrays, not numbers), so the total row is numpy's own: the
    # whole sample's response rates and their binomial standard errors.
    df = uplift_by_percentile(y, s, t, strategy=strategy, bins=bins, std=True, total=False)
    rows = []
    for label, r in df.iterrows():
        rows.append({
            "percentile": str(label),
            "n_treatment": int(r["n_treatment"]),
            "n_control": int(r["n_control"]),
            "response_rate_treatment": float(r["response_rate_treatment"]),
            "response_rate_control": float(r["response_rate_control"]),
            "uplift": float(r["uplift"]),
            "std_treatment": float(r["std_treatment"]),
            "std_control": float(r["std_control"]),
            "std_uplift": float(r["std_uplift"]),
        })
    yt, yc = y[t == 1], y[t == 0]
    pt, pc = yt.mean(), yc.mean()
    st, sc = np.sqrt(pt * (1 - pt) / len(yt)), np.sqrt(pc * (1 - pc) / len(yc))
    rows.append({"percentile": "total", "n_treatment": int(len(yt)), "n_control": int(len(yc)),
                 "response_rate_treatment": float(pt), "response_rate_control": float(pc),
                 "uplift": float(pt - pc), "std_treatment": float(st), "std_control": float(sc),
                 "std_uplift": float(np.sqrt(st ** 2 + sc ** 2))})
    return rows


def evaluate(y, s, t, curves=True, bins=(10, 5)):
    y, s, t = np.asarray(y), np.asarray(s, dtype=float), np.asarray(t)
    def score(fun, **kw):
        try:
            return float(fun(y, s, t, **kw))
        except ValueError as e:  # refused by scikit-uplift: said, not compared
            return {"error": str(e)}

    out = {
        "qini_auc": score(qini_auc_score),
        "qini_auc_no_negative": score(qini_auc_score, negative_effect=False),
        "uplift_auc": score(uplift_auc_score),
    }
    curve = {}
    for name, fun in [("qini", qini_curve), ("uplift", uplift_curve)]:
        x, v = fun(y, s, t)
        curve[name] = {"x": floats(x), "y": floats(v)}
    for name, fun in [("perfect_qini", perfect_qini_curve), ("perfect_uplift", perfect_uplift_curve)]:
        x, v = fun(y, t)
        curve[name] = {"x": floats(x), "y": floats(v)}
    if not curves:
        # Long curves: their length and every 500th point.
        curve = {k: {"len": len(c["x"]), "every": 500, "x": c["x"][::500], "y": c["y"][::500],
                     "last": [c["x"][-1], c["y"][-1]]} for k, c in curve.items()}
    out["curves"] = curve
    out["by_percentile"] = {}
    for b in bins:
        if b < len(y):
            for strategy in ["overall", "by_group"]:
                out["by_percentile"][f"{strategy}/{b}"] = by_percentile(y, s, t, strategy, b)
    return out


def small_cases():
    rng = np.random.default_rng(20261203)
    cases = [
        # scikit-uplift's own doctest-sized examples.
        ("two users", [0, 1], [0.1, 0.3], [1, 0]),
        ("docs example", [1, 0, 1, 0, 1, 1, 0, 0], [0.8, 0.1, 0.6, 0.4, 0.9, 0.3, 0.2, 0.5],
         [1, 1, 0, 0, 1, 0, 1, 0]),
        ("ties in the score", [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1],
         [0.5, 0.5, 0.2, 0.5, 0.2, 0.9, 0.9, 0.2, 0.5, 0.1, 0.1, 0.9],
         [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0]),
        ("constant score", [1, 0, 0, 1, 1, 0, 1, 0, 0, 0], [0.3] * 10,
         [1, 1, 0, 0, 1, 0, 1, 0, 1, 0]),
    ]
    y = rng.integers(0, 2, 40)
    t = rng.integers(0, 2, 40)
    cases.append(("perfect score", y.tolist(), (2 * (y == t) + t).astype(float).tolist(), t.tolist()))
    for n, decimals in [(200, 2), (500, 1), (1000, 6)]:
        t = rng.integers(0, 2, n)
        s = np.round(rng.normal(0, 1, n), decimals)
        p = 0.2 + 0.1 * t * (s > 0)
        y = (rng.random(n) < p).astype(int)
        cases.append((f"random {n}, score to {decimals} decimals", y.tolist(), s.tolist(), t.tolist()))
    return [{"name": name, "y": list(map(int, y)), "score": list(map(float, s)), "treatment": list(map(int, t)),
             **evaluate(y, s, t)} for name, y, s, t in cases]


def hillstrom():
    with gzip.open(HILLSTROM, "rt", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["segment"] in ("Womens E-Mail", "No E-Mail")]
    zips = sorted({r["zip_code"] for r in rows})
    channels = sorted({r["channel"] for r in rows})

    def features(r):
        return [float(r["recency"]), float(r["history"]) / 100.0, float(r["mens"]), float(r["womens"]),
                float(r["newbie"])] + [float(r["zip_code"] == z) for z in zips[1:]] + \
               [float(r["channel"] == c) for c in channels[1:]]

    X = np.array([features(r) for r in rows])
    t = np.array([int(r["segment"] == "Womens E-Mail") for r in rows])
    visit = np.array([int(r["visit"]) for r in rows])
    conversion = np.array([int(r["conversion"]) for r in rows])
    model = {}
    for arm in (0, 1):
        m = LogisticRegression(max_iter=1000)
        m.fit(X[t == arm], visit[t == arm])
        model[arm] = m
    score = np.round(model[1].predict_proba(X)[:, 1] - model[0].predict_proba(X)[:, 1], 6)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["treatment", "visit", "conversion", "spend", "score"])
    for r, ti, si in zip(rows, t, score):
        w.writerow([ti, r["visit"], r["conversion"], r["spend"], f"{si:.6f}"])
    with open(SCORED, "wb") as f:
        f.write(gzip.compress(buf.getvalue().encode(), compresslevel=9, mtime=0))
    # Scores as written, read back, so both sides use the same numbers.
    s = np.array([float(f"{x:.6f}") for x in score])
    return {
        "rows": len(rows),
        "outcomes": {name: evaluate(y, s, t, curves=False) for name, y in
                     [("visit", visit), ("conversion", conversion)]},
    }


def finite(v):
    """JSON has no NaN or infinity: such a value is written as null."""
    if isinstance(v, float):
        return v if np.isfinite(v) else None
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [finite(x) for x in v]
    return v


def main():
    fixture = {
        "generated_by": "tests/reference/generate_targeting.py",
        "versions": {p: version(p) for p in ["scikit-uplift", "scikit-learn", "numpy"]},
        "cases": small_cases(),
        "hillstrom": hillstrom(),
    }
    with open(OUT, "w") as f:
        json.dump(finite(fixture), f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT} and {SCORED}")


if __name__ == "__main__":
    main()
