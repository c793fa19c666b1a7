#!/usr/bin/env python3
"""Reference values for retention measured from data: Kaplan-Meier curves
with their confidence intervals, median survival, the log-rank test and the
restricted mean survival time, from lifelines 0.30.0 on data it ships:

- `load_dd`: how long political regimes last, democracies against
  non-democracies (1,808 regimes; lifelines' docs give a log-rank
  statistic of 260.47 for this comparison);
- `load_lung`: survival in advanced lung cancer (R's `lung`), men (sex 1)
  against women (sex 2), `status` 1 = died in this copy;
- `load_waltons`: fruit flies, `miR-137` against `control`, with ties.

For each group, `KaplanMeierFitter(alpha=0.05)`'s event table (time, at
risk, events), survival, its exponential-Greenwood interval and median;
`logrank_test` between the two groups; and
`restricted_mean_survival_time` at a horizon within the data. Written to
`survival_fixture.json` with the data itself, so the engine's tests read
the same numbers. Runs in a private venv of its own (pinned below):

    python3 tests/reference/generate_survival.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

# lifelines 0.30 wants a newer pandas than gbstats allows: a venv of its own.
PINS = ["lifelines==0.30.0", "scipy==1.17.1", "numpy==2.4.6", "pandas==2.3.3"]
ensure_venv(__file__, os.path.join(HERE, ".venv-survival"), PINS)

import numpy as np  # noqa: E402
from importlib.metadata import version  # noqa: E402
from lifelines import KaplanMeierFitter  # noqa: E402
from lifelines.datasets import load_dd, load_lung, load_waltons  # noqa: E402
from lifelines.statistics import logrank_test  # noqa: E402
from lifelines.utils import restricted_mean_survival_time  # noqa: E402

OUT = os.path.join(HERE, "survival_fixture.json")


def group(durations, events, horizon):
    kmf = KaplanMeierFitter(alpha=0.05).fit(durations, events)
    table = kmf.event_table
    ci = kmf.confidence_interval_survival_function_
    times = [float(t) for t in kmf.survival_function_.index]
    median = kmf.median_survival_time_
    return {
        "durations": [float(d) for d in durations],
        "events": [int(e) for e in events],
        "times": times,
        "at_risk": [int(x) for x in table["at_risk"]],
        "observed": [int(x) for x in table["observed"]],
        "survival": [float(x) for x in kmf.survival_function_.iloc[:, 0]],
        "ci_lower": [float(x) for x in ci.iloc[:, 0]],
        "ci_upper": [float(x) for x in ci.iloc[:, 1]],
        "median": None if not np.isfinite(median) else float(median),
        "rmst": float(restricted_mean_survival_time(kmf, t=horizon)),
    }


def case(name, df, duration, event, by, a, b, horizon):
    ga, gb = df[df[by] == a], df[df[by] == b]
    test = logrank_test(ga[duration], gb[duration], ga[event], gb[event])
    return {
        "name": name,
        "horizon": horizon,
        "groups": {a: group(ga[duration], ga[event], horizon), b: group(gb[duration], gb[event], horizon)},
        "logrank": {"statistic": float(test.test_statistic), "p_value": float(test.p_value)},
    }


def main():
    lung = load_lung()
    cases = [
        case("dd", load_dd(), "duration", "observed", "democracy", "Democracy", "Non-democracy", 20.0),
        case("lung", lung, "time", "status", "sex", 1, 2, 365.0),
        case("waltons", load_waltons(), "T", "E", "group", "miR-137", "control", 40.0),
    ]
    for c in cases:
        c["groups"] = {str(k): v for k, v in c["groups"].items()}
    fixture = {
        "generated_by": "tests/reference/generate_survival.py",
        "versions": {p: version(p) for p in ["lifelines", "numpy", "pandas"]},
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
