#!/usr/bin/env python3
"""Generate the reference values the engine's statistics are tested against.

CUPED and ratio-metric cases need the current gbstats (the 0.8.0 wheel on
PyPI understates CUPED's relative variance): point GBSTATS_MAIN at the
`packages/stats` folder of a GrowthBook checkout (its commit id in
GBSTATS_MAIN_COMMIT). Without it, those cases are kept from the existing
fixture.

Runs GrowthBook's gbstats, scipy and statsmodels on varied cases and writes
`stats_fixture.json` beside this script. The fixture is committed, so the Rust
tests need no Python; rerun this only to change or add cases:

    python3 tests/reference/generate.py        # makes tests/reference/.venv on first run

Versions are pinned in pinned.py and recorded in the fixture.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pinned import ensure_venv  # noqa: E402

ensure_venv(__file__)

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import statsmodels  # noqa: E402
from importlib.metadata import version  # noqa: E402
from scipy import integrate, stats  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402
from statsmodels.stats.power import NormalIndPower  # noqa: E402
from statsmodels.stats.proportion import proportion_confint, proportion_effectsize  # noqa: E402

from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig, GaussianPrior  # noqa: E402
from gbstats.frequentist.tests import (  # noqa: E402
    FrequentistConfig,
    SequentialConfig,
    SequentialTwoSidedTTest,
    TwoSidedTTest,
)
from gbstats.models.statistics import ProportionStatistic, SampleMeanStatistic  # noqa: E402


def stat(v):
    if v["kind"] == "proportion":
        return ProportionStatistic(n=v["n"], sum=v["sum"])
    return SampleMeanStatistic(n=v["n"], sum=v["sum"], sum_squares=v["sum_sq"])


def freq(a, b, alpha, difference):
    r = TwoSidedTTest(stat(a), stat(b), FrequentistConfig(alpha=alpha, difference_type=difference)).compute_result()
    return {"estimate": r.expected, "ci": list(r.ci), "p_value": r.p_value, "error": r.error_message}


def seq(a, b, alpha, difference, tau):
    cfg = SequentialConfig(alpha=alpha, difference_type=difference, sequential_tuning_parameter=tau)
    r = SequentialTwoSidedTTest(stat(a), stat(b), cfg).compute_result()
    return {"estimate": r.expected, "ci": list(r.ci), "p_value": r.p_value, "error": r.error_message}


def bayes(a, b, alpha, proper):
    prior = GaussianPrior(mean=0, variance=0.3**2, proper=proper)
    cfg = EffectBayesianConfig(alpha=alpha, difference_type="relative", prior_effect=prior)
    r = EffectBayesianABTest(stat(a), stat(b), cfg).compute_result()
    return {
        "chance_to_win": r.chance_to_win,
        "risk": list(r.risk),
        "ci": list(r.ci),
        "mean": r.uplift.mean,
        "stddev": r.uplift.stddev,
        "error": r.error_message,
    }


def beta_prob_b_beats_a(ca, na, cb, nb):
    """P(p_B > p_A) with Beta(1 + c, 1 + n − c) posteriors, by numerical integration."""
    A = stats.beta(1 + ca, 1 + na - ca)
    B = stats.beta(1 + cb, 1 + nb - cb)
    lo = min(A.ppf(1e-12), B.ppf(1e-12))
    hi = max(A.isf(1e-12), B.isf(1e-12))
    # P(A < B) = ∫ f_B(x) F_A(x) dx
    val, _ = integrate.quad(lambda x: B.pdf(x) * A.cdf(x), lo, hi, limit=500, epsabs=1e-13, epsrel=1e-12)
    return val


def prop(c, n):
    return {"kind": "proportion", "n": n, "sum": c}


def mean(n, mu, sd, seed):
    """Sufficient statistics of a right-skewed revenue-like sample."""
    rng = np.random.default_rng(seed)
    x = rng.gamma(shape=(mu / sd) ** 2, scale=sd**2 / mu, size=n)
    return {"kind": "mean", "n": int(n), "sum": float(x.sum()), "sum_sq": float((x * x).sum())}


# (name, control, variant, alpha)
pairs = [
    ("brief example 200/10k vs 260/10k", prop(200, 10_000), prop(260, 10_000), 0.05),
    ("brief example at 90%", prop(200, 10_000), prop(260, 10_000), 0.10),
    ("brief example at 99%", prop(200, 10_000), prop(260, 10_000), 0.01),
    ("negative lift", prop(500, 20_000), prop(430, 20_000), 0.05),
    ("tiny samples", prop(3, 40), prop(7, 38), 0.05),
    ("small samples unequal n", prop(12, 150), prop(20, 210), 0.05),
    ("rate near zero", prop(5, 100_000), prop(9, 100_000), 0.05),
    ("rate near one", prop(9_950, 10_000), prop(9_975, 10_000), 0.05),
    ("huge samples", prop(1_234_567, 50_000_000), prop(1_240_001, 50_000_000), 0.05),
    ("no difference", prop(300, 15_000), prop(300, 15_000), 0.05),
    ("unbalanced split", prop(800, 40_000), prop(95, 4_000), 0.05),
    ("half rates", prop(5_000, 10_000), prop(5_100, 10_000), 0.05),
    ("large lift", prop(50, 5_000), prop(150, 5_000), 0.05),
    ("small lift big n", prop(40_000, 1_000_000), prop(40_400, 1_000_000), 0.05),
    ("revenue per user, modest n", mean(2_000, 12.0, 40.0, 1), mean(2_000, 13.5, 42.0, 2), 0.05),
    ("revenue per user, large n", mean(200_000, 3.1, 20.0, 3), mean(200_000, 3.2, 21.0, 4), 0.05),
    ("revenue per user, negative", mean(5_000, 50.0, 80.0, 5), mean(5_000, 46.0, 75.0, 6), 0.05),
    ("revenue per user, tiny n", mean(25, 40.0, 30.0, 7), mean(30, 55.0, 35.0, 8), 0.05),
    ("revenue per user, 99%", mean(10_000, 8.0, 25.0, 9), mean(9_800, 8.6, 26.0, 10), 0.01),
    ("revenue per user, unequal n", mean(50_000, 20.0, 60.0, 11), mean(5_000, 22.0, 64.0, 12), 0.05),
    ("three-arm B vs A", prop(400, 20_000), prop(470, 20_100), 0.05),
    ("three-arm C vs A", prop(400, 20_000), prop(415, 19_950), 0.05),
    ("degenerate: control has zero conversions", prop(0, 1_000), prop(5, 1_000), 0.05),
    ("degenerate: everyone converts in both", prop(1_000, 1_000), prop(900, 900), 0.05),
]

cases = []
for name, a, b, alpha in pairs:
    case = {
        "name": name,
        "control": a,
        "variant": b,
        "alpha": alpha,
        "relative": freq(a, b, alpha, "relative"),
        "absolute": freq(a, b, alpha, "absolute"),
        "sequential_relative": seq(a, b, alpha, "relative", 5000),
        "bayesian_flat": bayes(a, b, alpha, False),
        "bayesian_prior": bayes(a, b, alpha, True),
    }
    if a["kind"] == "proportion" and a["n"] <= 1_000_000 and a["sum"] > 0:
        case["beta_chance_to_beat"] = beta_prob_b_beats_a(a["sum"], a["n"], b["sum"], b["n"])
    if a["kind"] == "proportion":
        lo, hi = proportion_confint(b["sum"], b["n"], alpha=alpha, method="wilson")
        case["wilson_variant"] = [lo, hi]
    cases.append(case)

srm = []
for users, weights in [
    ([10_000, 10_300], [1, 1]),
    ([10_000, 11_000], [1, 1]),
    ([5_000, 5_050, 4_900], [1, 1, 1]),
    ([9_000, 1_000], [0.9, 0.1]),
    ([9_000, 1_200], [0.9, 0.1]),
    ([123_456, 123_999, 124_100, 122_800], [1, 1, 1, 1]),
]:
    total = sum(users)
    expected = [w / sum(weights) * total for w in weights]
    r = stats.chisquare(users, expected)
    srm.append({"users": users, "weights": weights, "chi_square": float(r.statistic), "p_value": float(r.pvalue)})

multiple = []
for p in [
    [0.01, 0.04, 0.03],
    [0.001, 0.2, 0.049, 0.05],
    [0.5, 0.5],
    [0.0001, 0.0002, 0.03, 0.04, 0.9],
]:
    multiple.append({
        "p_values": p,
        "holm": multipletests(p, method="holm")[1].tolist(),
        "benjamini_hochberg": multipletests(p, method="fdr_bh")[1].tolist(),
    })

power = []
solver = NormalIndPower()
for baseline, rel_mde, alpha, pw in [
    (0.02, 0.10, 0.05, 0.8),
    (0.02, 0.30, 0.05, 0.8),
    (0.10, 0.05, 0.05, 0.9),
    (0.05, 0.20, 0.01, 0.8),
    (0.5, 0.02, 0.05, 0.8),
    (0.001, 0.5, 0.05, 0.8),
]:
    h = proportion_effectsize(baseline * (1 + rel_mde), baseline)
    n = solver.solve_power(effect_size=h, alpha=alpha, power=pw, ratio=1.0, alternative="two-sided")
    # And back: the effect detectable with that many users per variant (Cohen's h).
    h_back = solver.solve_power(nobs1=float(n), alpha=alpha, power=pw, ratio=1.0, alternative="two-sided")
    power.append({
        "baseline": baseline, "relative_mde": rel_mde, "alpha": alpha, "power": pw,
        "cohens_h": float(h), "n_per_variant": float(n), "solved_h": float(h_back),
        # statsmodels' closed-form power at fixed sizes: exact, unlike its root finder.
        "power_at": [[m, float(solver.power(effect_size=h, nobs1=m, alpha=alpha, ratio=1.0))]
                     for m in (1_000, 10_000, float(round(n)), 1_000_000)],
    })
for baseline, n, alpha, pw in [(0.03, 20_000, 0.05, 0.8), (0.2, 1_000, 0.05, 0.9), (0.01, 500_000, 0.01, 0.8)]:
    h = solver.solve_power(nobs1=n, alpha=alpha, power=pw, ratio=1.0, alternative="two-sided")
    # The variant rate p2 > baseline with 2·asin(√p2) − 2·asin(√p1) = h.
    p2 = float(np.sin(np.arcsin(np.sqrt(baseline)) + h / 2) ** 2)
    power.append({
        "baseline": baseline, "n_per_variant": n, "alpha": alpha, "power": pw,
        "solved_h": float(h), "detectable_rate": p2, "relative_mde": p2 / baseline - 1,
    })

MAIN_CODE = r"""
import json, sys
import numpy as np
from gbstats.frequentist.tests import TwoSidedTTest, FrequentistConfig
from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig
from gbstats.models.statistics import (
    RegressionAdjustedStatistic, SampleMeanStatistic, RatioStatistic)

def users(n, pre_mu, slope, noise, effect, seed):
    rng = np.random.default_rng(seed)
    pre = rng.gamma(2.0, pre_mu / 2.0, size=n)
    post = np.maximum(0.0, 5.0 + slope * pre + rng.normal(0, noise, size=n) + effect)
    return {"n": n, "post_sum": float(post.sum()), "post_sum_sq": float((post**2).sum()),
            "pre_sum": float(pre.sum()), "pre_sum_sq": float((pre**2).sum()),
            "post_pre_sum": float((post * pre).sum())}

def ra(g):
    return RegressionAdjustedStatistic(
        n=g["n"],
        post_statistic=SampleMeanStatistic(n=g["n"], sum=g["post_sum"], sum_squares=g["post_sum_sq"]),
        pre_statistic=SampleMeanStatistic(n=g["n"], sum=g["pre_sum"], sum_squares=g["pre_sum_sq"]),
        post_pre_sum_of_products=g["post_pre_sum"], theta=None)

def orders(n, rate, aov, seed):
    rng = np.random.default_rng(seed)
    d = rng.poisson(rate, size=n).astype(float)
    m = np.array([rng.gamma(4.0, aov / 4.0, size=int(k)).sum() for k in d])
    return {"n": n, "m_sum": float(m.sum()), "m_sum_sq": float((m**2).sum()),
            "d_sum": float(d.sum()), "d_sum_sq": float((d**2).sum()), "md_sum": float((m * d).sum())}

def ratio(g):
    return RatioStatistic(
        n=g["n"],
        m_statistic=SampleMeanStatistic(n=g["n"], sum=g["m_sum"], sum_squares=g["m_sum_sq"]),
        d_statistic=SampleMeanStatistic(n=g["n"], sum=g["d_sum"], sum_squares=g["d_sum_sq"]),
        m_d_sum_of_products=g["md_sum"])

def freq(a, b, alpha, diff):
    r = TwoSidedTTest([(a, b)], FrequentistConfig(alpha=alpha, difference_type=diff)).compute_result()
    return {"estimate": r.expected, "ci": list(r.ci), "p_value": r.pValue, "error": r.errorMessage}

def bayes(a, b, alpha):
    r = EffectBayesianABTest([(a, b)], EffectBayesianConfig(alpha=alpha)).compute_result()
    return {"chance_to_win": r.chanceToWin, "ci": list(r.ci), "error": r.errorMessage}

cuped = []
for name, a, b, alpha in [
    ("strong pre-period correlation", users(4000, 40, 0.9, 8, 0, 21), users(4000, 40, 0.9, 8, 1.5, 22), 0.05),
    ("weak pre-period correlation", users(4000, 40, 0.2, 25, 0, 23), users(4000, 40, 0.2, 25, 1.5, 24), 0.05),
    ("negative lift with CUPED", users(10000, 30, 0.8, 10, 0, 25), users(10000, 30, 0.8, 10, -1.0, 26), 0.05),
    ("CUPED small groups", users(60, 40, 0.9, 8, 0, 27), users(55, 40, 0.9, 8, 3.0, 28), 0.05),
    ("CUPED at 99%", users(20000, 25, 0.7, 12, 0, 29), users(20000, 25, 0.7, 12, 0.4, 30), 0.01),
]:
    cuped.append({"name": name, "control": a, "variant": b, "alpha": alpha,
                  "relative": freq(ra(a), ra(b), alpha, "relative"),
                  "absolute": freq(ra(a), ra(b), alpha, "absolute"),
                  "bayesian_flat": bayes(ra(a), ra(b), alpha)})

ratios = []
for name, a, b, alpha in [
    ("AOV, equal order rates", orders(5000, 0.3, 80, 31), orders(5000, 0.3, 86, 32), 0.05),
    ("AOV, more orders per user", orders(8000, 0.5, 60, 33), orders(8000, 0.6, 58, 34), 0.05),
    ("AOV, small", orders(300, 0.4, 100, 35), orders(280, 0.4, 120, 36), 0.10),
]:
    ratios.append({"name": name, "control": a, "variant": b, "alpha": alpha,
                   "relative": freq(ratio(a), ratio(b), alpha, "relative"),
                   "absolute": freq(ratio(a), ratio(b), alpha, "absolute")})

json.dump({"cuped": cuped, "ratio": ratios}, sys.stdout)
"""

main_src = os.environ.get("GBSTATS_MAIN")
previous = {}
out_path = os.path.join(HERE, "stats_fixture.json")
if os.path.exists(out_path):
    with open(out_path) as f:
        previous = json.load(f)
if main_src:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(main_src))
    main = json.loads(subprocess.check_output([sys.executable, "-c", MAIN_CODE], env=env))
    main_version = {"commit": os.environ.get("GBSTATS_MAIN_COMMIT", "unknown"), "source": "growthbook/growthbook packages/stats"}
else:
    main = {"cuped": previous.get("cuped", []), "ratio": previous.get("ratio", [])}
    main_version = previous.get("versions", {}).get("gbstats_main")

fixture = {
    "generated_by": "tests/reference/generate.py",
    "versions": {
        "gbstats": version("gbstats"),
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    },
    "cases": cases,
    "srm": srm,
    "multiple_comparisons": multiple,
    "power": power,
    "cuped": main["cuped"],
    "ratio": main["ratio"],
}
if main_version:
    fixture["versions"]["gbstats_main"] = main_version
out = out_path
with open(out, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print(f"wrote {out}: {len(cases)} comparison cases, {len(srm)} SRM, {len(multiple)} multiple-comparison, "
      f"{len(power)} power, {len(main['cuped'])} CUPED, {len(main['ratio'])} ratio")
