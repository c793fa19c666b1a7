#!/usr/bin/env python3
"""Reference values for the lift over time (the engine's `timeline`), on a
seeded simulated experiment: no package we pin ships a day-by-day A/B
export, so the data is made here and committed.

The experiment: 14 days from Monday 2024-03-04, about 900 users a day per
arm (650 at the weekend), a control converting at 10% and a
"personalized" variant with a novelty effect, +32% on the first day fading
towards +2%; buyers spend a log-normal amount. Written one row per user
(`user_id, exposed_at, variant, converted, revenue`, timestamps with a
space or a `T`) to `tests/data/timeline_sim.csv.gz`.

For the conversion flag (a proportion) and the revenue (a mean), over all
14 days and over the first 7 only (an experiment still running):

- each day's users and sums per arm, the day's relative lift;
- the cumulative relative lift with gbstats 0.8.0's fixed-horizon interval
  (`TwoSidedTTest`) and always-valid interval (`SequentialTwoSidedTTest`,
  tau = 5000), as `generate.py` produces its sequential references;
- the trend of the daily lift on the day index, `scipy.stats.linregress`;
- the users per variant needed for the observed lift (or 5% if it is not
  positive) at 80% power, alpha 0.05: statsmodels' `NormalIndPower.power`
  (Cohen's h for the rate, d = lift * mean / sd for revenue) solved to full
  precision with `scipy.optimize.brentq` (its own `solve_power` stops near
  1e-4), and the days still needed at the traffic so far.

Written to `timeline_fixture.json`. Runs in the main reference venv:

    python3 tests/reference/generate_timeline.py
"""
import datetime as dt
import gzip
import io
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

ensure_venv(__file__)

import numpy as np  # noqa: E402
from importlib.metadata import version  # noqa: E402
from scipy import optimize, stats  # noqa: E402
from statsmodels.stats.power import NormalIndPower  # noqa: E402
from statsmodels.stats.proportion import proportion_effectsize  # noqa: E402

from gbstats.frequentist.tests import (  # noqa: E402
    FrequentistConfig,
    SequentialConfig,
    SequentialTwoSidedTTest,
    TwoSidedTTest,
)
from gbstats.models.statistics import ProportionStatistic, SampleMeanStatistic  # noqa: E402

DATA = os.path.join(HERE, "..", "data", "timeline_sim.csv.gz")
OUT = os.path.join(HERE, "timeline_fixture.json")
START = dt.datetime(2024, 3, 4)
DAYS = 14
ARMS = ["control", "personalized"]
ALPHA, TAU, POWER = 0.05, 5000, 0.8


def simulate():
    """Rows (day, timestamp text, arm, converted, revenue text), by time."""
    rng = np.random.default_rng(20240304)
    rows = []
    uid = 0
    for d in range(DAYS):
        day = START + dt.timedelta(days=d)
        weekend = day.weekday() >= 5
        for arm in ARMS:
            n = int(rng.poisson(650 if weekend else 900))
            lift = 0.0 if arm == "control" else 0.02 + 0.30 * math.exp(-d / 4)
            p = 0.10 * (1 + lift)
            seconds = np.sort(rng.integers(0, 86_400, n))
            converted = rng.random(n) < p
            spend = np.round(rng.lognormal(3.5, 0.8, n), 2)
            for s, c, r in zip(seconds, converted, spend):
                uid += 1
                t = day + dt.timedelta(seconds=int(s))
                sep = "T" if uid % 5 == 0 else " "
                rows.append((d, t, t.strftime(f"%Y-%m-%d{sep}%H:%M:%S"), arm, int(c), f"{r:.2f}" if c else "0"))
    rows.sort(key=lambda r: (r[1], r[3]))
    return rows


def write(rows):
    text = io.StringIO()
    text.write("user_id,exposed_at,variant,converted,revenue\n")
    for k, (_, _, stamp, arm, c, rev) in enumerate(rows):
        text.write(f"u{k + 1},{stamp},{arm},{c},{rev}\n")
    with open(DATA, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(text.getvalue().encode())


def stat(kind, n, s, ss):
    if kind == "proportion":
        return ProportionStatistic(n=n, sum=s)
    return SampleMeanStatistic(n=n, sum=s, sum_squares=ss)


def power_solve(effect):
    solver = NormalIndPower()
    f = lambda n: solver.power(effect_size=effect, nobs1=n, alpha=ALPHA, ratio=1.0) - POWER  # noqa: E731
    return optimize.brentq(f, 2.0, 1e12, xtol=1e-12, rtol=1e-15, maxiter=500)


def case(rows, metric, kind, last_day):
    col = 4 if metric == "converted" else 5
    sums = {d: {a: [0, 0.0, 0.0] for a in ARMS} for d in range(last_day)}
    for d, _, _, arm, c, rev in rows:
        if d < last_day:
            x = float(c) if col == 4 else float(rev)
            s = sums[d][arm]
            s[0] += 1
            s[1] += x
            s[2] += x * x
    cum = {a: [0, 0.0, 0.0] for a in ARMS}
    days = []
    for d in range(last_day):
        for a in ARMS:
            for i in range(3):
                cum[a][i] += sums[d][a][i]
        (nc, sc, _), (nt, st, _) = sums[d]["control"], sums[d]["personalized"]
        a, b = (stat(kind, *cum[x]) for x in ARMS)
        f = TwoSidedTTest(a, b, FrequentistConfig(alpha=ALPHA, difference_type="relative")).compute_result()
        s = SequentialTwoSidedTTest(
            a, b, SequentialConfig(alpha=ALPHA, difference_type="relative", sequential_tuning_parameter=TAU)
        ).compute_result()
        days.append({
            "date": (START + dt.timedelta(days=d)).strftime("%Y-%m-%d"),
            "day": d + 1,
            "users": [nc, nt],
            "daily_lift": (st / nt) / (sc / nc) - 1,
            "cumulative_users": [cum["control"][0], cum["personalized"][0]],
            "cumulative_value": [cum[x][1] / cum[x][0] for x in ARMS],
            "estimate": f.expected,
            "fixed_ci": list(f.ci),
            "fixed_p_value": f.p_value,
            "always_valid_ci": list(s.ci),
            "always_valid_p_value": s.p_value,
        })
    x = [r["day"] for r in days]
    y = [r["daily_lift"] for r in days]
    reg = stats.linregress(x, y)
    observed = days[-1]["estimate"]
    lift = observed if observed > 0 else 0.05
    n_c, s_c, ss_c = cum["control"]
    mean_c = s_c / n_c
    if kind == "proportion":
        effect = proportion_effectsize(mean_c * (1 + lift), mean_c)
    else:
        sd = math.sqrt((ss_c - s_c * s_c / n_c) / (n_c - 1))
        effect = lift * mean_c / sd
    needed = power_solve(effect)
    more = max(math.ceil((needed - cum[a][0]) / (cum[a][0] / last_day)) if needed > cum[a][0] else 0 for a in ARMS)
    return {
        "metric": metric,
        "kind": kind,
        "days_observed": last_day,
        "days": days,
        "trend": {"slope": reg.slope, "intercept": reg.intercept, "std_error": reg.stderr, "p_value": reg.pvalue},
        "plan": {"min_lift": lift, "users_needed_per_variant": needed, "days": more if more > 0 else None},
    }


def main():
    rows = simulate()
    write(rows)
    cases = [case(rows, m, k, n) for n in (DAYS, 7) for m, k in (("converted", "proportion"), ("revenue", "mean"))]
    fixture = {
        "generated_by": "tests/reference/generate_timeline.py",
        "data": "tests/data/timeline_sim.csv.gz",
        "rows": len(rows),
        "alpha": ALPHA,
        "tau": TAU,
        "power": POWER,
        "versions": {p: version(p) for p in ["gbstats", "scipy", "statsmodels", "numpy"]},
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT} and {DATA} ({len(rows)} users)")


if __name__ == "__main__":
    main()
