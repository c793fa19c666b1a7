#!/usr/bin/env python3
"""Reference values for causalml's uplift scores beside scikit-uplift's.

causalml 0.18.0's `qini_score` and `auuc_score` (`causalml.metrics`, from
`causalml/metrics/visualize.py`) with their defaults (normalize=True,
tmle=False, no true-effect column `tau`), and for a check some points of
`get_qini` and `get_cumgain` with and without normalize, on the cases of
targeting_fixture.json: its small cases (read from that file, so the data
are the same) and Hillstrom's e-mail test scored by the two-model
regression (tests/data/hillstrom_targeting.csv.gz, outcomes visit and
conversion). Written to `causalml_fixture.json`.

causalml sorts the users with pandas' `sort_values(score, ascending=False)`,
whose default quicksort is not stable: the order of tied users is numpy's
(on x86 its SIMD sort), so on scores with ties causalml's numbers depend
on the machine. Each case is therefore scored twice:

- `*_ties_in_file_order`: causalml given the score with its ties broken by
  file order (the users' ranks, highest score first and, among equal
  scores, the earlier row first), which has no ties left, so any sort gives
  the same order. This is the definition the engine implements.
- `*_as_given`: causalml given the score as it is, ties in numpy's order
  on the machine that ran this, with `ties_matter` saying whether the two
  differ.

Runs in a private venv of its own (causalml wants newer numpy, pandas and
scikit-learn than scikit-uplift 0.5.1 allows; pinned below):

    python3 tests/reference/generate_causalml.py
"""
import csv
import gzip
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

PINS = ["causalml==0.18.0", "numpy==2.4.6", "pandas==3.1.1", "scipy==1.17.1",
        "scikit-learn==1.9.1"]
ensure_venv(__file__, os.path.join(HERE, ".venv-causalml"), PINS)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from importlib.metadata import version  # noqa: E402
from causalml.metrics import auuc_score, get_cumgain, get_qini, qini_score  # noqa: E402

TARGETING = os.path.join(HERE, "targeting_fixture.json")
SCORED = os.path.join(HERE, "..", "data", "hillstrom_targeting.csv.gz")
OUT = os.path.join(HERE, "causalml_fixture.json")


def file_order_rank(s):
    """n for the highest score down to 1, ties in file order."""
    rank = np.empty(len(s))
    rank[np.argsort(-s, kind="stable")] = np.arange(len(s), 0, -1)
    return rank


def scores(y, s, t):
    df = pd.DataFrame({"y": y, "w": t, "score": s})
    with warnings.catch_warnings():
        # A zero last point makes normalize divide by zero: a value that is
        # not finite, written as null.
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(qini_score(df)["score"]), float(auuc_score(df)["score"])


def points(y, s, t, n):
    """get_qini and get_cumgain at about 20 points and the last one."""
    df = pd.DataFrame({"y": y, "w": t, "score": s})
    at = sorted(set(range(0, n + 1, max(1, n // 20))) | {n})
    out = {"at": at}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for name, fun in [("qini", get_qini), ("gain", get_cumgain)]:
            for normalize in (False, True):
                curve = fun(df, normalize=normalize)["score"]
                assert len(curve) == n + 1 and list(curve.index) == list(range(n + 1))
                key = f"{name}_normalized" if normalize else name
                out[key] = [float(curve.loc[k]) for k in at]
    return out


def evaluate(y, s, t):
    y, s, t = np.asarray(y), np.asarray(s, dtype=float), np.asarray(t)
    rank = file_order_rank(s)
    qini, auuc = scores(y, rank, t)
    qini_given, auuc_given = scores(y, s, t)
    same = lambda a, b: (a == b) or (np.isnan(a) and np.isnan(b)) or abs(a - b) <= 1e-12 * max(1.0, abs(b))  # noqa: E731
    return {
        "n": len(s),
        "distinct_scores": len(set(s.tolist())),
        "qini_score_ties_in_file_order": qini,
        "auuc_score_ties_in_file_order": auuc,
        "qini_score_as_given": qini_given,
        "auuc_score_as_given": auuc_given,
        "ties_matter": not (same(qini, qini_given) and same(auuc, auuc_given)),
        "points_ties_in_file_order": points(y, rank, t, len(s)),
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
    with open(TARGETING) as f:
        targeting = json.load(f)
    cases = [{"name": c["name"], **evaluate(c["y"], c["score"], c["treatment"])}
             for c in targeting["cases"]]
    with gzip.open(SCORED, "rt", newline="") as f:
        rows = list(csv.DictReader(f))
    t = [int(r["treatment"]) for r in rows]
    s = [float(r["score"]) for r in rows]
    hillstrom = {"rows": len(rows),
                 "outcomes": {o: evaluate([int(r[o]) for r in rows], s, t) for o in ("visit", "conversion")}}
    fixture = {
        "generated_by": "tests/reference/generate_causalml.py",
        "cases_from": "tests/reference/targeting_fixture.json",
        "versions": {p: version(p) for p in ["causalml", "numpy", "pandas"]},
        "cases": cases,
        "hillstrom": hillstrom,
    }
    with open(OUT, "w") as f:
        json.dump(finite(fixture), f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT}")
    for c in cases + [{"name": f"hillstrom {k}", **v} for k, v in hillstrom["outcomes"].items()]:
        print(f"{c['name']}: qini {c['qini_score_ties_in_file_order']} (as given {c['qini_score_as_given']}), "
              f"auuc {c['auuc_score_ties_in_file_order']} (as given {c['auuc_score_as_given']})")


if __name__ == "__main__":
    main()
