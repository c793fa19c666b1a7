#!/usr/bin/env python3
"""Reference values for difference-in-differences on the data sets that
CausalPy 0.9.0 ships (`causalpy.load_data`), by the same statsmodels
0.15.0 conventions as generate_did.py (did_statsmodels.py: the 2x2
`y ~ treated + post + treated:post` with HC1, or CR1 clustered by unit,
and `use_t=True`; the event study with the period before the launch left
out; the pre-trend `f_test`), and CausalPy's own point estimate:
`cp.DifferenceInDifferences(..., formula="y ~ 1 + group*post_treatment",
model=sklearn.linear_model.LinearRegression(fit_intercept=False))`, its OLS
back end, as in CausalPy's scikit-learn DiD example (patsy's design matrix
holds the intercept). CausalPy is installed with its
dependencies (PyMC among them) in a private venv, .venv-did-causalpy.

The data sets:

- `did`: CausalPy's DiD example, made by
  `causalpy.data.simulate_data.generate_did(seed=8927)`: 20 units, half of
  them treated, observed at t = 0 and t = 1; the treated units gain 0.5
  after t = 0.5, plus N(0, 0.1) noise. Clustered by `unit` (20 clusters),
  after the column `post_treatment` (True/False), as the file comes;
- `banks`: `banks.csv`, daily counts of banks in business in Mississippi
  from 1 July 1929 to 21 August 1934, in the Federal Reserve's Sixth
  (Atlanta) and Eighth (St. Louis) districts (Richardson & Troost 2009,
  "Monetary Intervention Mitigated Banking Panics during the Great
  Depression", JPE 117(6); Angrist & Pischke, Mastering 'Metrics, ch. 5).
  The Sixth District, which lent to banks in trouble, is the treated group,
  from 1931 on (CausalPy's treatment time 1930.5). Two layouts:
  `banks_yearly`, the median count per district and year, long, as in
  CausalPy's banks notebook, whose "Analysis 2" (all years pooled into
  before and after) is the 2x2 here; and `banks_daily`, one row per
  district and day, with the event study by year. Two districts are too
  few clusters for CR1 (one degree of freedom), so rows are taken as
  independent: HC1, with no unit column;
- `california_prop99`: `california_prop99.csv`, per-capita cigarette sales
  (packs) in 39 US states, 1970-2000 (Abadie, Diamond & Hainmueller 2010),
  long; California is treated from 1989 (Proposition 99). Clustered by
  state (39 clusters, one of them treated); the event study's pre-trend
  test rejects: California's sales were already falling faster.

Written to `did_causalpy_fixture.json` with each case's data as CSV text
in the columns the engine's did reader takes:

    python3 tests/reference/generate_did_causalpy.py
"""
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

PINS = ["causalpy==0.9.0", "statsmodels==0.15.0", "scipy==1.17.1", "numpy==2.4.6",
        "pandas==3.1.1", "scikit-learn==1.9.1", "patsy==1.0.3", "pymc==5.28.5",
        "pytensor==2.38.3"]
ensure_venv(__file__, os.path.join(HERE, ".venv-did-causalpy"), PINS)

# CausalPy's import prints ArviZ's notice of its coming refactor.
warnings.simplefilter("ignore", FutureWarning)

import causalpy as cp  # noqa: E402
import pandas as pd  # noqa: E402
from did_statsmodels import case  # noqa: E402
from importlib.metadata import version  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402

OUT = os.path.join(HERE, "did_causalpy_fixture.json")


def causalpy_effect(df, group, post, time, outcome):
    """CausalPy's OLS DiD estimate: the coefficient on group:post_treatment.
    CausalPy wants a `unit` column (for its plots) and a boolean
    `post_treatment`."""
    frame = pd.DataFrame({
        "y": df[outcome].astype(float),
        "group": df[group].astype(int),
        "post_treatment": df[post].astype(bool),
        "t": df[time],
        "unit": df["unit"] if "unit" in df else 0,
    })
    formula = "y ~ 1 + group*post_treatment"
    result = cp.DifferenceInDifferences(frame, formula=formula, time_variable_name="t",
                                        group_variable_name="group",
                                        model=LinearRegression(fit_intercept=False))
    return {"formula": formula, "effect": float(result.causal_impact)}


def banks():
    raw = cp.load_data("banks")
    long = raw.melt(id_vars=["date", "year"], value_vars=["bib6", "bib8"],
                    var_name="column", value_name="bib")
    long["district"] = long.column.map({"bib6": "Sixth District", "bib8": "Eighth District"})
    long["sixth"] = (long.column == "bib6").astype(int)
    daily = long[["date", "year", "district", "sixth", "bib"]].sort_values(["date", "district"])
    # CausalPy's notebook: the median per year, long, post from 1930.5.
    yearly = (raw.filter(items=["bib6", "bib8", "year"])
              .rename(columns={"bib6": "Sixth District", "bib8": "Eighth District"})
              .groupby("year").median().reset_index()
              .melt(id_vars=["year"], value_vars=["Sixth District", "Eighth District"],
                    var_name="unit", value_name="bib")
              .sort_values("year", kind="stable").reset_index(drop=True))
    yearly["district"] = (yearly.unit == "Sixth District").astype(int)
    yearly["post_treatment"] = yearly.year >= 1930.5
    return yearly[["year", "unit", "district", "post_treatment", "bib"]], daily


def prop99():
    wide = cp.load_data("california_prop99")
    long = wide.melt(id_vars="Year", var_name="state", value_name="packs")
    long["california"] = (long.state == "California").astype(int)
    return long[["state", "Year", "california", "packs"]]


def main():
    did = cp.load_data("did")
    yearly, daily = banks()
    cal = prop99()
    cases = [
        (case("causalpy_did", did,
              {"outcome": "y", "treated": "group", "unit": "unit", "post": "post_treatment"}),
         causalpy_effect(did, "group", "post_treatment", "t", "y")),
        (case("causalpy_banks_yearly", yearly,
              {"outcome": "bib", "treated": "district", "post": "post_treatment"}),
         causalpy_effect(yearly, "district", "post_treatment", "post_treatment", "bib")),
        (case("causalpy_banks_daily", daily,
              {"outcome": "bib", "treated": "sixth", "period": "year"},
              launch=1931, event=True),
         causalpy_effect(daily.assign(unit=daily.district, post=daily.year >= 1931),
                         "sixth", "post", "year", "bib")),
        (case("causalpy_california_prop99", cal,
              {"outcome": "packs", "treated": "california", "unit": "state", "period": "Year"},
              confidence=0.9, launch=1989, event=True),
         causalpy_effect(cal.assign(unit=cal.state, post=cal.Year >= 1989),
                         "california", "post", "Year", "packs")),
    ]
    for c, effect in cases:
        c["causalpy"] = effect
    cases = [c for c, _ in cases]
    fixture = {
        "generated_by": "tests/reference/generate_did_causalpy.py",
        "versions": {p: version(p) for p in ["causalpy", "statsmodels", "scikit-learn", "numpy",
                                             "pandas", "scipy"]},
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT}")
    for c in cases:
        d = c["did"]
        pre = c.get("event_study", {}).get("pre_trend")
        print(f"{c['name']}: effect {d['effect']:.6g} (CausalPy {c['causalpy']['effect']:.6g}) "
              f"se {d['se']:.6g} p {d['p_value']:.4g} n {d['nobs']} G {c['n_clusters']}"
              + (f" pre-trend F {pre['f']:.4g} p {pre['p_value']:.4g}" if pre else ""))


if __name__ == "__main__":
    main()
