#!/usr/bin/env python3
"""Reference values for multi-touch attribution, on the sample paths
ChannelAttribution ships (tests/data/channelattribution_paths.csv.gz:
10,000 paths over 12 channels, with conversions, value and journeys that
did not convert) and on the classic three-path toy chain.

- The exact Markov removal effect (Anderl et al. 2016), written here in
  numpy from its formulas: states are the windows of `order` touches (a
  shorter path is one state), consecutive equal states merged; expected
  visits x = e_start (I - Q)^-1 by a linear solve; P = sum_s x_s r(s);
  removing channel k drops every state holding it; RE_k = 1 - P_-k / P;
  the value version weighs each conversion by the mean value of the
  journeys converting from its last state. Orders 1 to 3, with and without
  the journeys that did not convert.
- ChannelAttribution 2.2.5's heuristics (first, last, linear per touch),
  which are exact, and its simulated Markov removal effects (defaults,
  seed 0), which are Monte Carlo and so only a loose check.
- mta 0.0.9's exact Shapley value (normalize=False), linear per distinct
  channel and position-based 40/20/40, and shapley-attribution 2.1.0's
  simplified Shapley value.

Runs in a private venv with the pins below (ChannelAttribution builds from
its sdist: it needs g++; its import needs matplotlib):

    python3 tests/reference/generate_attribution.py
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

PINS = ["numpy==1.26.4", "pandas==2.2.3", "matplotlib==3.9.2", "Cython==3.0.11",
        "setuptools==80.9.0", "wheel==0.45.1",
        "channelattribution==2.2.5", "mta==0.0.9", "shapley-attribution==2.1.0"]
ensure_venv(__file__, os.path.join(HERE, ".venv-attribution"), PINS)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from importlib.metadata import version  # noqa: E402

DATA = os.path.join(HERE, "..", "data", "channelattribution_paths.csv.gz")


def read_paths():
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    return [([t.strip() for t in r["path"].split(">") if t.strip()],
             float(r["total_conversions"]), float(r["total_conversion_value"]),
             float(r["total_null"])) for r in rows]


def channels_of(paths):
    seen = []
    for touches, *_ in paths:
        for t in touches:
            if t not in seen:
                seen.append(t)
    return seen


def states_of(touches, order):
    states = [tuple(touches)] if len(touches) <= order else [
        tuple(touches[i:i + order]) for i in range(len(touches) - order + 1)]
    merged = []
    for s in states:
        if not merged or merged[-1] != s:
            merged.append(s)
    return merged


def exact_markov(paths, channels, order, with_nulls):
    index = {(): 0}
    trans, ends = {}, {}
    for touches, conv, value, null in paths:
        null = null if with_nulls else 0.0
        w = conv + null
        if w <= 0:
            continue
        prev = 0
        for s in states_of(touches, order):
            if s not in index:
                index[s] = len(index)
            j = index[s]
            trans[(prev, j)] = trans.get((prev, j), 0.0) + w
            prev = j
        c, n, v = ends.get(prev, (0.0, 0.0, 0.0))
        ends[prev] = (c + conv, n + null, v + value)
    n = len(index)
    counts = np.zeros((n, n))
    for (i, j), w in trans.items():
        counts[i, j] += w
    conv = np.array([ends.get(i, (0, 0, 0))[0] for i in range(n)])
    null = np.array([ends.get(i, (0, 0, 0))[1] for i in range(n)])
    val = np.array([ends.get(i, (0, 0, 0))[2] for i in range(n)])
    out = counts.sum(axis=1) + conv + null
    Q = counts / out[:, None]
    r = conv / out
    m = np.divide(val, conv, out=np.zeros(n), where=conv > 0)
    holds = {i: set(s) for s, i in index.items()}

    def converting(removed):
        keep = np.array([1.0 if removed is None or removed not in holds[i] else 0.0
                         for i in range(n)])
        Qk = Q * keep[None, :] * keep[:, None]
        e = np.zeros(n)
        e[0] = 1.0
        x = np.linalg.solve((np.eye(n) - Qk).T, e)
        q = x * r * keep
        return q.sum(), (q * m).sum()

    p, pv = converting(None)
    re, rev = [], []
    for k in channels:
        pk, pvk = converting(k)
        re.append(1 - pk / p)
        rev.append(1 - pvk / pv if pv > 0 else None)
    total_conv = sum(c for _, c, _, _ in paths)
    total_val = sum(v for _, _, v, _ in paths)
    return {
        "order": order, "with_nulls": with_nulls, "states": n, "conversion_probability": p,
        "removal_effect": re, "value_removal_effect": rev,
        "conversions": [x / sum(re) * total_conv for x in re],
        "value": [x / sum(rev) * total_val for x in rev] if pv > 0 else None,
    }


def channelattribution(paths, channels):
    import contextlib
    with contextlib.redirect_stdout(io.StringIO()):
        from ChannelAttribution import heuristic_models, markov_model
    df = pd.DataFrame({
        "path": [" > ".join(t) for t, *_ in paths],
        "total_conversions": [int(c) for _, c, _, _ in paths],
        "total_conversion_value": [v for _, _, v, _ in paths],
        "total_null": [int(n) for *_, n in paths],
    })
    with contextlib.redirect_stdout(io.StringIO()):
        h = heuristic_models(df, "path", "total_conversions",
                             var_value="total_conversion_value", flg_pro=False)
        mk = markov_model(df, "path", "total_conversions", var_value="total_conversion_value",
                          var_null="total_null", order=1, out_more=True, flg_pro=False,
                          verbose=False)
    h = h.set_index("channel_name")
    re = mk["removal_effects"].set_index("channel_name")
    col = lambda frame, c: [float(frame.loc[ch, c]) for ch in channels]  # noqa: E731
    return {
        "first_touch": {"conversions": col(h, "first_touch_conversions"),
                        "value": col(h, "first_touch_value")},
        "last_touch": {"conversions": col(h, "last_touch_conversions"),
                       "value": col(h, "last_touch_value")},
        "linear_touch": {"conversions": col(h, "linear_touch_conversions"),
                         "value": col(h, "linear_touch_value")},
        "markov_order_1_removal_effect": col(re, "removal_effects_conversion"),
    }


def mta_models(paths, channels):
    from mta import MTA
    df = pd.DataFrame({
        "path": [" > ".join(t) for t, *_ in paths],
        "total_conversions": [int(c) for _, c, _, _ in paths],
        "total_conversion_value": [v for _, _, v, _ in paths],
        "total_null": [int(n) for *_, n in paths],
    })
    m = MTA(data=df, allow_loops=True, add_timepoints=False)
    m.shapley(normalize=False)
    m.linear(share="same", normalize=False)
    m.position_based(first_weight=40, last_weight=40, normalize=False)
    got = m.attribution
    pick = lambda key: [float(got[key].get(ch, 0.0)) for ch in channels]  # noqa: E731
    keys = {k: k for k in got}
    return {"keys": sorted(keys), **{k: pick(k) for k in got}}


def simplified_shapley(paths, channels):
    from shapley_attribution import SimplifiedShapleyAttribution
    journeys, y = [], []
    for touches, conv, _, _ in paths:
        for _ in range(int(conv)):
            journeys.append(list(touches))
            y.append(1)
    model = SimplifiedShapleyAttribution(normalize=False).fit(journeys, y)
    values = model.attribution_
    return [float(values.get(ch, 0.0)) for ch in channels]


def main():
    paths = read_paths()
    channels = channels_of(paths)
    toy = [(["C1", "C2", "C3"], 1.0, 0.0, 0.0), (["C1"], 0.0, 0.0, 1.0), (["C2", "C3"], 0.0, 0.0, 1.0)]
    out = {
        "generated_with": {p: version(p) for p in
                           ["numpy", "pandas", "channelattribution", "mta", "shapley-attribution"]},
        "data": "tests/data/channelattribution_paths.csv.gz",
        "channels": channels,
        "exact_markov": [exact_markov(paths, channels, o, nulls)
                         for o in (1, 2, 3) for nulls in (True, False)],
        "toy": exact_markov(toy, ["C1", "C2", "C3"], 1, True),
        "channelattribution": channelattribution(paths, channels),
        "mta": mta_models(paths, channels),
        "shapley_attribution": simplified_shapley(paths, channels),
    }
    with open(os.path.join(HERE, "attribution_fixture.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
